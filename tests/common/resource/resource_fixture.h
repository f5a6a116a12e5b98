#pragma once

#include <memory>
#include <string>

#include "common/store/schema.h"
#include "common/store/sqlite_store.h"
#include "common/store/store.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"
#include "metrocap/membership/v1/membership.pb.h"
#include "tests/support/temp_dir.h"

namespace metrocap::resource::testing {

using membership::v1::Organisation;

inline store::ResourceSchema OrganisationSchema() {
  return store::MakeSchema("organisations", Organisation::descriptor(),
                           {"displayName", "kind", "countryCode", "region", "population", "parent",
                            "membershipState", "memberSince"});
}

inline Organisation Org(const std::string& id, const std::string& display_name,
                        int64_t population) {
  Organisation org;
  org.set_name("organisations/" + id);
  org.set_display_name(display_name);
  org.set_kind(Organisation::CITY);
  org.set_country_code("IT");
  org.set_region("regions/europe");
  org.set_population(population);
  return org;
}

// An embedded store in a fresh temporary directory, migrated for organisations.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(dir_, metrocap::testing::MakeTempDir("metrocap-resource"));
    ASSERT_OK_AND_ASSIGN(store_, store::OpenSqliteStore(dir_ + "/store.db"));
    ASSERT_OK(store_->Migrate({&organisations_}));
  }
  void TearDown() override {
    store_.reset();
    metrocap::testing::RemoveTree(dir_);
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  store::ResourceSchema organisations_ = OrganisationSchema();
};

}  // namespace metrocap::resource::testing
