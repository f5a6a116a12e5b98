// ListRecords: pages through opaque tokens that only the query (and caller) that made them
// can use, with total sizes and the service's extra condition.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/query/page.h"
#include "common/resource/crud.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/resource/resource_fixture.h"

namespace metrocap::resource {
namespace {

using membership::v1::ListOrganisationsResponse;
using membership::v1::Organisation;
using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Org;

constexpr char kKey[] = "page-token-key-for-tests";

class ListRecordsTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_OK(store_->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
      for (int i = 0; i < 7; ++i) {
        std::string id(1, static_cast<char>('a' + i));
        RETURN_IF_ERROR(
            tx.Insert(organisations_, "organisations/" + id, Org(id, id, i * 100)).status());
      }
      return absl::OkStatus();
    }));
  }

  absl::StatusOr<RecordPage> Page(const ListParams& params, const std::string& caller = "alice",
                                  const query::Condition& extra = {},
                                  const std::string& key = kKey) {
    return ListRecords(*store_, organisations_, params, extra, key, caller);
  }

  static std::vector<std::string> Names(const RecordPage& page) {
    std::vector<std::string> names;
    for (const store::Record& r : page.records) names.push_back(r.name);
    return names;
  }
};

TEST_F(ListRecordsTest, TokensWalkEveryPage) {
  ListParams params;
  params.page_size = 3;
  params.order_by = "population desc";
  params.filter = "population >= 100";
  std::vector<std::string> all;
  int pages = 0;
  do {
    ASSERT_OK_AND_ASSIGN(RecordPage page, Page(params));
    EXPECT_EQ(page.total_size, 6);
    std::vector<std::string> names = Names(page);
    all.insert(all.end(), names.begin(), names.end());
    params.page_token = page.next_page_token;
    ASSERT_LT(++pages, 10);
  } while (!params.page_token.empty());
  EXPECT_EQ(pages, 2);
  EXPECT_THAT(all, ElementsAre("organisations/g", "organisations/f", "organisations/e",
                               "organisations/d", "organisations/c", "organisations/b"));
}

// Only the first page counts: the pages after it repeat its total from their token, even
// when records were added since; a new first page counts again.
TEST_F(ListRecordsTest, LaterPagesCarryTheFirstPagesTotal) {
  ListParams params;
  params.page_size = 2;
  ASSERT_OK_AND_ASSIGN(RecordPage first, Page(params));
  EXPECT_EQ(first.total_size, 7);
  ASSERT_OK(store_->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
    return tx.Insert(organisations_, "organisations/z", Org("z", "z", 700)).status();
  }));
  params.page_token = first.next_page_token;
  ASSERT_OK_AND_ASSIGN(RecordPage second, Page(params));
  EXPECT_EQ(second.total_size, 7);
  EXPECT_THAT(Names(second), ElementsAre("organisations/c", "organisations/d"));
  params.page_token.clear();
  ASSERT_OK_AND_ASSIGN(RecordPage again, Page(params));
  EXPECT_EQ(again.total_size, 8);
}

// The query a token is bound to, as ListRecords spells it (no extra condition).
std::string Fingerprint(const store::ResourceSchema& schema, const ListParams& params,
                        const std::string& caller) {
  return absl::StrCat(schema.table, "\n", params.parent, "\n", params.filter, "\n", params.order_by,
                      "\n\n", caller);
}

// A first page that holds every match is its own count, with or without a filter or an
// extra condition.
TEST_F(ListRecordsTest, AFirstPageHoldingEveryMatchIsItsOwnCount) {
  ListParams params;
  params.page_size = 7;
  ASSERT_OK_AND_ASSIGN(RecordPage all, Page(params));
  EXPECT_EQ(all.total_size, 7);
  EXPECT_EQ(all.next_page_token, "");
  params.filter = "population >= 300";
  query::Condition under_600{"population < ?", {int64_t{600}}};
  ASSERT_OK_AND_ASSIGN(RecordPage some, Page(params, "alice", under_600));
  EXPECT_EQ(some.total_size, 3);
  EXPECT_THAT(Names(some), ElementsAre("organisations/d", "organisations/e", "organisations/f"));
  params.filter = "population > 5000";
  ASSERT_OK_AND_ASSIGN(RecordPage none, Page(params));
  EXPECT_EQ(none.total_size, 0);
}

// A token made before totals rode along still pages; that page counts.
TEST_F(ListRecordsTest, ATokenWithoutATotalCountsAgain) {
  ListParams params;
  params.page_size = 2;
  ASSERT_OK_AND_ASSIGN(RecordPage first, Page(params));
  absl::optional<int64_t> carried;
  ASSERT_OK_AND_ASSIGN(query::Cursor cursor,
                       query::DecodePageToken(kKey, Fingerprint(organisations_, params, "alice"),
                                              first.next_page_token, &carried));
  EXPECT_EQ(carried, 7);
  params.page_token =
      query::EncodePageToken(kKey, Fingerprint(organisations_, params, "alice"), cursor);
  ASSERT_OK(store_->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
    return tx.Insert(organisations_, "organisations/z", Org("z", "z", 700)).status();
  }));
  ASSERT_OK_AND_ASSIGN(RecordPage second, Page(params));
  EXPECT_EQ(second.total_size, 8);
  EXPECT_THAT(Names(second), ElementsAre("organisations/c", "organisations/d"));
}

TEST_F(ListRecordsTest, TokenIsBoundToItsQueryAndCaller) {
  ListParams params;
  params.page_size = 2;
  params.filter = "countryCode = IT";
  ASSERT_OK_AND_ASSIGN(RecordPage first, Page(params));
  ASSERT_FALSE(first.next_page_token.empty());
  ListParams next = params;
  next.page_token = first.next_page_token;
  ASSERT_OK_AND_ASSIGN(RecordPage second, Page(next));
  EXPECT_THAT(Names(second), ElementsAre("organisations/c", "organisations/d"));

  auto refused = StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pageToken"));
  ListParams other_filter = next;
  other_filter.filter = "countryCode = FR";
  EXPECT_THAT(Page(other_filter), refused);
  ListParams other_order = next;
  other_order.order_by = "population desc";
  EXPECT_THAT(Page(other_order), refused);
  ListParams other_parent = next;
  other_parent.parent = "organisations/a";
  EXPECT_THAT(Page(other_parent), refused);
  EXPECT_THAT(Page(next, "mallory"), refused);
  EXPECT_THAT(Page(next, "alice", {}, "another-key"), refused);
  ListParams tampered = next;
  tampered.page_token[tampered.page_token.size() / 2] ^= 1;
  EXPECT_THAT(Page(tampered), refused);
  ListParams garbage = next;
  garbage.page_token = "not a token";
  EXPECT_THAT(Page(garbage), refused);
  // A different page size is the same query: the token still works.
  ListParams bigger = next;
  bigger.page_size = 10;
  ASSERT_OK_AND_ASSIGN(RecordPage rest, Page(bigger));
  EXPECT_EQ(rest.records.size(), 5u);
  EXPECT_TRUE(rest.next_page_token.empty());
}

TEST_F(ListRecordsTest, ExtraConditionFiltersAndBindsTheToken) {
  ListParams params;
  params.page_size = 2;
  query::Condition over_300{"population > ?", {int64_t{300}}};
  ASSERT_OK_AND_ASSIGN(RecordPage first, Page(params, "alice", over_300));
  EXPECT_EQ(first.total_size, 3);
  EXPECT_THAT(Names(first), ElementsAre("organisations/e", "organisations/f"));
  params.page_token = first.next_page_token;
  ASSERT_OK_AND_ASSIGN(RecordPage second, Page(params, "alice", over_300));
  EXPECT_THAT(Names(second), ElementsAre("organisations/g"));
  // The same token under another extra value belongs to another query.
  query::Condition over_100{"population > ?", {int64_t{100}}};
  EXPECT_THAT(Page(params, "alice", over_100), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(ListRecordsTest, BadParametersAreInvalidArgument) {
  ListParams negative;
  negative.page_size = -1;
  EXPECT_THAT(Page(negative), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pageSize")));
  ListParams bad_filter;
  bad_filter.filter = "population >";
  EXPECT_THAT(Page(bad_filter), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("filter")));
  ListParams bad_order;
  bad_order.order_by = "website";
  EXPECT_THAT(Page(bad_order), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("orderBy")));
}

TEST_F(ListRecordsTest, DefaultPageSizeAndListInto) {
  ListParams params;
  ListOrganisationsResponse response;
  ASSERT_OK(ListInto(*store_, organisations_, params, {}, kKey, "alice",
                     response.mutable_organisations(), &response));
  ASSERT_EQ(response.organisations_size(), 7);
  EXPECT_EQ(response.total_size(), 7);
  EXPECT_EQ(response.next_page_token(), "");
  EXPECT_EQ(response.organisations(0).name(), "organisations/a");
  EXPECT_EQ(response.organisations(0).etag(), store::EtagOf(1));
  EXPECT_TRUE(response.organisations(0).has_create_time());
}

}  // namespace
}  // namespace metrocap::resource
