// MembershipDirectory against a stand-in membership server that records what it receives.
#include "services/assessment/organisations.h"

#include <memory>
#include <string>

#include "absl/synchronization/notification.h"
#include "common/server/server.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"

namespace metrocap::assessment {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kCredential[] = "cred";

// Knows organisations/milan; records the metadata of the last call; can be told to hang
// until the caller gives up.
class FakeMembership final : public membership::v1::MembershipService::Service {
 public:
  grpc::Status GetOrganisation(grpc::ServerContext* context,
                               const membership::v1::GetOrganisationRequest* request,
                               membership::v1::Organisation* response) override {
    {
      absl::MutexLock lock(&mu_);
      ++calls_;
      metadata_.clear();
      for (const auto& [key, value] : context->client_metadata()) {
        metadata_[std::string(key.data(), key.size())] = std::string(value.data(), value.size());
      }
      deadline_ = absl::FromChrono(context->deadline());
    }
    if (hang_) {
      while (!context->IsCancelled()) absl::SleepFor(absl::Milliseconds(5));
      return grpc::Status(grpc::StatusCode::CANCELLED, "gave up");
    }
    if (request->name() != "organisations/milan") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, request->name() + " does not exist");
    }
    response->set_name(request->name());
    return grpc::Status::OK;
  }

  int calls() {
    absl::MutexLock lock(&mu_);
    return calls_;
  }
  std::string Metadata(const std::string& key) {
    absl::MutexLock lock(&mu_);
    return metadata_.count(key) ? metadata_[key] : "";
  }
  absl::Time deadline() {
    absl::MutexLock lock(&mu_);
    return deadline_;
  }
  std::atomic<bool> hang_{false};

 private:
  absl::Mutex mu_;
  int calls_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, std::string> metadata_ ABSL_GUARDED_BY(mu_);
  absl::Time deadline_ ABSL_GUARDED_BY(mu_);
};

class MembershipDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server::ServerOptions options;
    options.shutdown_grace = absl::Milliseconds(50);
    server_ = *server::GrpcServer::Start("fake-membership", options, {&fake_});
    server_->SetServing(true);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                   grpc::InsecureChannelCredentials());
  }
  void TearDown() override {
    fake_.hang_ = false;
    server_->Shutdown();
  }

  // A directory with a fresh in-process cache whose entries live `ttl`.
  MembershipDirectory Directory(absl::Duration timeout = absl::Seconds(2),
                                absl::Duration ttl = absl::Seconds(30)) {
    cache::CacheConfig config;
    config.local_ttl = ttl;
    cache_ = *cache::CacheClient::Create(config);
    return MembershipDirectory(channel_, identity::IdentityConfig{kCredential, ""},
                               MembershipDirectoryOptions{timeout},
                               &cache_->Cache(kOrganisationsCache));
  }

  server::Call CallFrom(identity::Caller caller) {
    server::Call call;
    call.caller = std::move(caller);
    call.request_id = "req-42";
    call.traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    return call;
  }

  FakeMembership fake_;
  std::unique_ptr<cache::CacheClient> cache_;
  std::unique_ptr<server::GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(MembershipDirectoryTest, ForwardsIdentityRequestIdAndTraceContext) {
  MembershipDirectory directory = Directory();
  identity::Caller partner{
      "partners/milan-lab", membership::v1::Partner::PARTNER, {"organisations/milan"}};
  ASSERT_OK(directory.CheckExists(CallFrom(partner), "organisations/milan"));

  EXPECT_EQ(fake_.Metadata(identity::kCredentialKey), kCredential);
  membership::v1::Principal principal;
  ASSERT_TRUE(principal.ParseFromString(fake_.Metadata(identity::kPrincipalKey)));
  EXPECT_EQ(principal.partner(), "partners/milan-lab");
  EXPECT_EQ(principal.role(), membership::v1::Partner::PARTNER);
  EXPECT_THAT(principal.grants(), ::testing::ElementsAre("organisations/milan"));
  EXPECT_EQ(fake_.Metadata(identity::kRequestIdKey), "req-42");
  EXPECT_EQ(fake_.Metadata(identity::kTraceparentKey),
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
}

TEST_F(MembershipDirectoryTest, SetsADeadline) {
  MembershipDirectory directory = Directory(absl::Seconds(3));
  absl::Time before = absl::Now();
  ASSERT_OK(directory.CheckExists(CallFrom({"admin", membership::v1::Partner::ADMIN, {}}),
                                  "organisations/milan"));
  EXPECT_LT(fake_.deadline(), before + absl::Seconds(4));
  EXPECT_GT(fake_.deadline(), before + absl::Seconds(2));
}

TEST_F(MembershipDirectoryTest, UnknownOrganisationIsNotFound) {
  MembershipDirectory directory = Directory();
  absl::Status status = directory.CheckExists(
      CallFrom({"admin", membership::v1::Partner::ADMIN, {}}), "organisations/x");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound, HasSubstr("organisations/x")));
  EXPECT_EQ(ReasonOf(status), "ORGANISATION_NOT_FOUND");
}

TEST_F(MembershipDirectoryTest, RemembersOnlyThatAnOrganisationExists) {
  MembershipDirectory directory = Directory();
  server::Call call = CallFrom({"admin", membership::v1::Partner::ADMIN, {}});
  ASSERT_OK(directory.CheckExists(call, "organisations/milan"));
  ASSERT_OK(directory.CheckExists(call, "organisations/milan"));
  EXPECT_EQ(fake_.calls(), 1);
  ASSERT_FALSE(directory.CheckExists(call, "organisations/x").ok());
  ASSERT_FALSE(directory.CheckExists(call, "organisations/x").ok());
  EXPECT_EQ(fake_.calls(), 3);
}

TEST_F(MembershipDirectoryTest, ForgetDropsTheCachedAnswer) {
  MembershipDirectory directory = Directory();
  server::Call call = CallFrom({"admin", membership::v1::Partner::ADMIN, {}});
  ASSERT_OK(directory.CheckExists(call, "organisations/milan"));
  directory.Forget("organisations/milan");
  ASSERT_OK(directory.CheckExists(call, "organisations/milan"));
  EXPECT_EQ(fake_.calls(), 2);
}

TEST_F(MembershipDirectoryTest, ForgetsAfterTheTtl) {
  MembershipDirectory directory = Directory(absl::Seconds(2), absl::ZeroDuration());
  server::Call call = CallFrom({"admin", membership::v1::Partner::ADMIN, {}});
  ASSERT_OK(directory.CheckExists(call, "organisations/milan"));
  ASSERT_OK(directory.CheckExists(call, "organisations/milan"));
  EXPECT_EQ(fake_.calls(), 2);
}

TEST_F(MembershipDirectoryTest, ASlowMembershipIsUnavailableAfterTheTimeout) {
  fake_.hang_ = true;
  MembershipDirectory directory = Directory(absl::Milliseconds(200));
  absl::Status status = directory.CheckExists(
      CallFrom({"admin", membership::v1::Partner::ADMIN, {}}), "organisations/milan");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("membership")));
  EXPECT_EQ(ReasonOf(status), "MEMBERSHIP_UNAVAILABLE");
}

TEST_F(MembershipDirectoryTest, AnUnreachableMembershipIsUnavailable) {
  server_->Shutdown();
  MembershipDirectory directory = Directory();
  absl::Status status = directory.CheckExists(
      CallFrom({"admin", membership::v1::Partner::ADMIN, {}}), "organisations/milan");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable, HasSubstr("membership")));
}

}  // namespace
}  // namespace metrocap::assessment
