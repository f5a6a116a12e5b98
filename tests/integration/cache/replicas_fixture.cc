#include "tests/integration/cache/replicas_fixture.h"

#include <iostream>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "openssl/sha.h"
#include "tests/support/process.h"
#include "tests/support/test_databases.h"

namespace metrocap::testing {

std::string Describe(const grpc::Status& status) {
  return absl::StrCat("code ", status.error_code(), ": ", status.error_message());
}

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

int64_t VersionOf(const std::string& etag) {
  absl::string_view text = etag;
  absl::ConsumePrefix(&text, "\"");
  absl::ConsumeSuffix(&text, "\"");
  int64_t version = 0;
  return absl::SimpleAtoi(text, &version) ? version : 0;
}

void CacheReplicasTest::SetUp() {
  METROCAP_REQUIRE_STORE_BACKEND(GetParam());
  if (!RedisServerAvailable()) {
    if (RunningInCi()) FAIL() << "redis-server is required in CI";
    GTEST_SKIP() << "redis-server is not installed";
  }
  absl::StatusOr<std::string> dir = MakeTempDir("cache-replicas");
  ASSERT_TRUE(dir.ok()) << dir.status();
  dir_ = *dir;
  absl::StatusOr<std::unique_ptr<RedisServer>> redis = RedisServer::Start();
  ASSERT_TRUE(redis.ok()) << redis.status();
  redis_ = *std::move(redis);

  // The two replicas share one store; assessment has its own.
  const std::string membership_db = DatabaseUrl("membership");
  const std::string assessment_db = DatabaseUrl("assessment");
  ASSERT_FALSE(HasFatalFailure());
  replica_a_ = StartComponent(METROCAP_MEMBERSHIP_BINARY, "membership-a",
                              {"METROCAP_DATABASE_URL=" + membership_db});
  ASSERT_TRUE(replica_a_ != nullptr);
  replica_b_ = StartComponent(METROCAP_MEMBERSHIP_BINARY, "membership-b",
                              {"METROCAP_DATABASE_URL=" + membership_db});
  ASSERT_TRUE(replica_b_ != nullptr);
  assessment_ = StartComponent(METROCAP_ASSESSMENT_BINARY, "assessment",
                               {"METROCAP_DATABASE_URL=" + assessment_db,
                                "METROCAP_MEMBERSHIP_ADDRESS=" + replica_a_->address()});
  ASSERT_TRUE(assessment_ != nullptr);

  auto channel = [](const ComponentProcess& process) {
    return grpc::CreateChannel(process.address(), grpc::InsecureChannelCredentials());
  };
  a_ = mv1::MembershipService::NewStub(channel(*replica_a_));
  b_ = mv1::MembershipService::NewStub(channel(*replica_b_));
  assessments_ = av1::AssessmentService::NewStub(channel(*assessment_));

  mv1::CreateRegionRequest region;
  region.set_region_id("europe");
  region.mutable_region()->set_display_name("Europe");
  auto created = Call(*b_, &MembershipStub::CreateRegion, region);
  ASSERT_TRUE(created.status.ok()) << Describe(created.status);
}

void CacheReplicasTest::TearDown() {
  a_.reset();
  b_.reset();
  assessments_.reset();
  assessment_.reset();
  replica_a_.reset();
  replica_b_.reset();
  redis_.reset();
  if (HasFailure()) {
    for (const std::string& path : log_paths_) {
      std::cerr << "---- " << path << " ----\n" << TailOf(path, 3000) << "\n";
    }
  }
  if (!dir_.empty()) RemoveTree(dir_);
}

std::string CacheReplicasTest::DatabaseUrl(const std::string& component) {
  if (GetParam().name == "PostgreSQL") {
    // On the ctest run's server (or, run by hand, one of this process's own).
    absl::StatusOr<std::string> url = NewTestDatabase();
    EXPECT_TRUE(url.ok()) << url.status();
    return url.ok() ? *url : "";
  }
  return absl::StrCat("sqlite:", dir_, "/", component, ".db");
}

std::unique_ptr<ComponentProcess> CacheReplicasTest::StartComponent(const std::string& binary,
                                                                    const std::string& name,
                                                                    std::vector<std::string> env) {
  env.push_back(absl::StrCat("METROCAP_DATA_DIR=", dir_, "/", name));
  env.push_back("METROCAP_REDIS_URL=" + redis_->Url());
  env.push_back(absl::StrCat("METROCAP_INTERNAL_CREDENTIAL=", kInternalCredential));
  env.push_back(absl::StrCat("METROCAP_ADMIN_TOKEN=", kAdminToken));
  env.push_back("METROCAP_REFLECTION=false");
  env.push_back("METROCAP_SHUTDOWN_GRACE_SECONDS=1");
  std::string log_path = absl::StrCat(dir_, "/", name, ".log");
  log_paths_.push_back(log_path);
  absl::StatusOr<std::unique_ptr<ComponentProcess>> process =
      ComponentProcess::Start(binary, env, log_path);
  EXPECT_TRUE(process.ok()) << process.status();
  return process.ok() ? *std::move(process) : nullptr;
}

mv1::Organisation CacheReplicasTest::CreateOrganisation(MembershipStub& stub,
                                                        const std::string& id) {
  mv1::CreateOrganisationRequest request;
  request.set_organisation_id(id);
  mv1::Organisation* o = request.mutable_organisation();
  o->set_display_name("Organisation " + id);
  o->set_kind(mv1::Organisation::METROPOLITAN_AREA);
  o->set_country_code("PT");
  o->set_region("regions/europe");
  o->set_population(2800000);
  auto reply = Call(stub, &MembershipStub::CreateOrganisation, request);
  EXPECT_TRUE(reply.status.ok()) << "creating " << id << ": " << Describe(reply.status);
  return reply.value;
}

Reply<mv1::Organisation> CacheReplicasTest::GetOrganisation(MembershipStub& stub,
                                                            const std::string& name) {
  mv1::GetOrganisationRequest request;
  request.set_name(name);
  return Call(stub, &MembershipStub::GetOrganisation, request);
}

Reply<mv1::Organisation> CacheReplicasTest::Rename(MembershipStub& stub,
                                                   const mv1::Organisation& current,
                                                   const std::string& display_name) {
  mv1::UpdateOrganisationRequest request;
  request.mutable_organisation()->set_name(current.name());
  request.mutable_organisation()->set_display_name(display_name);
  request.mutable_update_mask()->add_paths("display_name");
  return Call(stub, &MembershipStub::UpdateOrganisation, request);
}

grpc::Status CacheReplicasTest::DeleteOrganisation(MembershipStub& stub, const std::string& name) {
  mv1::DeleteOrganisationRequest request;
  request.set_name(name);
  return Call(stub, &MembershipStub::DeleteOrganisation, request).status;
}

void CacheReplicasTest::PublishFramework() {
  av1::CreateFrameworkRequest create;
  create.set_framework_id("cache-test");
  av1::Framework* f = create.mutable_framework();
  f->set_display_name("Cache test framework");
  f->set_version("1.0");
  f->set_scale_min(1);
  f->set_scale_max(5);
  f->set_need_threshold(3);
  f->set_potential_threshold(4);
  av1::Capacity* capacity = f->add_capacities();
  capacity->set_id("knowledge");
  capacity->set_display_name("Knowledge");
  av1::Indicator* indicator = capacity->add_indicators();
  indicator->set_id("shared-framework");
  indicator->set_question("Is there a shared framework?");
  indicator->set_weight(1);
  auto created = Call(*assessments_, &AssessmentStub::CreateFramework, create);
  ASSERT_TRUE(created.status.ok()) << Describe(created.status);
  av1::PublishFrameworkRequest publish;
  publish.set_name(created.value.name());
  auto published = Call(*assessments_, &AssessmentStub::PublishFramework, publish);
  ASSERT_TRUE(published.status.ok()) << Describe(published.status);
}

Reply<av1::Assessment> CacheReplicasTest::CreateAssessment(const std::string& organisation,
                                                           const std::string& id) {
  av1::CreateAssessmentRequest request;
  request.set_parent(organisation);
  request.set_assessment_id(id);
  request.mutable_assessment()->set_display_name("Assessment " + id);
  request.mutable_assessment()->set_framework("frameworks/cache-test");
  return Call(*assessments_, &AssessmentStub::CreateAssessment, request);
}

int64_t CacheReplicasTest::RedisCalls(const std::string& command) {
  absl::StatusOr<std::string> info = redis_->Command({"INFO", "commandstats"});
  EXPECT_TRUE(info.ok()) << info.status();
  if (!info.ok()) return -1;
  const std::string field = absl::StrCat("cmdstat_", command, ":calls=");
  size_t at = info->find(field);
  if (at == std::string::npos) return 0;
  at += field.size();
  int64_t calls = 0;
  return absl::SimpleAtoi(info->substr(at, info->find(',', at) - at), &calls) ? calls : -1;
}

int CacheReplicasTest::Subscribers() {
  // The reply is an array: the channel's name, then its subscriber count.
  absl::StatusOr<std::string> reply = redis_->Command({"PUBSUB", "NUMSUB", "metrocap:invalidate"});
  if (!reply.ok()) return -1;
  int count = 0;
  size_t comma = reply->rfind(',');
  if (comma == std::string::npos || !absl::SimpleAtoi(reply->substr(comma + 1), &count)) return -1;
  return count;
}

}  // namespace metrocap::testing
