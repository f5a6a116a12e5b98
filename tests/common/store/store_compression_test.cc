// Compressed data (ResourceSchema::compress, common/store/stored_data.h) on every backend:
// records round-trip through Get, List and Update; what is stored is the marked zstd
// frame; rows written before compression was switched on, or after it is switched off,
// read back the same with no migration; a migration backfills from compressed rows.
#include <string>

#include "absl/strings/str_cat.h"
#include "common/store/stored_data.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/store/store_fixture.h"

namespace metrocap::store::testing {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;

// An organisation large enough for compression to matter, and repetitive, as a large
// roadmap is.
Organisation LargeOrg(const std::string& id) {
  Organisation org = Org(id, "Milano", Organisation::CITY, "IT", 3000000);
  std::string name;
  for (int i = 0; i < 500; ++i) absl::StrAppend(&name, "Comune di Milano ", i % 7, "; ");
  org.set_display_name(name);
  return org;
}

class StoreCompressionTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    compressed_.compress = true;
    ASSERT_OK(store_->Migrate({&compressed_}));
  }

  // The bytes in the data column of `name`, as the database holds them.
  absl::StatusOr<std::string> StoredBytes(const std::string& name) {
    ASSIGN_OR_RETURN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
    ASSIGN_OR_RETURN(std::vector<Transaction::Row> rows,
                     tx->Select("SELECT data FROM organisations WHERE name = ?", {name}));
    if (rows.size() != 1) return absl::NotFoundError(name);
    return absl::get<std::string>(rows[0][0]);
  }

  // The message bytes a Get hands back for `name`.
  absl::StatusOr<std::string> DataOf(const ResourceSchema& schema, const std::string& name) {
    ASSIGN_OR_RETURN(Record record, GetOne(schema, name));
    return record.data;
  }

  ResourceSchema compressed_ = OrganisationSchema();
};

TEST_P(StoreCompressionTest, RecordsRoundTripAndAreStoredCompressed) {
  const Organisation milan = LargeOrg("milan");
  ASSERT_OK_AND_ASSIGN(Record inserted, InsertOne(compressed_, milan));
  EXPECT_EQ(inserted.data, milan.SerializeAsString());
  ASSERT_OK_AND_ASSIGN(std::string stored, StoredBytes("organisations/milan"));
  ASSERT_FALSE(stored.empty());
  EXPECT_EQ(stored[0], '\0');
  EXPECT_LT(stored.size() * 10, milan.ByteSizeLong());

  EXPECT_THAT(DataOf(compressed_, "organisations/milan"), IsOkAndHolds(milan.SerializeAsString()));
  // Indexed columns are plain: filters and order work as on any table.
  EXPECT_THAT(ListNames(compressed_, "countryCode = IT AND population > 1000"),
              IsOkAndHolds(ElementsAre("organisations/milan")));
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
    ListQuery list;
    ASSERT_OK_AND_ASSIGN(list.order, query::ParseOrderBy(compressed_, ""));
    ASSERT_OK_AND_ASSIGN(ListResult page, tx->List(compressed_, list));
    ASSERT_EQ(page.records.size(), 1u);
    EXPECT_EQ(page.records[0].data, milan.SerializeAsString());
  }

  Organisation renamed = milan;
  renamed.set_display_name(absl::StrCat(milan.display_name(), " (renamed)"));
  ASSERT_OK(UpdateOne(compressed_, renamed, 1));
  EXPECT_THAT(DataOf(compressed_, "organisations/milan"),
              IsOkAndHolds(renamed.SerializeAsString()));
}

TEST_P(StoreCompressionTest, AnEmptyMessageRoundTrips) {
  ASSERT_OK(store_->RunInTransaction([&](Transaction& tx) {
    return tx.Insert(compressed_, "organisations/empty", Organisation()).status();
  }));
  EXPECT_THAT(DataOf(compressed_, "organisations/empty"), IsOkAndHolds(""));
}

TEST_P(StoreCompressionTest, RowsWrittenEitherWayReadTheSameWhateverTheSchemaSays) {
  // Written before compression was switched on...
  const Organisation rome = LargeOrg("rome");
  ASSERT_OK(InsertOne(organisations_, rome));
  ASSERT_OK_AND_ASSIGN(std::string stored, StoredBytes("organisations/rome"));
  EXPECT_EQ(stored, rome.SerializeAsString());
  EXPECT_THAT(DataOf(compressed_, "organisations/rome"), IsOkAndHolds(rome.SerializeAsString()));
  // ...rewritten compressed by the next update...
  Organisation renamed = rome;
  renamed.set_population(2800000);
  ASSERT_OK(UpdateOne(compressed_, renamed, 1));
  ASSERT_OK_AND_ASSIGN(stored, StoredBytes("organisations/rome"));
  EXPECT_EQ(stored[0], '\0');
  // ...and still read with compression switched off again, from a store opened afresh.
  ASSERT_OK(Reopen());
  EXPECT_THAT(DataOf(organisations_, "organisations/rome"),
              IsOkAndHolds(renamed.SerializeAsString()));
  EXPECT_THAT(ListNames(organisations_, "population = 2800000"),
              IsOkAndHolds(ElementsAre("organisations/rome")));
}

TEST_P(StoreCompressionTest, ANewIndexedFieldIsBackfilledFromCompressedRows) {
  // A table of its own: SetUp's has every column already.
  ResourceSchema before =
      MakeSchema("later_organisations", Organisation::descriptor(), {"displayName", "countryCode"});
  before.compress = true;
  ASSERT_OK(store_->Migrate({&before}));
  ASSERT_OK(InsertOne(before, LargeOrg("turin")));
  ResourceSchema after = MakeSchema("later_organisations", Organisation::descriptor(),
                                    {"displayName", "countryCode", "population"});
  after.compress = true;
  ASSERT_OK(store_->Migrate({&after}));
  EXPECT_THAT(ListNames(after, "population = 3000000"),
              IsOkAndHolds(ElementsAre("organisations/turin")));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreCompressionTest, ::testing::ValuesIn(AllStoreBackends()),
                         BackendName);

// The column's two forms, below any database.
TEST(StoredDataTest, PlainBytesAreStoredAsTheyAre) {
  ResourceSchema plain = OrganisationSchema();
  const std::string bytes = LargeOrg("milan").SerializeAsString();
  EXPECT_EQ(StoredData(plain, bytes), bytes);
  std::string read = bytes;
  ASSERT_OK(ReadStoredData("organisations/milan", read));
  EXPECT_EQ(read, bytes);
}

TEST(StoredDataTest, CompressedBytesReadBack) {
  ResourceSchema compressed = OrganisationSchema();
  compressed.compress = true;
  for (const std::string& bytes : {std::string(), LargeOrg("milan").SerializeAsString()}) {
    std::string read = StoredData(compressed, bytes);
    ASSERT_EQ(read[0], '\0');
    ASSERT_OK(ReadStoredData("organisations/milan", read));
    EXPECT_EQ(read, bytes);
  }
}

TEST(StoredDataTest, ADamagedCompressedValueIsInternal) {
  ResourceSchema compressed = OrganisationSchema();
  compressed.compress = true;
  std::string truncated = StoredData(compressed, LargeOrg("milan").SerializeAsString());
  truncated.resize(truncated.size() / 2);
  std::string garbage("\0not a zstd frame", 17);
  for (std::string* data : {&truncated, &garbage}) {
    EXPECT_THAT(
        ReadStoredData("organisations/milan", *data),
        StatusIs(absl::StatusCode::kInternal, "stored organisations/milan does not decompress"));
  }
}

}  // namespace
}  // namespace metrocap::store::testing
