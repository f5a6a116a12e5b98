// Partners and API keys: the secret is returned once and only its hash is kept, the
// gateway's key lookup, revocation, and a partner's keys going with it.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "google/protobuf/util/time_util.h"
#include "services/membership/storage/schemas.h"
#include "tests/services/membership/service_fixture.h"

namespace metrocap::membership::testing {
namespace {

using google::protobuf::util::TimeUtil;

using ::testing::ElementsAre;
using ::testing::StartsWith;

class PartnerTest : public MembershipServiceTest {
 protected:
  void SetUp() override {
    MembershipServiceTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    CreateOrganisation("barcelona");
    CreateOrganisation("badalona");
    partner_ = CreatePartner("barcelona-lab", v1::Partner::PARTNER,
                             {"organisations/barcelona", "organisations/badalona"});
  }

  Reply<v1::ApiKey> CreateKey(const std::string& parent, const std::string& id = "") {
    v1::CreateApiKeyRequest request;
    request.set_parent(parent);
    request.set_api_key_id(id);
    request.mutable_api_key()->set_display_name("integration");
    return Call(&Stub::CreateApiKey, request);
  }

  Reply<v1::Principal> Lookup(const std::string& secret, const Who& who = Who::Internal()) {
    v1::LookupApiKeyRequest request;
    request.set_secret(secret);
    return Call(&Stub::LookupApiKey, request, who);
  }

  v1::Partner partner_;
};

TEST_P(PartnerTest, PartnerLifecycle) {
  EXPECT_EQ(partner_.name(), "partners/barcelona-lab");
  EXPECT_EQ(partner_.role(), v1::Partner::PARTNER);
  EXPECT_THAT(partner_.grants(), ElementsAre("organisations/barcelona", "organisations/badalona"));

  v1::GetPartnerRequest get;
  get.set_name(partner_.name());
  auto got = Call(&Stub::GetPartner, get);
  ASSERT_THAT(got.status, IsGrpcOk());
  EXPECT_EQ(got.value.etag(), partner_.etag());

  v1::UpdatePartnerRequest update;
  update.mutable_partner()->set_name(partner_.name());
  update.mutable_partner()->set_etag(partner_.etag());
  update.mutable_partner()->add_grants("organisations/barcelona");
  update.mutable_update_mask()->add_paths("grants");
  auto updated = Call(&Stub::UpdatePartner, update);
  ASSERT_THAT(updated.status, IsGrpcOk());
  EXPECT_THAT(updated.value.grants(), ElementsAre("organisations/barcelona"));
  EXPECT_EQ(updated.value.display_name(), partner_.display_name());

  update.mutable_partner()->set_grants(0, "organisations/atlantis");
  update.mutable_partner()->set_etag(updated.value.etag());
  EXPECT_THAT(Call(&Stub::UpdatePartner, update).status, IsBadField("partner.grants[0]"));

  v1::ListPartnersRequest list;
  auto listed = Call(&Stub::ListPartners, list);
  ASSERT_THAT(listed.status, IsGrpcOk());
  ASSERT_EQ(listed.value.partners_size(), 1);
  EXPECT_EQ(listed.value.partners(0).etag(), updated.value.etag());

  v1::DeletePartnerRequest remove;
  remove.set_name(partner_.name());
  remove.set_etag(partner_.etag());  // stale
  EXPECT_THAT(Call(&Stub::DeletePartner, remove).status, HasCode(grpc::StatusCode::ABORTED));
  remove.set_etag(updated.value.etag());
  ASSERT_THAT(Call(&Stub::DeletePartner, remove).status, IsGrpcOk());
  EXPECT_THAT(Call(&Stub::GetPartner, get).status, HasCode(grpc::StatusCode::NOT_FOUND));
  EXPECT_EQ(CountPartners(), 0);
}

TEST_P(PartnerTest, TheSecretIsReturnedOnceAndOnlyItsHashIsStored) {
  auto created = CreateKey(partner_.name(), "ci");
  ASSERT_THAT(created.status, IsGrpcOk());
  const v1::ApiKey& key = created.value;
  EXPECT_EQ(key.name(), "partners/barcelona-lab/apiKeys/ci");
  EXPECT_EQ(key.state(), v1::ApiKey::ACTIVE);
  EXPECT_THAT(key.secret(), StartsWith("mck_"));
  EXPECT_THAT(key.secret(), StartsWith(key.key_prefix() + "_"));
  EXPECT_GE(key.secret().size(), 40u);

  v1::GetApiKeyRequest get;
  get.set_name(key.name());
  auto got = Call(&Stub::GetApiKey, get);
  ASSERT_THAT(got.status, IsGrpcOk());
  EXPECT_TRUE(got.value.secret().empty());
  EXPECT_EQ(got.value.key_prefix(), key.key_prefix());

  v1::ListApiKeysRequest list;
  list.set_parent(partner_.name());
  auto listed = Call(&Stub::ListApiKeys, list);
  ASSERT_THAT(listed.status, IsGrpcOk());
  ASSERT_EQ(listed.value.api_keys_size(), 1);
  EXPECT_TRUE(listed.value.api_keys(0).secret().empty());

  // What the store holds: no trace of the secret itself.
  auto tx = store_->Begin(store::Store::Access::kReadOnly);
  ASSERT_TRUE(tx.ok()) << tx.status();
  auto record = (*tx)->Get(MembershipSchemas().api_keys, key.name());
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_FALSE(absl::StrContains(record->data, key.secret()));
  EXPECT_FALSE(absl::StrContains(record->data, key.secret().substr(13)));

  // Two keys never share a secret.
  auto second = CreateKey(partner_.name());
  ASSERT_THAT(second.status, IsGrpcOk());
  EXPECT_NE(second.value.secret(), key.secret());
  EXPECT_NE(second.value.name(), key.name());
}

// True when any file of the store (database, WAL, journal) holds `text`.
bool StoreFilesContain(const std::string& dir, const std::string& text) {
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream file(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << file.rdbuf();
    if (absl::StrContains(bytes.str(), text)) return true;
  }
  return false;
}

TEST_P(PartnerTest, TheSecretIsInNoFileOfTheStore) {
  if (Backend().name != "SQLite") GTEST_SKIP() << "scans the SQLite files";
  auto key = CreateKey(partner_.name(), "ci");
  ASSERT_THAT(key.status, IsGrpcOk());
  ASSERT_FALSE(key.value.secret().empty());
  EXPECT_TRUE(StoreFilesContain(dir_, key.value.key_prefix()));  // the scan does see data
  EXPECT_FALSE(StoreFilesContain(dir_, key.value.secret().substr(13)));
}

// Not even in the response recorded for the request id.
TEST_P(PartnerTest, TheSecretIsInNoFileOfTheStoreEvenWithARequestId) {
  if (Backend().name != "SQLite") GTEST_SKIP() << "scans the SQLite files";
  v1::CreateApiKeyRequest request;
  request.set_parent(partner_.name());
  request.set_request_id("create-ci-key");
  auto key = Call(&Stub::CreateApiKey, request);
  ASSERT_THAT(key.status, IsGrpcOk());
  ASSERT_FALSE(key.value.secret().empty());
  EXPECT_FALSE(StoreFilesContain(dir_, key.value.secret().substr(13)));
}

TEST_P(PartnerTest, LookupResolvesAKeyToItsPartnersPrincipal) {
  auto key = CreateKey(partner_.name(), "ci");
  ASSERT_THAT(key.status, IsGrpcOk());
  auto principal = Lookup(key.value.secret());
  ASSERT_THAT(principal.status, IsGrpcOk());
  EXPECT_EQ(principal.value.partner(), "partners/barcelona-lab");
  EXPECT_EQ(principal.value.role(), v1::Partner::PARTNER);
  EXPECT_THAT(principal.value.grants(),
              ElementsAre("organisations/barcelona", "organisations/badalona"));
  EXPECT_EQ(principal.value.api_key(), key.value.name());

  // Wrong, truncated and made-up keys are UNAUTHENTICATED, never NOT_FOUND.
  std::string wrong = key.value.secret();
  wrong.back() = wrong.back() == '0' ? '1' : '0';
  for (const std::string& secret :
       {wrong, key.value.secret().substr(0, 20), key.value.key_prefix(), std::string(""),
        std::string("mck_00000000_0000000000000000000000000000000000000000")}) {
    EXPECT_THAT(Lookup(secret).status, HasCode(grpc::StatusCode::UNAUTHENTICATED)) << secret;
  }
}

TEST_P(PartnerTest, OnlyTheInternalCallerMayLookUpKeys) {
  auto key = CreateKey(partner_.name());
  ASSERT_THAT(key.status, IsGrpcOk());
  EXPECT_THAT(Lookup(key.value.secret(), Who::Admin()).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Lookup(key.value.secret(), Who::Partner(partner_.name(), {})).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Lookup(key.value.secret(), Who::Metadata({})).status,
              HasCode(grpc::StatusCode::UNAUTHENTICATED));
}

TEST_P(PartnerTest, ARevokedKeyNoLongerAuthenticates) {
  auto key = CreateKey(partner_.name(), "ci");
  ASSERT_THAT(key.status, IsGrpcOk());
  v1::RevokeApiKeyRequest revoke;
  revoke.set_name(key.value.name());
  revoke.set_etag(key.value.etag());
  auto revoked = Call(&Stub::RevokeApiKey, revoke);
  ASSERT_THAT(revoked.status, IsGrpcOk());
  EXPECT_EQ(revoked.value.state(), v1::ApiKey::REVOKED);
  EXPECT_EQ(TimeUtil::TimestampToMilliseconds(revoked.value.revoke_time()), 1650000000250);
  EXPECT_TRUE(revoked.value.secret().empty());
  EXPECT_THAT(Lookup(key.value.secret()).status, HasCode(grpc::StatusCode::UNAUTHENTICATED));

  // Revoking again changes nothing.
  revoke.set_etag(revoked.value.etag());
  auto again = Call(&Stub::RevokeApiKey, revoke);
  ASSERT_THAT(again.status, IsGrpcOk());
  EXPECT_EQ(again.value.etag(), revoked.value.etag());

  v1::ListApiKeysRequest active;
  active.set_parent(partner_.name());
  active.set_filter("state = ACTIVE");
  auto listed = Call(&Stub::ListApiKeys, active);
  ASSERT_THAT(listed.status, IsGrpcOk());
  EXPECT_EQ(listed.value.api_keys_size(), 0);
}

TEST_P(PartnerTest, DeleteApiKey) {
  auto key = CreateKey(partner_.name(), "ci");
  ASSERT_THAT(key.status, IsGrpcOk());
  v1::DeleteApiKeyRequest remove;
  remove.set_name(key.value.name());
  ASSERT_THAT(Call(&Stub::DeleteApiKey, remove).status, IsGrpcOk());
  v1::GetApiKeyRequest get;
  get.set_name(key.value.name());
  EXPECT_THAT(Call(&Stub::GetApiKey, get).status, HasCode(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(Lookup(key.value.secret()).status, HasCode(grpc::StatusCode::UNAUTHENTICATED));
}

TEST_P(PartnerTest, DeletingAPartnerRemovesItsKeys) {
  auto first = CreateKey(partner_.name(), "first");
  auto second = CreateKey(partner_.name(), "second");
  ASSERT_THAT(first.status, IsGrpcOk());
  ASSERT_THAT(second.status, IsGrpcOk());
  CreatePartner("other", v1::Partner::VIEWER);
  auto other_key = CreateKey("partners/other", "kept");
  ASSERT_THAT(other_key.status, IsGrpcOk());

  v1::DeletePartnerRequest remove;
  remove.set_name(partner_.name());
  ASSERT_THAT(Call(&Stub::DeletePartner, remove).status, IsGrpcOk());

  for (const auto* key : {&first.value, &second.value}) {
    v1::GetApiKeyRequest get;
    get.set_name(key->name());
    EXPECT_THAT(Call(&Stub::GetApiKey, get).status, HasCode(grpc::StatusCode::NOT_FOUND));
    EXPECT_THAT(Lookup(key->secret()).status, HasCode(grpc::StatusCode::UNAUTHENTICATED));
  }
  v1::ListApiKeysRequest list;
  list.set_parent(partner_.name());
  auto listed = Call(&Stub::ListApiKeys, list);
  ASSERT_THAT(listed.status, IsGrpcOk());
  EXPECT_EQ(listed.value.api_keys_size(), 0);

  // Another partner's key is untouched.
  auto kept = Lookup(other_key.value.secret());
  ASSERT_THAT(kept.status, IsGrpcOk());
  EXPECT_EQ(kept.value.partner(), "partners/other");
  EXPECT_EQ(kept.value.role(), v1::Partner::VIEWER);
}

TEST_P(PartnerTest, APartnerSeesAndRevokesOnlyItsOwnKeys) {
  auto key = CreateKey(partner_.name(), "ci");
  ASSERT_THAT(key.status, IsGrpcOk());
  CreatePartner("other", v1::Partner::PARTNER);
  auto other_key = CreateKey("partners/other", "theirs");
  ASSERT_THAT(other_key.status, IsGrpcOk());
  Who self = Who::Partner(partner_.name(), {"organisations/barcelona"});

  v1::GetPartnerRequest get_self;
  get_self.set_name(partner_.name());
  EXPECT_THAT(Call(&Stub::GetPartner, get_self, self).status, IsGrpcOk());
  v1::GetPartnerRequest get_other;
  get_other.set_name("partners/other");
  EXPECT_THAT(Call(&Stub::GetPartner, get_other, self).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));

  v1::ListApiKeysRequest list_other;
  list_other.set_parent("partners/other");
  EXPECT_THAT(Call(&Stub::ListApiKeys, list_other, self).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));
  v1::RevokeApiKeyRequest revoke_other;
  revoke_other.set_name(other_key.value.name());
  EXPECT_THAT(Call(&Stub::RevokeApiKey, revoke_other, self).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Lookup(other_key.value.secret()).status, IsGrpcOk());

  v1::RevokeApiKeyRequest revoke_own;
  revoke_own.set_name(key.value.name());
  EXPECT_THAT(Call(&Stub::RevokeApiKey, revoke_own, self).status, IsGrpcOk());
  EXPECT_THAT(Lookup(key.value.secret()).status, HasCode(grpc::StatusCode::UNAUTHENTICATED));

  // Only an ADMIN hands out keys and manages partners.
  v1::CreateApiKeyRequest create;
  create.set_parent(partner_.name());
  EXPECT_THAT(Call(&Stub::CreateApiKey, create, self).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Call(&Stub::ListPartners, v1::ListPartnersRequest(), self).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));
  v1::DeleteApiKeyRequest remove;
  remove.set_name(key.value.name());
  EXPECT_THAT(Call(&Stub::DeleteApiKey, remove, self).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));
}

METROCAP_ON_EVERY_STORE_BACKEND(PartnerTest);

}  // namespace
}  // namespace metrocap::membership::testing
