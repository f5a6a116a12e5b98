#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/store/store.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/hubs/storage/schemas.h"
#include "tests/support/store_backends.h"

namespace metrocap::hubs {

// A hubs store migrated with HubsSchemas() on the backend the test is instantiated for,
// named "hubs" in a fresh directory per test (dir_).
class HubsStoreTest : public ::testing::TestWithParam<::metrocap::testing::StoreBackend> {
 protected:
  void SetUp() override {
    METROCAP_REQUIRE_STORE_BACKEND(GetParam());
    dir_ = ::testing::TempDir() + "hubs-store-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto store = GetParam().Open(dir_, "hubs");
    ASSERT_THAT(store, ::metrocap::testing::IsOk());
    store_ = *std::move(store);
    ASSERT_THAT(store_->Migrate(HubsSchemas().All()), ::metrocap::testing::IsOk());
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

}  // namespace metrocap::hubs
