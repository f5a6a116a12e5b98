// Redis is killed (SIGKILL) and started again, empty, while readers go through both
// membership replicas and a writer changes the organisations they read through both.
// No request fails; while Redis is up no read is older than a write acknowledged before it
// began; a write made while Redis was down is seen through the other replica once Redis
// is back, and once every replica uses Redis again no read is stale.
//
// Stale reads are possible in between, and are counted and printed rather than asserted:
// while Redis is down, a replica may answer from its in-process layer until it notices
// (on a kill its subscriber connection drops at once; on a partition, within the
// subscriber's PING timeout), and the in-process TTL (30 s) bounds that in any case; just
// after Redis returns, a replica whose circuit breaker is still open (up to 1 s) cannot
// send its invalidations at once and sends them on its subscriber's next PONG (500 ms).
#include <atomic>
#include <iostream>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "tests/integration/cache/replicas_fixture.h"
#include "tests/support/process.h"

namespace metrocap::testing {
namespace {

// When a read began. kRecovering: Redis is back and every process subscribed again, but a
// replica's breaker may still be open. kSettled: no stale read for kSettleTime since.
enum Phase { kRedisUp = 0, kRedisDown, kRecovering, kSettled, kPhases };
const char* const kPhaseNames[] = {"before the kill", "Redis down", "recovering", "settled"};
constexpr absl::Duration kSettleTime = absl::Seconds(2);
// How long Redis stays down: more than CacheConfig::breaker_open_for (1 s).
constexpr absl::Duration kOutage = absl::Milliseconds(1500);
constexpr int kOrganisations = 6;

class RedisOutageTest : public CacheReplicasTest {
 protected:
  struct Counters {
    std::atomic<int64_t> reads[kPhases] = {};
    std::atomic<int64_t> stale[kPhases] = {};
    std::atomic<int64_t> last_stale_nanos{0};  // absl::GetCurrentTimeNanos() of the last one
    std::atomic<int64_t> writes{0};
    std::atomic<int64_t> failures{0};
    absl::Mutex mu;
    std::string first_failure ABSL_GUARDED_BY(mu);
  };

  void Failed(const std::string& what) {
    if (counters_.failures++ == 0) {
      absl::MutexLock lock(&counters_.mu);
      counters_.first_failure = what;
    }
  }

  // Reads random organisations through `stub` until told to stop. A read is stale when
  // it is older than the last write acknowledged before it began.
  void Read(MembershipStub* stub, int seed) {
    std::mt19937 random(seed);
    while (!stop_) {
      int i = static_cast<int>(random() % kOrganisations);
      const int phase = phase_;
      const int64_t acknowledged = acknowledged_[i];
      auto read = GetOrganisation(*stub, names_[i]);
      if (!read.status.ok()) {
        Failed("read: " + Describe(read.status));
        continue;
      }
      ++counters_.reads[phase];
      if (VersionOf(read.value.etag()) < acknowledged) {
        ++counters_.stale[phase];
        counters_.last_stale_nanos = absl::GetCurrentTimeNanos();
      }
    }
  }

  // Renames the organisations in turn through both replicas until told to stop.
  void Write() {
    for (int round = 0; !stop_; ++round) {
      int i = round % kOrganisations;
      MembershipStub& writer = round % 2 == 0 ? *b_ : *a_;
      mv1::Organisation target;
      target.set_name(names_[i]);
      auto written = Rename(writer, target, absl::StrCat("round ", round));
      if (!written.status.ok()) {
        Failed("write: " + Describe(written.status));
        continue;
      }
      Acknowledge(i, written.value.etag());
      ++counters_.writes;
    }
  }

  // Records an acknowledged version of organisation `i` (never going back).
  void Acknowledge(int i, const std::string& etag) {
    const int64_t version = VersionOf(etag);
    int64_t known = acknowledged_[i];
    while (known < version && !acknowledged_[i].compare_exchange_weak(known, version)) {
    }
  }

  // Waits (polling) until every reader has done `reads` more reads in the current phase.
  void ReadMore(int64_t reads) {
    const int phase = phase_;
    const int64_t target = counters_.reads[phase] + reads;
    absl::Status done =
        PollUntil([&]() -> absl::StatusOr<bool> { return counters_.reads[phase] >= target; },
                  absl::Seconds(20), "reads");
    EXPECT_TRUE(done.ok()) << done;
  }

  std::string names_[kOrganisations];
  std::atomic<int64_t> acknowledged_[kOrganisations] = {};
  std::atomic<int> phase_{kRedisUp};
  std::atomic<bool> stop_{false};
  Counters counters_;
};

TEST_P(RedisOutageTest, NoRequestFailsAndWritesAreSeenOnceRedisIsBack) {
  for (int i = 0; i < kOrganisations; ++i) {
    names_[i] = CreateOrganisation(*b_, absl::StrCat("city-", i)).name();
  }
  ASSERT_FALSE(HasFailure());
  ASSERT_EQ(Subscribers(), 3);

  std::vector<std::thread> threads;
  for (int r = 0; r < 4; ++r) {
    threads.emplace_back([this, r] { Read(r % 2 == 0 ? a_.get() : b_.get(), r); });
  }
  threads.emplace_back([this] { Write(); });
  ReadMore(200);

  // The phase changes first, so every read counted as "before the kill" began before it.
  phase_ = kRedisDown;
  ASSERT_TRUE(redis_->Kill().ok());
  const absl::Time killed = absl::Now();
  // Down for longer than the breaker stays open, so its probes meet a dead Redis too.
  ReadMore(200);
  absl::Status down =
      PollUntil([&]() -> absl::StatusOr<bool> { return absl::Now() - killed >= kOutage; },
                kOutage + absl::Seconds(5), "the outage");
  ASSERT_TRUE(down.ok()) << down;
  // A write while Redis is down: its invalidation cannot be sent and waits for Redis.
  mv1::Organisation city;
  city.set_name(names_[0]);
  auto during = Rename(*b_, city, "written while Redis was down");
  ASSERT_TRUE(during.status.ok()) << Describe(during.status);
  Acknowledge(0, during.value.etag());
  auto seen_during = GetOrganisation(*a_, names_[0]);
  const bool fresh_during = seen_during.status.ok() &&
                            VersionOf(seen_during.value.etag()) >= VersionOf(during.value.etag());

  ASSERT_TRUE(redis_->Restart().ok());
  const absl::Time restarted = absl::Now();
  absl::Status back = PollUntil([&]() -> absl::StatusOr<bool> { return Subscribers() == 3; },
                                absl::Seconds(10), "every process subscribed again");
  ASSERT_TRUE(back.ok()) << back;
  const absl::Duration resubscribed = absl::Now() - restarted;
  phase_ = kRecovering;
  auto after = GetOrganisation(*a_, names_[0]);
  ASSERT_TRUE(after.status.ok()) << Describe(after.status);
  // (The writer may have renamed it again since: newer is fine too.)
  EXPECT_GE(VersionOf(after.value.etag()), VersionOf(during.value.etag()))
      << "replica A does not see the write made through B while Redis was down";

  // Settled: the stream has run for kSettleTime with Redis back and no stale read.
  const absl::Time recovering = absl::Now();
  absl::Status settled = PollUntil(
      [&]() -> absl::StatusOr<bool> {
        absl::Time last = std::max(recovering, absl::FromUnixNanos(counters_.last_stale_nanos));
        return absl::Now() - last >= kSettleTime;
      },
      absl::Seconds(15), "no stale read for " + absl::FormatDuration(kSettleTime));
  EXPECT_TRUE(settled.ok()) << settled;
  phase_ = kSettled;
  ReadMore(400);

  stop_ = true;
  for (std::thread& thread : threads) thread.join();
  {
    absl::MutexLock lock(&counters_.mu);
    EXPECT_EQ(counters_.failures.load(), 0) << counters_.first_failure;
  }
  EXPECT_EQ(counters_.stale[kRedisUp].load(), 0);
  EXPECT_EQ(counters_.stale[kSettled].load(), 0);
  std::cerr << GetParam().name << ": " << counters_.writes << " writes, " << counters_.failures
            << " failed requests; Redis down for " << absl::FormatDuration(restarted - killed)
            << ", every process subscribed again " << absl::FormatDuration(resubscribed)
            << " after the restart; the write made while "
            << "Redis was down was " << (fresh_during ? "already" : "not yet")
            << " seen through A before the restart and seen at once after it\n";
  for (int phase = 0; phase < kPhases; ++phase) {
    std::cerr << "  " << kPhaseNames[phase] << ": " << counters_.reads[phase] << " reads, "
              << counters_.stale[phase] << " stale\n";
  }
  if (counters_.last_stale_nanos > 0) {
    std::cerr << "  last stale read "
              << absl::FormatDuration(absl::FromUnixNanos(counters_.last_stale_nanos) - restarted)
              << " after the restart\n";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, RedisOutageTest, ::testing::ValuesIn(AllStoreBackends()),
                         StoreBackendName);

}  // namespace
}  // namespace metrocap::testing
