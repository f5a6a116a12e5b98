#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "common/query/filter.h"
#include "common/query/order_by.h"
#include "common/status/status_macros.h"
#include "common/store/schema.h"
#include "common/store/store.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metrocap/membership/v1/membership.pb.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"

namespace metrocap::store::testing {

using membership::v1::ApiKey;
using membership::v1::Organisation;
using membership::v1::Partner;
using ::metrocap::testing::AllStoreBackends;
using ::metrocap::testing::StoreBackend;

// An OK absl::StatusOr whose value matches `matcher`.
MATCHER_P(IsOkAndHolds, matcher, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  *result_listener << "value is " << ::testing::PrintToString(*arg) << " ";
  return ::testing::ExplainMatchResult(matcher, *arg, result_listener);
}

// An OK absl::StatusOr<absl::optional<T>> holding no value.
MATCHER(IsOkAndEmpty, "is OK and holds no value") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  return !arg->has_value();
}

// The real membership resources, as the membership service declares them.
inline ResourceSchema OrganisationSchema() {
  ResourceSchema schema = MakeSchema("organisations", Organisation::descriptor(),
                                     {"displayName", "kind", "countryCode", "region", "population",
                                      "parent", "membershipState", "memberSince"});
  schema.count_by = {"region", "kind"};
  return schema;
}
inline ResourceSchema PartnerSchema() {
  return MakeSchema("partners", Partner::descriptor(), {"role", "grants"});
}
inline ResourceSchema ApiKeySchema() {
  return MakeSchema("apiKeys", ApiKey::descriptor(), {"state", "displayName"});
}

inline Organisation Org(const std::string& id, const std::string& display_name,
                        Organisation::Kind kind, const std::string& country, int64_t population) {
  Organisation org;
  org.set_name("organisations/" + id);
  org.set_display_name(display_name);
  org.set_kind(kind);
  org.set_country_code(country);
  org.set_region("regions/europe");
  org.set_population(population);
  org.set_membership_state(Organisation::ACTIVE);
  return org;
}

inline Partner PartnerWith(const std::string& id, const std::vector<std::string>& grants) {
  Partner partner;
  partner.set_name("partners/" + id);
  partner.set_display_name(id);
  partner.set_role(membership::v1::Partner::PARTNER);
  for (const std::string& grant : grants) partner.add_grants(grant);
  return partner;
}

// A fresh temporary directory per test, and the backend's store opened in it.
class StoreFixture : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(dir_, metrocap::testing::MakeTempDir("metrocap-store"));
    METROCAP_REQUIRE_STORE_BACKEND(GetParam());
    ASSERT_OK_AND_ASSIGN(store_, GetParam().Open(dir_));
  }
  void TearDown() override {
    store_.reset();
    metrocap::testing::RemoveTree(dir_);
  }

  absl::Status MigrateAll() { return store_->Migrate({&organisations_, &partners_, &api_keys_}); }

  // Closes the store and opens the same database again.
  absl::Status Reopen() {
    store_.reset();
    ASSIGN_OR_RETURN(store_, GetParam().Open(dir_));
    return absl::OkStatus();
  }

  absl::StatusOr<Record> InsertOne(const ResourceSchema& schema,
                                   const google::protobuf::Message& message) {
    std::string name = NameOf(message);
    Record out;
    RETURN_IF_ERROR(store_->RunInTransaction([&](Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(out, tx.Insert(schema, name, message));
      return absl::OkStatus();
    }));
    return out;
  }

  absl::StatusOr<Record> UpdateOne(const ResourceSchema& schema,
                                   const google::protobuf::Message& message, int64_t version) {
    std::string name = NameOf(message);
    Record out;
    RETURN_IF_ERROR(store_->RunInTransaction([&](Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(out, tx.Update(schema, name, message, version));
      return absl::OkStatus();
    }));
    return out;
  }

  absl::Status DeleteOne(const ResourceSchema& schema, const std::string& name, int64_t version) {
    return store_->RunInTransaction(
        [&](Transaction& tx) { return tx.Delete(schema, name, version); });
  }

  absl::StatusOr<Record> GetOne(const ResourceSchema& schema, const std::string& name) {
    ASSIGN_OR_RETURN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
    return tx->Get(schema, name);
  }

  template <typename T>
  absl::StatusOr<T> Decoded(const ResourceSchema& schema, const std::string& name) {
    ASSIGN_OR_RETURN(Record record, GetOne(schema, name));
    T message;
    RETURN_IF_ERROR(DecodeRecord(record, &message));
    return message;
  }

  // Every name a List returns for `filter`/`order_by` under `parent`, walking all pages of
  // `page_size` through ListResult::next. `pages` (optional) receives the page count.
  absl::StatusOr<std::vector<std::string>> ListNames(const ResourceSchema& schema,
                                                     const std::string& filter,
                                                     const std::string& order_by = "",
                                                     const std::string& parent = "",
                                                     int page_size = 1000, int* pages = nullptr) {
    ListQuery list;
    list.parent = parent;
    ASSIGN_OR_RETURN(list.filter, query::CompileFilter(schema, filter));
    ASSIGN_OR_RETURN(list.order, query::ParseOrderBy(schema, order_by));
    list.limit = page_size;
    std::vector<std::string> names;
    int count = 0;
    for (;;) {
      ASSIGN_OR_RETURN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
      ASSIGN_OR_RETURN(ListResult result, tx->List(schema, list));
      ++count;
      if (static_cast<int>(result.records.size()) > page_size) {
        return absl::InternalError("a page holds more records than its limit");
      }
      for (const Record& record : result.records) names.push_back(record.name);
      if (!result.next) break;
      if (result.records.empty()) return absl::InternalError("an empty page promised more");
      if (count > 1000) return absl::InternalError("paging does not end");
      list.after = result.next;
    }
    if (pages != nullptr) *pages = count;
    return names;
  }

  absl::StatusOr<int64_t> CountOf(const ResourceSchema& schema, const std::string& filter,
                                  const std::string& parent = "") {
    ASSIGN_OR_RETURN(query::Condition condition, query::CompileFilter(schema, filter));
    ASSIGN_OR_RETURN(std::unique_ptr<Transaction> tx, store_->Begin(Store::Access::kReadOnly));
    return tx->Count(schema, parent, condition);
  }

  // A thread that counts `schema`'s records over and over while `running` holds, adding to
  // `errors` each count that fails or is lower than the one before (while writers only
  // insert, a later snapshot never holds fewer).
  std::thread CountingReader(const ResourceSchema& schema, const std::atomic<bool>& running,
                             std::atomic<int>& errors) {
    return std::thread([this, &schema, &running, &errors] {
      int64_t last_seen = 0;
      while (running.load()) {
        absl::StatusOr<int64_t> count = CountOf(schema, "");
        if (!count.ok() || *count < last_seen) {
          ++errors;
        } else {
          last_seen = *count;
        }
      }
    });
  }

  static std::string NameOf(const google::protobuf::Message& message) {
    const auto* field = message.GetDescriptor()->FindFieldByName("name");
    return message.GetReflection()->GetString(message, field);
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  ResourceSchema organisations_ = OrganisationSchema();
  ResourceSchema partners_ = PartnerSchema();
  ResourceSchema api_keys_ = ApiKeySchema();
};

inline std::string BackendName(const ::testing::TestParamInfo<StoreBackend>& info) {
  return ::metrocap::testing::StoreBackendName(info);
}

}  // namespace metrocap::store::testing
