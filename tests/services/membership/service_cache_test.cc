// The shared lookups through the cache (in-process layer only, as with no Redis): a read
// after every kind of write that changes an organisation or what an API key resolves to
// sees the change at once, failed writes invalidate nothing, repeated reads are hits, and
// a cached value is still guarded by the caller's rights.
#include "common/cache/names.h"
#include "tests/services/membership/service_fixture.h"

namespace metrocap::membership::testing {
namespace {

using App = v1::MembershipApplication;
using Org = v1::Organisation;
using ::testing::ElementsAre;

class CacheTest : public MembershipServiceTest {
 protected:
  void SetUp() override {
    MembershipServiceTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    organisation_ = CreateOrganisation("lisbon").name();
  }

  cache::CacheMetrics OrganisationsMetrics() {
    return cache_->Cache(cache::kOrganisationsCache).Metrics();
  }
  cache::CacheMetrics ApiKeysMetrics() { return cache_->Cache(cache::kApiKeysCache).Metrics(); }

  Reply<Org> Get(const std::string& name, const Who& who = Who::Admin()) {
    v1::GetOrganisationRequest request;
    request.set_name(name);
    return Call(&Stub::GetOrganisation, request, who);
  }

  // Reads `name` twice and checks that the second read came from the cache, so that the
  // next write has a cached value to make stale. Returns what was read.
  Org ReadUntilCached(const std::string& name) {
    Org first = GetOrganisation(name);
    uint64_t hits = OrganisationsMetrics().hits();
    Org second = GetOrganisation(name);
    EXPECT_EQ(OrganisationsMetrics().hits(), hits + 1) << name << " was not cached";
    EXPECT_EQ(second.etag(), first.etag());
    return second;
  }

  Reply<Org> Rename(const Org& current, const std::string& display_name,
                    const std::string& request_id = "") {
    v1::UpdateOrganisationRequest request;
    request.mutable_organisation()->set_name(current.name());
    request.mutable_organisation()->set_etag(current.etag());
    request.mutable_organisation()->set_display_name(display_name);
    request.mutable_update_mask()->add_paths("display_name");
    request.set_request_id(request_id);
    return Call(&Stub::UpdateOrganisation, request);
  }

  // A new key of `partner`; its secret.
  std::string CreateKey(const std::string& partner) {
    v1::CreateApiKeyRequest request;
    request.set_parent(partner);
    request.mutable_api_key()->set_display_name("integration");
    auto reply = Call(&Stub::CreateApiKey, request);
    EXPECT_THAT(reply.status, IsGrpcOk());
    key_name_ = reply.value.name();
    return reply.value.secret();
  }

  Reply<v1::Principal> Lookup(const std::string& secret, const Who& who = Who::Internal()) {
    v1::LookupApiKeyRequest request;
    request.set_secret(secret);
    return Call(&Stub::LookupApiKey, request, who);
  }

  // Looks `secret` up twice and checks that the second lookup came from the cache.
  v1::Principal LookupUntilCached(const std::string& secret) {
    EXPECT_THAT(Lookup(secret).status, IsGrpcOk());
    uint64_t hits = ApiKeysMetrics().hits();
    auto second = Lookup(secret);
    EXPECT_THAT(second.status, IsGrpcOk());
    EXPECT_EQ(ApiKeysMetrics().hits(), hits + 1) << "the key was not cached";
    return second.value;
  }

  v1::Partner GetPartner(const std::string& name) {
    v1::GetPartnerRequest request;
    request.set_name(name);
    return Call(&Stub::GetPartner, request).value;
  }

  std::string organisation_;
  std::string key_name_;
};

TEST_P(CacheTest, RepeatedReadsAreHits) {
  const cache::CacheMetrics before = OrganisationsMetrics();
  std::string etag;
  for (int i = 0; i < 5; ++i) {
    Org read = GetOrganisation(organisation_);
    if (i == 0) etag = read.etag();
    EXPECT_EQ(read.etag(), etag);
  }
  const cache::CacheMetrics after = OrganisationsMetrics();
  EXPECT_EQ(after.misses - before.misses, 1u);
  EXPECT_EQ(after.local_hits - before.local_hits, 4u);
  EXPECT_EQ(after.redis_hits, 0u);
  EXPECT_EQ(after.errors, 0u);
}

TEST_P(CacheTest, AReadAfterAnUpdateSeesIt) {
  Org cached = ReadUntilCached(organisation_);
  auto updated = Rename(cached, "Lisboa");
  ASSERT_THAT(updated.status, IsGrpcOk());
  Org read = GetOrganisation(organisation_);
  EXPECT_EQ(read.display_name(), "Lisboa");
  EXPECT_EQ(read.etag(), updated.value.etag());
  EXPECT_NE(read.etag(), cached.etag());
}

TEST_P(CacheTest, AnUpdateByAGrantedPartnerIsSeenAtOnce) {
  Org cached = ReadUntilCached(organisation_);
  v1::UpdateOrganisationRequest request;
  request.mutable_organisation()->set_name(organisation_);
  request.mutable_organisation()->set_population(545000);
  request.mutable_update_mask()->add_paths("population");
  ASSERT_THAT(
      Call(&Stub::UpdateOrganisation, request, Who::Partner("partners/lab", {organisation_}))
          .status,
      IsGrpcOk());
  EXPECT_EQ(GetOrganisation(organisation_).population(), 545000);
}

TEST_P(CacheTest, AReadAfterADeleteIsNotFoundAndARecreatedOneIsSeen) {
  ReadUntilCached(organisation_);
  v1::DeleteOrganisationRequest remove;
  remove.set_name(organisation_);
  ASSERT_THAT(Call(&Stub::DeleteOrganisation, remove).status, IsGrpcOk());
  EXPECT_THAT(Get(organisation_).status, HasCode(grpc::StatusCode::NOT_FOUND));
  // "Not found" is not cached: the organisation created again is there at once.
  Org again = CreateOrganisation("lisbon", OrganisationDraft("Lisbon again"));
  Org read = GetOrganisation(organisation_);
  EXPECT_EQ(read.display_name(), "Lisbon again");
  EXPECT_EQ(read.etag(), again.etag());
}

TEST_P(CacheTest, EveryApplicationStepThatChangesTheApplicantIsSeenAtOnce) {
  CreateOrganisation("board");
  for (const char* id : {"a", "b", "c"}) {
    CreateSeat(id, "organisations/board", v1::BoardSeat::MEMBER, Day(2020, 1, 1), {});
  }
  auto state_now = [&] { return GetOrganisation(organisation_).membership_state(); };
  ASSERT_EQ(ReadUntilCached(organisation_).membership_state(), Org::NON_MEMBER);

  App first = Apply("first", organisation_);
  EXPECT_EQ(state_now(), Org::APPLICANT);
  ReadUntilCached(organisation_);
  v1::WithdrawApplicationRequest withdraw;
  withdraw.set_name(first.name());
  ASSERT_THAT(Call(&Stub::WithdrawApplication, withdraw).status, IsGrpcOk());
  EXPECT_EQ(state_now(), Org::NON_MEMBER);

  ReadUntilCached(organisation_);
  App second = Apply("second", organisation_);
  EXPECT_EQ(state_now(), Org::APPLICANT);
  ReadUntilCached(organisation_);
  v1::RejectApplicationRequest reject;
  reject.set_name(second.name());
  *reject.mutable_decision()->mutable_decision_date() = Day(2022, 6, 1);
  ASSERT_THAT(Call(&Stub::RejectApplication, reject).status, IsGrpcOk());
  EXPECT_EQ(state_now(), Org::NON_MEMBER);

  App third = Apply("third", organisation_);
  ReadUntilCached(organisation_);
  v1::DeleteApplicationRequest remove;
  remove.set_name(third.name());
  ASSERT_THAT(Call(&Stub::DeleteApplication, remove).status, IsGrpcOk());
  EXPECT_EQ(state_now(), Org::NON_MEMBER);

  App fourth = Apply("fourth", organisation_);
  v1::SignApplicationFormRequest sign;
  sign.set_name(fourth.name());
  ASSERT_THAT(Call(&Stub::SignApplicationForm, sign).status, IsGrpcOk());
  ASSERT_EQ(ReadUntilCached(organisation_).membership_state(), Org::APPLICANT);
  v1::RatifyApplicationRequest ratify;
  ratify.set_name(fourth.name());
  *ratify.mutable_decision()->mutable_decision_date() = Day(2022, 6, 1);
  ratify.mutable_decision()->set_votes_for(2);
  ASSERT_THAT(Call(&Stub::RatifyApplication, ratify).status, IsGrpcOk());
  Org member = GetOrganisation(organisation_);
  EXPECT_EQ(member.membership_state(), Org::ACTIVE);
  EXPECT_EQ(member.member_since().year(), 2022);
}

TEST_P(CacheTest, AFailedWriteInvalidatesNothing) {
  Org cached = ReadUntilCached(organisation_);
  const uint64_t invalidations = OrganisationsMetrics().invalidations;
  Org stale = cached;
  stale.set_etag("\"999\"");
  EXPECT_THAT(Rename(stale, "Lisboa").status, HasCode(grpc::StatusCode::ABORTED));
  v1::DeleteOrganisationRequest in_use;  // refused: a board seat refers to it
  CreateSeat("seat", organisation_, v1::BoardSeat::MEMBER, Day(2020, 1, 1), {});
  in_use.set_name(organisation_);
  EXPECT_THAT(Call(&Stub::DeleteOrganisation, in_use).status,
              HasCode(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_EQ(OrganisationsMetrics().invalidations, invalidations);
  const uint64_t hits = OrganisationsMetrics().hits();
  EXPECT_EQ(GetOrganisation(organisation_).etag(), cached.etag());
  EXPECT_EQ(OrganisationsMetrics().hits(), hits + 1);
}

TEST_P(CacheTest, AReplayedRequestLeavesTheCacheRight) {
  Org cached = ReadUntilCached(organisation_);
  const std::string request_id = "5f0c4d52-3b0e-4f55-9d4c-1a7c2b8e6f01";
  auto first = Rename(cached, "Lisboa", request_id);
  ASSERT_THAT(first.status, IsGrpcOk());
  ReadUntilCached(organisation_);
  auto replayed = Rename(cached, "Lisboa", request_id);
  ASSERT_THAT(replayed.status, IsGrpcOk());
  EXPECT_EQ(replayed.value.etag(), first.value.etag());
  EXPECT_EQ(GetOrganisation(organisation_).etag(), first.value.etag());
}

TEST_P(CacheTest, ARevokedKeyStopsResolvingAtOnce) {
  CreatePartner("lab", v1::Partner::PARTNER, {organisation_});
  std::string secret = CreateKey("partners/lab");
  EXPECT_EQ(LookupUntilCached(secret).partner(), "partners/lab");
  v1::RevokeApiKeyRequest revoke;
  revoke.set_name(key_name_);
  ASSERT_THAT(Call(&Stub::RevokeApiKey, revoke).status, IsGrpcOk());
  EXPECT_THAT(Lookup(secret).status, HasCode(grpc::StatusCode::UNAUTHENTICATED));
  // Refusals are not cached: each one asks the store again.
  const uint64_t misses = ApiKeysMetrics().misses;
  EXPECT_THAT(Lookup(secret).status, HasCode(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(ApiKeysMetrics().misses, misses + 1);
}

TEST_P(CacheTest, ADeletedKeyStopsResolvingAtOnce) {
  CreatePartner("lab", v1::Partner::PARTNER, {organisation_});
  std::string secret = CreateKey("partners/lab");
  LookupUntilCached(secret);
  v1::DeleteApiKeyRequest remove;
  remove.set_name(key_name_);
  ASSERT_THAT(Call(&Stub::DeleteApiKey, remove).status, IsGrpcOk());
  EXPECT_THAT(Lookup(secret).status, HasCode(grpc::StatusCode::UNAUTHENTICATED));
}

TEST_P(CacheTest, APartnersNewRoleAndGrantsAreResolvedAtOnce) {
  CreatePartner("lab", v1::Partner::PARTNER, {organisation_});
  std::string first = CreateKey("partners/lab");
  std::string second = CreateKey("partners/lab");
  LookupUntilCached(first);
  LookupUntilCached(second);

  // A new display name changes no principal: the keys stay cached.
  v1::UpdatePartnerRequest rename;
  rename.mutable_partner()->set_name("partners/lab");
  rename.mutable_partner()->set_display_name("The lab");
  rename.mutable_update_mask()->add_paths("display_name");
  const uint64_t invalidations = ApiKeysMetrics().invalidations;
  ASSERT_THAT(Call(&Stub::UpdatePartner, rename).status, IsGrpcOk());
  EXPECT_EQ(ApiKeysMetrics().invalidations, invalidations);

  v1::UpdatePartnerRequest demote;
  demote.mutable_partner()->set_name("partners/lab");
  demote.mutable_partner()->set_role(v1::Partner::VIEWER);
  demote.mutable_update_mask()->add_paths("role");
  demote.mutable_update_mask()->add_paths("grants");
  ASSERT_THAT(Call(&Stub::UpdatePartner, demote).status, IsGrpcOk());
  for (const std::string& secret : {first, second}) {
    auto resolved = Lookup(secret);
    ASSERT_THAT(resolved.status, IsGrpcOk());
    EXPECT_EQ(resolved.value.role(), v1::Partner::VIEWER);
    EXPECT_EQ(resolved.value.grants_size(), 0);
  }

  LookupUntilCached(first);
  v1::UpdatePartnerRequest regrant;
  regrant.mutable_partner()->set_name("partners/lab");
  regrant.mutable_partner()->add_grants(organisation_);
  regrant.mutable_update_mask()->add_paths("grants");
  ASSERT_THAT(Call(&Stub::UpdatePartner, regrant).status, IsGrpcOk());
  EXPECT_THAT(Lookup(first).value.grants(), ElementsAre(organisation_));
}

TEST_P(CacheTest, ADeletedPartnersKeysStopResolvingAtOnce) {
  CreatePartner("lab", v1::Partner::PARTNER, {organisation_});
  std::string secret = CreateKey("partners/lab");
  LookupUntilCached(secret);
  v1::DeletePartnerRequest remove;
  remove.set_name("partners/lab");
  ASSERT_THAT(Call(&Stub::DeletePartner, remove).status, IsGrpcOk());
  EXPECT_THAT(Lookup(secret).status, HasCode(grpc::StatusCode::UNAUTHENTICATED));
}

TEST_P(CacheTest, ACachedValueIsStillGuardedByTheCallersRights) {
  ReadUntilCached(organisation_);
  EXPECT_THAT(Get(organisation_, Who::Metadata({})).status,
              HasCode(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(Get(organisation_, Who::Viewer()).status, IsGrpcOk());

  CreatePartner("lab", v1::Partner::PARTNER, {organisation_});
  std::string secret = CreateKey("partners/lab");
  LookupUntilCached(secret);
  // Only the gateway may resolve keys, cached or not.
  EXPECT_THAT(Lookup(secret, Who::Admin()).status, HasCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Lookup(secret, Who::Partner("partners/lab", {organisation_})).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Lookup(secret, Who::Metadata({})).status, HasCode(grpc::StatusCode::UNAUTHENTICATED));
  // A malformed key never becomes a cache key.
  const uint64_t misses = ApiKeysMetrics().misses;
  EXPECT_THAT(Lookup("mck_not-a-key").status, HasCode(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(ApiKeysMetrics().misses, misses);
}

METROCAP_ON_EVERY_STORE_BACKEND(CacheTest);

}  // namespace
}  // namespace metrocap::membership::testing
