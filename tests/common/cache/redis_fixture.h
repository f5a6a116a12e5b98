#pragma once

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/cache/lookup_cache.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"
#include "tests/common/cache/fake_store.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"

namespace metrocap::cache::testing {

// A fresh redis-server per test and two cache clients on it ("replicas" a and b), each
// with an "organisations" cache over one FakeStore.
class RedisCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!::metrocap::testing::RedisServerAvailable()) GTEST_SKIP() << "no redis-server";
    ASSERT_OK_AND_ASSIGN(redis_, ::metrocap::testing::RedisServer::Start());
    CacheConfig config = Config();
    config.redis_url = redis_->Url();
    ASSERT_OK_AND_ASSIGN(client_a_, CacheClient::Create(config));
    ASSERT_OK_AND_ASSIGN(client_b_, CacheClient::Create(config));
    ASSERT_OK(BothHealthy(absl::Seconds(10)));
  }

  // The production timeouts (50 ms a command) are the fault path: a shared machine running
  // the suite under ASan beside PostgreSQL can take longer than that to answer, and a
  // timed-out publish would make these correctness tests fail for the wrong reason.
  // RedisFailureTest, which is about faults, uses the production values.
  virtual CacheConfig Config() {
    CacheConfig config;
    config.connect_timeout = absl::Seconds(5);
    config.command_timeout = absl::Seconds(5);
    return config;
  }

  // What the two replicas have seen, for a failure message.
  std::string Diagnostics() {
    CacheMetrics ma = a().Metrics();
    CacheMetrics mb = b().Metrics();
    return absl::StrCat("a: errors ", ma.errors, ", invalidations ", ma.invalidations, ", healthy ",
                        client_a_->redis_healthy(), "; b: errors ", mb.errors,
                        ", invalidations received ", mb.invalidations_received, ", local hits ",
                        mb.local_hits, ", healthy ", client_b_->redis_healthy());
  }

  // Waits until both replicas use Redis again (breaker closed, subscription live).
  absl::Status BothHealthy(absl::Duration timeout) {
    return ::metrocap::testing::PollUntil(
        [&]() -> absl::StatusOr<bool> {
          return client_a_->redis_healthy() && client_b_->redis_healthy();
        },
        timeout, "both replicas to use Redis");
  }

  LookupCache& a() { return client_a_->Cache("organisations"); }
  LookupCache& b() { return client_b_->Cache("organisations"); }
  absl::StatusOr<std::string> Get(LookupCache& cache, const std::string& key) {
    return cache.GetOrLoad(key, store_.Loader(key));
  }

  FakeStore store_;
  std::unique_ptr<::metrocap::testing::RedisServer> redis_;
  std::unique_ptr<CacheClient> client_a_;
  std::unique_ptr<CacheClient> client_b_;
};

}  // namespace metrocap::cache::testing
