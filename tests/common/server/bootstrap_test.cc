// The service bootstrap's context: what every service's build function is given. RunService
// itself runs in real processes (tests/integration/cache starts metrocap-assessment).
#include "common/server/bootstrap.h"

#include <stdlib.h>

#include <filesystem>

#include "common/store/sqlite_store.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::server {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

class ServiceContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* base = getenv("TEST_TMPDIR");
    std::string pattern = std::string(base ? base : "/tmp") + "/metrocap-bootstrap-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::unique_ptr<ServiceContext> Context(const std::string& credential) {
    config::ComponentConfig config;
    config.component = "probe";
    config.internal_credential = credential;
    config.admin_token = "admin-token";
    auto store = store::OpenSqliteStore(dir_ + "/probe.db");
    auto cache = cache::CacheClient::Create(cache::CacheConfig{});
    EXPECT_OK(store.status());
    EXPECT_OK(cache.status());
    return std::make_unique<ServiceContext>(config, config::Settings(), *std::move(store),
                                            *std::move(cache));
  }

  std::string dir_;
};

TEST_F(ServiceContextTest, DerivesTheCallEnvAndThePageTokenKeyFromTheConfig) {
  std::unique_ptr<ServiceContext> ctx = Context("secret");
  EXPECT_EQ(ctx->call_env().component, "probe");
  EXPECT_EQ(ctx->call_env().identity.internal_credential, "secret");
  EXPECT_EQ(ctx->call_env().identity.admin_token, "admin-token");
  EXPECT_EQ(ctx->page_token_key(), "page-token:secret");
  EXPECT_EQ(Context("")->page_token_key(), "");
  const resource::ServiceEnv& resources = ctx->resources();
  EXPECT_EQ(resources.call.component, "probe");
  EXPECT_EQ(resources.store, &ctx->store());
  EXPECT_EQ(resources.cache, &ctx->cache());
  EXPECT_EQ(resources.page_token_key, "page-token:secret");
}

TEST_F(ServiceContextTest, NamesThePeersItOpensAndKeepsWhatItIsGiven) {
  std::unique_ptr<ServiceContext> ctx = Context("secret");
  EXPECT_NE(ctx->PeerChannel("membership", "127.0.0.1:1"), nullptr);
  EXPECT_THAT(ctx->peers(), ElementsAre(Pair("membership", "127.0.0.1:1")));
  auto owned = std::make_shared<int>(7);
  std::weak_ptr<int> watch = owned;
  struct Holder {
    std::shared_ptr<int> value;
  };
  Holder* kept = ctx->Keep(std::make_unique<Holder>(Holder{std::move(owned)}));
  EXPECT_EQ(*kept->value, 7);
  EXPECT_FALSE(watch.expired());
  ctx.reset();
  EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace metrocap::server
