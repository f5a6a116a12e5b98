// The shared metrics: RPC series, the cache's counters read at scrape and the store's
// transaction latency, rendered by prometheus-cpp as Prometheus scrapes them.
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/cache/lookup_cache.h"
#include "common/metrics/cache_collector.h"
#include "common/metrics/rpc.h"
#include "common/metrics/timed_store.h"
#include "common/store/sqlite_store.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"
#include "tests/support/temp_dir.h"

namespace metrocap::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Text(const prometheus::Collectable& source) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, source.Collect());
  return out.str();
}

TEST(RpcMetricsTest, CountsCallsByMethodAndCodeListingOnlyCodesSeen) {
  prometheus::Registry registry;
  RpcMetrics rpc(registry);
  rpc.Observe("GetOrganisation", absl::StatusCode::kOk, absl::Milliseconds(2));
  rpc.Observe("GetOrganisation", absl::StatusCode::kOk, absl::Milliseconds(30));
  rpc.Observe("GetOrganisation", absl::StatusCode::kNotFound, absl::Microseconds(300));
  std::string text = Text(registry);
  EXPECT_THAT(text,
              HasSubstr("metrocap_rpc_requests_total{code=\"OK\",method=\"GetOrganisation\"} 2\n"));
  EXPECT_THAT(
      text,
      HasSubstr("metrocap_rpc_requests_total{code=\"NOT_FOUND\",method=\"GetOrganisation\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("code=\"INTERNAL\"")));
  EXPECT_THAT(text, HasSubstr("metrocap_rpc_duration_seconds_bucket{method=\"GetOrganisation\","
                              "le=\"0.0005\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("metrocap_rpc_duration_seconds_bucket{method=\"GetOrganisation\","
                              "le=\"0.0025\"} 2\n"));
  EXPECT_THAT(text,
              HasSubstr("metrocap_rpc_duration_seconds_count{method=\"GetOrganisation\"} 3\n"));
}

// Threads meeting new methods and new codes at once lose no count.
TEST(RpcMetricsTest, ExactUnderConcurrency) {
  prometheus::Registry registry;
  RpcMetrics rpc(registry);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&rpc, t] {
      for (int i = 0; i < 400; ++i) {
        rpc.Observe(t % 2 == 0 ? "A" : "B", static_cast<absl::StatusCode>(i % 4),
                    absl::Milliseconds(1));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::string text = Text(registry);
  for (const char* code : {"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT"}) {
    EXPECT_THAT(text, HasSubstr(absl::StrCat("metrocap_rpc_requests_total{code=\"", code,
                                             "\",method=\"A\"} 400\n")));
  }
  EXPECT_THAT(text, HasSubstr("metrocap_rpc_duration_seconds_count{method=\"B\"} 1600\n"));
}

TEST(CacheCollectorTest, ReadsTheCacheCountersAtEachScrape) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<cache::CacheClient> client,
                       cache::CacheClient::Create(cache::CacheConfig{}));
  CacheCollector collector(client.get());
  cache::LookupCache& organisations = client->Cache("organisations");
  auto load = []() -> absl::StatusOr<std::string> { return std::string("bytes"); };
  ASSERT_OK(organisations.GetOrLoad("organisations/milan", load).status());
  ASSERT_OK(organisations.GetOrLoad("organisations/milan", load).status());
  ASSERT_OK(organisations.GetOrLoad("organisations/milan", load).status());
  std::string text = Text(collector);
  EXPECT_THAT(text, HasSubstr("# TYPE metrocap_cache_hits_total counter\n"));
  EXPECT_THAT(text,
              HasSubstr("metrocap_cache_hits_total{cache=\"organisations\",layer=\"local\"} 2\n"));
  EXPECT_THAT(text,
              HasSubstr("metrocap_cache_hits_total{cache=\"organisations\",layer=\"redis\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("metrocap_cache_misses_total{cache=\"organisations\"} 1\n"));
  organisations.Invalidate("organisations/milan");
  EXPECT_THAT(Text(collector),
              HasSubstr("metrocap_cache_invalidations_total{cache=\"organisations\","
                        "origin=\"local\"} 1\n"));
}

class TimedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(dir_, metrocap::testing::MakeTempDir("metrocap-timed-store"));
  }
  void TearDown() override { metrocap::testing::RemoveTree(dir_); }
  std::string dir_;
};

TEST_F(TimedStoreTest, TimesEachTransactionByAccessAndOutcome) {
  prometheus::Registry registry;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Store> sqlite,
                       store::OpenSqliteStore(dir_ + "/timed.db"));
  TimedStore timed(std::move(sqlite), registry);
  ASSERT_OK(timed.Migrate({}));
  ASSERT_OK(timed.RunInTransaction([](store::Transaction&) { return absl::OkStatus(); }));
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Transaction> read,
                         timed.Begin(store::Store::Access::kReadOnly));
  }  // dropped without a commit: rolled back
  std::string text = Text(registry);
  EXPECT_THAT(text, HasSubstr("metrocap_store_transaction_seconds_count{access=\"write\","
                              "outcome=\"commit\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("metrocap_store_transaction_seconds_count{access=\"read\","
                              "outcome=\"rollback\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("metrocap_store_transaction_seconds_count{access=\"write\","
                              "outcome=\"rollback\"} 0\n"));
}

}  // namespace
}  // namespace metrocap::metrics
