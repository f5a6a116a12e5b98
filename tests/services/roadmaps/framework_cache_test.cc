// A framework change in assessment reaches the roadmaps service in another cache client
// (as in another process) through Redis: assessment's write deletes the shared key and
// publishes the invalidation, which drops roadmaps' in-process copy. Real redis-server;
// SQLite stores.
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/roadmaps/service_fixture.h"
#include "tests/support/poll.h"
#include "tests/support/redis_server.h"

namespace metrocap::roadmaps::testing {
namespace {

using ::metrocap::testing::RedisServer;

TEST(FrameworkCacheTest, AssessmentsWriteReachesRoadmapsThroughRedis) {
  if (!::metrocap::testing::RedisServerAvailable()) GTEST_SKIP() << "no redis-server";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<RedisServer> redis, RedisServer::Start());
  ::metrocap::testing::ServiceEnvOptions options;
  options.redis_url = redis->Url();
  ServiceEnv env(::metrocap::testing::SqliteStoreBackend(), Service::kRoadmaps, options);
  ASSERT_OK(env.Start());

  ASSERT_OK(env.AddOrganisation("milan"));
  ASSERT_OK_AND_ASSIGN(assessment::v1::Framework framework,
                       env.AddFramework("draft", DraftFramework(), /*publish=*/false));

  v1::CreateRoadmapRequest request;
  request.set_parent("organisations/milan");
  request.set_roadmap_id("twin");
  *request.mutable_roadmap() = Parse<v1::Roadmap>(R"pb(
    display_name: "Twin"
    kind: TWIN
    framework: "frameworks/draft"
    objectives { id: "learning" title: "Learn" capacities: "learning" }
  )pb");
  v1::Roadmap roadmap;
  // Refused, and the framework is now cached on roadmaps' side.
  grpc::Status refused =
      env.roadmaps().CreateRoadmap(env.As(AdminCaller()).get(), request, &roadmap);
  ASSERT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << refused.error_message();

  ASSERT_OK(env.AddCapacity(framework, "learning"));

  // The invalidation travels asynchronously (pub/sub): poll, with a deadline.
  grpc::Status created;
  absl::Status polled = ::metrocap::testing::PollUntil(
      [&]() -> absl::StatusOr<bool> {
        created = env.roadmaps().CreateRoadmap(env.As(AdminCaller()).get(), request, &roadmap);
        return created.error_code() != grpc::StatusCode::INVALID_ARGUMENT;
      },
      absl::Seconds(10), "roadmaps to see the framework's new capacity");
  EXPECT_TRUE(polled.ok()) << polled;
  EXPECT_TRUE(created.ok()) << created.error_message();
}

}  // namespace
}  // namespace metrocap::roadmaps::testing
