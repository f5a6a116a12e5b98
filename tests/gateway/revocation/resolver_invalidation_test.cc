// The gateway's ApiKeyResolver with the cache client of its process, against a real
// redis-server: a second client stands for membership, which invalidates a key's digest in
// the api-keys cache after a committed write. The key lookups go to a fake membership that
// can hold a lookup after reading its answer (a read that started before the write).
#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "common/cache/lookup_cache.h"
#include "common/cache/names.h"
#include "common/testing/status_matchers.h"
#include "gtest/gtest.h"
#include "services/membership/api_key_secrets.h"
#include "tests/gateway/harness.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"
#include "tests/support/test_databases.h"

namespace metrocap::gateway::testing {
namespace {

namespace mv1 = membership::v1;
using ::metrocap::testing::PollUntil;
using ::metrocap::testing::RedisServer;

constexpr char kSecret[] = "mck_0123abcd_0123456789abcdef0123456789abcdef01234567";

absl::StatusOr<mv1::Principal> PrincipalOf(const ApiKeyResolver::Result& resolved) {
  if (!resolved.ok()) return resolved.status();
  return (*resolved)->principal;
}

// Membership's key lookup. HoldNextLookup() makes the next lookup read its answer and then
// wait: its answer is from before whatever the test does meanwhile.
class HeldKeys final : public mv1::MembershipService::Service {
 public:
  void Add(const std::string& secret, mv1::Partner::Role role) {
    absl::MutexLock lock(&mu_);
    mv1::Principal& principal = keys_[secret];
    principal.set_partner("partners/lab");
    principal.set_role(role);
  }
  void Revoke(const std::string& secret) {
    absl::MutexLock lock(&mu_);
    keys_.erase(secret);
  }
  void HoldNextLookup(absl::Notification* release) {
    absl::MutexLock lock(&mu_);
    release_ = release;
    held_ = false;
  }
  bool holding() const {
    absl::MutexLock lock(&mu_);
    return held_;
  }
  int lookups() const {
    absl::MutexLock lock(&mu_);
    return lookups_;
  }

  grpc::Status LookupApiKey(grpc::ServerContext*, const mv1::LookupApiKeyRequest* request,
                            mv1::Principal* principal) override {
    absl::Notification* release = nullptr;
    bool found = false;
    {
      absl::MutexLock lock(&mu_);
      ++lookups_;
      auto it = keys_.find(request->secret());
      found = it != keys_.end();
      if (found) *principal = it->second;
      std::swap(release, release_);
      held_ = release != nullptr;
    }
    if (release != nullptr) release->WaitForNotification();
    if (!found) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such key");
    return grpc::Status::OK;
  }

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, mv1::Principal> keys_ ABSL_GUARDED_BY(mu_);
  absl::Notification* release_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool held_ ABSL_GUARDED_BY(mu_) = false;
  int lookups_ ABSL_GUARDED_BY(mu_) = 0;
};

// What one Resolve call answered, once it has.
struct Answer {
  absl::Notification done;
  absl::StatusOr<mv1::Principal> principal = absl::UnknownError("not answered");
};

class ResolverInvalidationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!::metrocap::testing::RedisServerAvailable()) {
      if (::metrocap::testing::RunningInCi()) FAIL() << "redis-server is required in CI";
      GTEST_SKIP() << "redis-server is not installed";
    }
    ASSERT_OK_AND_ASSIGN(redis_, RedisServer::Start());
    int port = 0;
    membership_ = StartBackend({&keys_}, 0, &port);
    ASSERT_NE(membership_, nullptr);
    backends_ = std::make_unique<Backends>(
        std::vector<BackendConfig>{{"membership", "metrocap.membership.v1.MembershipService",
                                    "127.0.0.1:" + std::to_string(port)}});
    cache::CacheConfig cache_config;
    cache_config.redis_url = redis_->Url();
    ASSERT_OK_AND_ASSIGN(writer_, cache::CacheClient::Create(cache_config));
    ASSERT_OK_AND_ASSIGN(gateway_cache_, cache::CacheClient::Create(cache_config));
    ASSERT_OK(GatewayCacheHealthy(true));
    ApiKeyConfig config;
    config.internal_credential = kCredential;
    // Long enough that only an invalidation, never the TTL, can explain a refusal here.
    config.cache_ttl = absl::Seconds(60);
    resolver_ =
        std::make_unique<ApiKeyResolver>(config, backends_.get(), &metrics_, gateway_cache_.get());
    keys_.Add(kSecret, mv1::Partner::PARTNER);
  }

  void TearDown() override {
    if (backends_ != nullptr) backends_->WaitIdle(absl::Now() + absl::Seconds(10));
    resolver_.reset();
    if (membership_ != nullptr) membership_->Shutdown();
  }

  absl::Status GatewayCacheHealthy(bool healthy) {
    return PollUntil(
        [&]() -> absl::StatusOr<bool> { return gateway_cache_->redis_healthy() == healthy; },
        absl::Seconds(10), healthy ? "the gateway's client to use Redis" : "Redis to be gone");
  }

  std::shared_ptr<Answer> Start(const std::string& key) {
    auto answer = std::make_shared<Answer>();
    resolver_->Resolve(key, [answer](ApiKeyResolver::Result resolved) {
      answer->principal = PrincipalOf(resolved);
      answer->done.Notify();
    });
    return answer;
  }

  absl::StatusOr<mv1::Principal> Resolve(const std::string& key) {
    std::shared_ptr<Answer> answer = Start(key);
    if (!answer->done.WaitForNotificationWithTimeout(absl::Seconds(10))) {
      return absl::DeadlineExceededError("no answer from the resolver");
    }
    return answer->principal;
  }

  // What membership does after revoking a key: forget it in the shared api-keys cache.
  void RevokeInMembership(const std::string& secret) {
    keys_.Revoke(secret);
    writer_->Cache(cache::kApiKeysCache).Invalidate(membership::KeyDigest(secret));
  }

  HeldKeys keys_;
  Metrics metrics_;
  std::unique_ptr<RedisServer> redis_;
  std::unique_ptr<grpc::Server> membership_;
  std::unique_ptr<Backends> backends_;
  std::unique_ptr<cache::CacheClient> writer_;
  std::unique_ptr<cache::CacheClient> gateway_cache_;
  std::unique_ptr<ApiKeyResolver> resolver_;
};

TEST_F(ResolverInvalidationTest, MembershipsInvalidationDropsTheKeyLongBeforeItsTtl) {
  for (int round = 0; round < 50; ++round) {
    const std::string secret = absl::StrFormat("mck_0123abcd_%040d", round);
    keys_.Add(secret, mv1::Partner::VIEWER);
    ASSERT_OK(Resolve(secret).status());
    const int lookups = keys_.lookups();
    ASSERT_OK(Resolve(secret).status());
    ASSERT_EQ(keys_.lookups(), lookups) << "the second resolve should be a cache hit";
    RevokeInMembership(secret);
    // The very next resolve: Invalidate returned, so the gateway's client has the message.
    absl::StatusOr<mv1::Principal> after = Resolve(secret);
    ASSERT_TRUE(absl::IsUnauthenticated(after.status()))
        << "round " << round << ": " << after.status();
    ASSERT_EQ(keys_.lookups(), lookups + 1);
  }
}

TEST_F(ResolverInvalidationTest, AnotherKeysInvalidationLeavesThisOneCached) {
  ASSERT_OK(Resolve(kSecret).status());
  writer_->Cache(cache::kApiKeysCache).Invalidate(membership::KeyDigest("mck_other"));
  writer_->Cache(cache::kOrganisationsCache).Invalidate(membership::KeyDigest(kSecret));
  ASSERT_OK(Resolve(kSecret).status());
  EXPECT_EQ(keys_.lookups(), 1);
}

// A lookup that read the key before the revocation answers after it: the requests that were
// waiting for it get its answer, but it is not kept, and requests arriving after the
// invalidation do not join it.
TEST_F(ResolverInvalidationTest, ALookupOverlappingTheRevocationIsNotKept) {
  absl::Notification release;
  keys_.HoldNextLookup(&release);
  std::shared_ptr<Answer> early = Start(kSecret);
  ASSERT_OK(PollUntil([&]() -> absl::StatusOr<bool> { return keys_.holding(); }, absl::Seconds(10),
                      "membership to hold the lookup"));
  RevokeInMembership(kSecret);
  absl::StatusOr<mv1::Principal> late = Resolve(kSecret);
  EXPECT_TRUE(absl::IsUnauthenticated(late.status())) << late.status();
  release.Notify();
  ASSERT_TRUE(early->done.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_OK(early->principal.status());  // it read the key before the revocation
  absl::StatusOr<mv1::Principal> after = Resolve(kSecret);
  EXPECT_TRUE(absl::IsUnauthenticated(after.status())) << after.status();
}

// While Redis is away invalidations cannot arrive: what was kept is dropped, and what is
// kept meanwhile lives its TTL; when Redis is back, everything kept meanwhile is dropped
// again (invalidations may have been missed).
TEST_F(ResolverInvalidationTest, LosingAndRegainingRedisDropsEveryKey) {
  ASSERT_OK(Resolve(kSecret).status());
  ASSERT_OK(Resolve(kSecret).status());
  ASSERT_EQ(keys_.lookups(), 1);

  ASSERT_OK(redis_->Kill());
  ASSERT_OK(GatewayCacheHealthy(false));
  ASSERT_OK(Resolve(kSecret).status());
  EXPECT_EQ(keys_.lookups(), 2) << "kept keys should be dropped when Redis is lost";
  ASSERT_OK(Resolve(kSecret).status());
  EXPECT_EQ(keys_.lookups(), 2) << "without Redis, the TTL bounds a key";

  ASSERT_OK(redis_->Restart());
  ASSERT_OK(GatewayCacheHealthy(true));
  ASSERT_OK(Resolve(kSecret).status());
  EXPECT_EQ(keys_.lookups(), 3) << "keys kept while Redis was away should be dropped";
}

// No Redis (or no client): a revocation cannot reach this process, and the TTL is the bound.
TEST(ResolverWithoutRedisTest, OnlyTheTtlBoundsARevokedKey) {
  HeldKeys keys;
  keys.Add(kSecret, mv1::Partner::PARTNER);
  int port = 0;
  std::unique_ptr<grpc::Server> membership = StartBackend({&keys}, 0, &port);
  ASSERT_NE(membership, nullptr);
  Backends backends({{"membership", "metrocap.membership.v1.MembershipService",
                      "127.0.0.1:" + std::to_string(port)}});
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<cache::CacheClient> local,
                       cache::CacheClient::Create(cache::CacheConfig{}));
  absl::Mutex clock_mu;
  absl::Time now = absl::Now();
  Metrics metrics;
  ApiKeyConfig config;
  config.internal_credential = kCredential;
  config.cache_ttl = absl::Seconds(60);
  ApiKeyResolver resolver(config, &backends, &metrics, local.get(), [&] {
    absl::MutexLock lock(&clock_mu);
    return now;
  });
  auto resolve = [&] {
    absl::Notification done;
    absl::StatusOr<mv1::Principal> answer;
    resolver.Resolve(kSecret, [&](ApiKeyResolver::Result resolved) {
      answer = PrincipalOf(resolved);
      done.Notify();
    });
    EXPECT_TRUE(done.WaitForNotificationWithTimeout(absl::Seconds(10)));
    return answer;
  };
  ASSERT_OK(resolve().status());
  keys.Revoke(kSecret);
  EXPECT_OK(resolve().status()) << "within its TTL the key is still trusted";
  {
    absl::MutexLock lock(&clock_mu);
    now += absl::Seconds(61);
  }
  EXPECT_TRUE(absl::IsUnauthenticated(resolve().status()));
  backends.WaitIdle(absl::Now() + absl::Seconds(10));
  membership->Shutdown();
}

}  // namespace
}  // namespace metrocap::gateway::testing
