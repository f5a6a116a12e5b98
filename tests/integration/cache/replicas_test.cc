// A write acknowledged by one membership replica is seen at once through the other one and
// through the assessment service, although each of them answers repeated reads from its
// own memory: the writer invalidates after commit and before it answers, and Redis has
// delivered the invalidation to every replica by then (docs/data-tier.md).
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "tests/integration/cache/replicas_fixture.h"

namespace metrocap::testing {
namespace {

class ReplicasTest : public CacheReplicasTest {};

TEST_P(ReplicasTest, AWriteThroughOneReplicaIsSeenAtOnceThroughTheOther) {
  mv1::Organisation lisbon = CreateOrganisation(*b_, "lisbon");
  ASSERT_FALSE(HasFailure());

  // Replica A keeps what it read: its second read sends no GET to Redis.
  ASSERT_TRUE(GetOrganisation(*a_, lisbon.name()).status.ok());
  const int64_t gets = RedisCalls("get");
  ASSERT_TRUE(GetOrganisation(*a_, lisbon.name()).status.ok());
  EXPECT_EQ(RedisCalls("get"), gets) << "replica A did not answer from its in-process layer";

  // Each round: both replicas hold the current value in memory, one of them writes, and the
  // other is asked right after the write was acknowledged.
  constexpr int kRounds = 60;
  int stale = 0;
  for (int round = 0; round < kRounds; ++round) {
    MembershipStub& writer = round % 2 == 0 ? *b_ : *a_;
    MembershipStub& reader = round % 2 == 0 ? *a_ : *b_;
    for (MembershipStub* stub : {a_.get(), b_.get()}) {
      for (int read = 0; read < 2; ++read)
        ASSERT_TRUE(GetOrganisation(*stub, lisbon.name()).status.ok());
    }
    auto written = Rename(writer, lisbon, absl::StrCat("Lisbon, round ", round));
    ASSERT_TRUE(written.status.ok()) << Describe(written.status);
    auto read = GetOrganisation(reader, lisbon.name());
    ASSERT_TRUE(read.status.ok()) << Describe(read.status);
    if (read.value.etag() != written.value.etag()) {
      ++stale;
      ADD_FAILURE() << "round " << round << ": read " << read.value.display_name() << " at "
                    << read.value.etag() << " after the write of " << written.value.etag()
                    << " was acknowledged";
    }
  }
  EXPECT_EQ(stale, 0);
  std::cerr << GetParam().name << ": " << kRounds << " writes, each read at once through the "
            << "other replica: " << stale << " stale reads\n";
}

TEST_P(ReplicasTest, TheAssessmentServiceSeesADeleteThroughTheOtherReplicaAtOnce) {
  PublishFramework();
  ASSERT_FALSE(HasFailure());
  constexpr int kRounds = 10;
  for (int round = 0; round < kRounds; ++round) {
    const std::string id = absl::StrCat("porto-", round);
    mv1::Organisation porto = CreateOrganisation(*b_, id);
    ASSERT_FALSE(HasFailure());
    // Twice: the second check is answered from assessment's cache.
    for (const char* assessment : {"first", "second"}) {
      auto created = CreateAssessment(porto.name(), assessment);
      ASSERT_TRUE(created.status.ok()) << round << ": " << Describe(created.status);
    }
    ASSERT_TRUE(DeleteOrganisation(*b_, porto.name()).ok());
    auto refused = CreateAssessment(porto.name(), "third");
    EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::NOT_FOUND)
        << "round " << round
        << ": assessment accepted a deleted organisation: " << Describe(refused.status);
  }
  // And a new organisation is usable at once ("not found" was never cached).
  ASSERT_EQ(CreateAssessment("organisations/braga", "first").status.error_code(),
            grpc::StatusCode::NOT_FOUND);
  CreateOrganisation(*b_, "braga");
  auto accepted = CreateAssessment("organisations/braga", "first");
  EXPECT_TRUE(accepted.status.ok()) << Describe(accepted.status);
}

TEST_P(ReplicasTest, KeyChangesThroughOneReplicaResolveAtOnceThroughTheOther) {
  mv1::Organisation lisbon = CreateOrganisation(*b_, "lisbon");
  mv1::CreatePartnerRequest partner;
  partner.set_partner_id("lab");
  partner.mutable_partner()->set_display_name("Lab");
  partner.mutable_partner()->set_role(mv1::Partner::PARTNER);
  partner.mutable_partner()->add_grants(lisbon.name());
  ASSERT_TRUE(Call(*b_, &MembershipStub::CreatePartner, partner).status.ok());
  std::vector<mv1::ApiKey> keys;
  for (int i = 0; i < 2; ++i) {
    mv1::CreateApiKeyRequest create;
    create.set_parent("partners/lab");
    create.mutable_api_key()->set_display_name("integration");
    auto key = Call(*b_, &MembershipStub::CreateApiKey, create);
    ASSERT_TRUE(key.status.ok()) << Describe(key.status);
    keys.push_back(key.value);
  }
  auto lookup = [&](MembershipStub& stub, const mv1::ApiKey& key) {
    mv1::LookupApiKeyRequest request;
    request.set_secret(key.secret());
    return Call(stub, &MembershipStub::LookupApiKey, request, As::kGateway);
  };
  for (const mv1::ApiKey& key : keys) {
    for (int read = 0; read < 2; ++read) ASSERT_TRUE(lookup(*a_, key).status.ok());
  }

  // Redis holds the keys' digests, never a secret.
  absl::StatusOr<std::string> names = redis_->Command({"KEYS", "*"});
  ASSERT_TRUE(names.ok()) << names.status();
  for (const mv1::ApiKey& key : keys) {
    const std::string cached = absl::StrCat("metrocap:{api-keys:", Sha256Hex(key.secret()), "}");
    EXPECT_TRUE(absl::StrContains(*names, cached)) << *names;
    EXPECT_FALSE(absl::StrContains(*names, key.secret()));
    absl::StatusOr<std::string> value = redis_->Command({"GET", cached});
    ASSERT_TRUE(value.ok()) << value.status();
    EXPECT_FALSE(absl::StrContains(*value, key.secret()));
  }

  mv1::RevokeApiKeyRequest revoke;
  revoke.set_name(keys[0].name());
  ASSERT_TRUE(Call(*b_, &MembershipStub::RevokeApiKey, revoke).status.ok());
  EXPECT_EQ(lookup(*a_, keys[0]).status.error_code(), grpc::StatusCode::UNAUTHENTICATED);

  mv1::UpdatePartnerRequest demote;
  demote.mutable_partner()->set_name("partners/lab");
  demote.mutable_partner()->set_role(mv1::Partner::VIEWER);
  demote.mutable_update_mask()->add_paths("role");
  ASSERT_TRUE(Call(*b_, &MembershipStub::UpdatePartner, demote).status.ok());
  auto demoted = lookup(*a_, keys[1]);
  ASSERT_TRUE(demoted.status.ok()) << Describe(demoted.status);
  EXPECT_EQ(demoted.value.role(), mv1::Partner::VIEWER);

  mv1::DeletePartnerRequest remove;
  remove.set_name("partners/lab");
  ASSERT_TRUE(Call(*b_, &MembershipStub::DeletePartner, remove).status.ok());
  EXPECT_EQ(lookup(*a_, keys[1]).status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReplicasTest, ::testing::ValuesIn(AllStoreBackends()),
                         StoreBackendName);

}  // namespace
}  // namespace metrocap::testing
