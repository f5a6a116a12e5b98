// Who is calling: the principal forwarded with the internal credential, the internal
// credential alone, the bootstrap admin token, and everything else refused.
#include "common/identity/caller.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::identity {
namespace {

using membership::v1::Principal;
constexpr auto ADMIN = membership::v1::Partner::ADMIN;
constexpr auto PARTNER = membership::v1::Partner::PARTNER;
constexpr auto ROLE_UNSPECIFIED = membership::v1::Partner::ROLE_UNSPECIFIED;
constexpr auto VIEWER = membership::v1::Partner::VIEWER;
using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kCredential[] = "internal-credential-0123456789";
constexpr char kAdminToken[] = "admin-token-0123456789abcdef";

// Request metadata as a server sees it; owns the bytes the string_refs point at.
class Metadata {
 public:
  Metadata& Add(std::string key, std::string value) {
    entries_.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  std::multimap<grpc::string_ref, grpc::string_ref> View() const {
    std::multimap<grpc::string_ref, grpc::string_ref> out;
    for (const auto& [key, value] : entries_) {
      out.emplace(grpc::string_ref(key.data(), key.size()),
                  grpc::string_ref(value.data(), value.size()));
    }
    return out;
  }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

IdentityConfig Config() { return IdentityConfig{kCredential, kAdminToken}; }

std::string PrincipalBytes(const std::string& partner, membership::v1::Partner::Role role,
                           const std::vector<std::string>& grants) {
  Principal principal;
  principal.set_partner(partner);
  principal.set_role(role);
  for (const std::string& grant : grants) principal.add_grants(grant);
  principal.set_api_key(partner + "/apiKeys/k1");
  return principal.SerializeAsString();
}

absl::StatusOr<Caller> From(const Metadata& metadata, const IdentityConfig& config = Config()) {
  return CallerFromMetadata(metadata.View(), config);
}

TEST(CallerFromMetadataTest, ForwardedPrincipalWithTheInternalCredential) {
  ASSERT_OK_AND_ASSIGN(
      Caller caller, From(Metadata()
                              .Add(kCredentialKey, kCredential)
                              .Add(kPrincipalKey, PrincipalBytes("partners/barcelona-lab", PARTNER,
                                                                 {"organisations/barcelona",
                                                                  "organisations/amb"}))));
  EXPECT_EQ(caller.principal, "partners/barcelona-lab");
  EXPECT_EQ(caller.role, PARTNER);
  EXPECT_THAT(caller.grants, ElementsAre("organisations/barcelona", "organisations/amb"));
  EXPECT_FALSE(caller.IsAdmin());
  EXPECT_TRUE(caller.MayRead());
}

// What the gateway renders once per API key and sends on every call reads back as the
// caller it was made from.
TEST(CallerFromMetadataTest, PrincipalHeaderReadsBackAsItsCaller) {
  const Caller sent{"partners/milan-team", PARTNER, {"organisations/milan", "organisations/mi"}};
  ASSERT_OK_AND_ASSIGN(
      Caller caller,
      From(Metadata().Add(kCredentialKey, kCredential).Add(kPrincipalKey, PrincipalHeader(sent))));
  EXPECT_EQ(caller.principal, sent.principal);
  EXPECT_EQ(caller.role, PARTNER);
  EXPECT_EQ(caller.grants, sent.grants);
}

TEST(CallerFromMetadataTest, InternalCredentialAloneIsAnInternalAdmin) {
  ASSERT_OK_AND_ASSIGN(Caller caller, From(Metadata().Add(kCredentialKey, kCredential)));
  EXPECT_EQ(caller.principal, "internal");
  EXPECT_EQ(caller.role, ADMIN);
  EXPECT_THAT(caller.grants, IsEmpty());
}

TEST(CallerFromMetadataTest, WrongInternalCredentialIsRefusedEvenWithAPrincipal) {
  for (const std::string& wrong :
       {std::string("internal-credential-012345678X"), std::string("internal-credential"),
        std::string(kCredential) + "9", std::string("x")}) {
    EXPECT_THAT(From(Metadata()
                         .Add(kCredentialKey, wrong)
                         .Add(kPrincipalKey, PrincipalBytes("partners/p", ADMIN, {}))),
                StatusIs(absl::StatusCode::kUnauthenticated))
        << wrong;
  }
}

TEST(CallerFromMetadataTest, CredentialIsRefusedWhenNoneIsConfigured) {
  EXPECT_THAT(From(Metadata().Add(kCredentialKey, kCredential), IdentityConfig{"", kAdminToken}),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(CallerFromMetadataTest, MalformedPrincipalIsRefused) {
  for (const std::string& bytes :
       {std::string("\xff\xff\xff\xff", 4),                     // not a protobuf message
        PrincipalBytes("", PARTNER, {}),                        // no partner
        PrincipalBytes("partners/p", ROLE_UNSPECIFIED, {})}) {  // no role
    EXPECT_THAT(From(Metadata().Add(kCredentialKey, kCredential).Add(kPrincipalKey, bytes)),
                StatusIs(absl::StatusCode::kUnauthenticated, ::testing::HasSubstr("principal")));
  }
}

TEST(CallerFromMetadataTest, PrincipalWithoutCredentialIsNotTrusted) {
  EXPECT_THAT(From(Metadata().Add(kPrincipalKey, PrincipalBytes("partners/p", ADMIN, {}))),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(CallerFromMetadataTest, AdminBearerToken) {
  ASSERT_OK_AND_ASSIGN(Caller caller,
                       From(Metadata().Add("authorization", std::string("Bearer ") + kAdminToken)));
  EXPECT_EQ(caller.principal, "admin");
  EXPECT_TRUE(caller.IsAdmin());
}

TEST(CallerFromMetadataTest, WrongOrMalformedBearerTokenIsRefused) {
  for (const std::string& header :
       {std::string("Bearer wrong-token-0123456789abcd"), std::string(kAdminToken),
        std::string("Basic ") + kAdminToken, std::string("Bearer ") + kAdminToken + " ",
        std::string("bearer ") + kAdminToken, std::string("Bearer ")}) {
    EXPECT_THAT(From(Metadata().Add("authorization", header)),
                StatusIs(absl::StatusCode::kUnauthenticated))
        << header;
  }
}

TEST(CallerFromMetadataTest, EmptyBearerIsRefusedWhenNoAdminTokenIsConfigured) {
  EXPECT_THAT(From(Metadata().Add("authorization", "Bearer "), IdentityConfig{kCredential, ""}),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(CallerFromMetadataTest, NothingIsUnauthenticated) {
  EXPECT_THAT(From(Metadata()), StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(From(Metadata().Add("x-request-id", "r1")),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(From(Metadata(), IdentityConfig{}), StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(CallerTest, MayWriteForPerRole) {
  Caller admin{"admin", ADMIN, {}};
  Caller partner{"partners/p", PARTNER, {"organisations/milan", "organisations/turin"}};
  Caller viewer{"partners/v", VIEWER, {"organisations/milan"}};
  Caller nobody{"", ROLE_UNSPECIFIED, {"organisations/milan"}};

  EXPECT_TRUE(admin.MayWriteFor("organisations/milan"));
  EXPECT_TRUE(admin.MayWriteFor("organisations/anything"));
  EXPECT_TRUE(partner.MayWriteFor("organisations/milan"));
  EXPECT_TRUE(partner.MayWriteFor("organisations/turin"));
  EXPECT_FALSE(partner.MayWriteFor("organisations/rome"));
  EXPECT_FALSE(partner.MayWriteFor("organisations/mila"));
  EXPECT_FALSE(partner.MayWriteFor(""));
  EXPECT_FALSE(viewer.MayWriteFor("organisations/milan"));
  EXPECT_FALSE(nobody.MayWriteFor("organisations/milan"));

  EXPECT_TRUE(admin.MayRead());
  EXPECT_TRUE(partner.MayRead());
  EXPECT_TRUE(viewer.MayRead());
  EXPECT_FALSE(nobody.MayRead());
}

TEST(SecretsEqualTest, ExactNonEmptyMatchOnly) {
  EXPECT_TRUE(SecretsEqual("secret-value", "secret-value"));
  EXPECT_FALSE(SecretsEqual("secret-value", "secret-valuE"));
  EXPECT_FALSE(SecretsEqual("secret-value", "secret-valu"));
  EXPECT_FALSE(SecretsEqual("", ""));
}

}  // namespace
}  // namespace metrocap::identity

namespace metrocap::identity {
namespace {

TEST(MetadataValueTest, FindsAKeyOrAnswersEmpty) {
  Metadata metadata;
  metadata.Add("x-request-id", "first").Add("x-request-id", "second").Add("te", "trailers");
  auto view = metadata.View();
  EXPECT_EQ(MetadataValue(view, "x-request-id"), "first");
  EXPECT_EQ(MetadataValue(view, "te"), "trailers");
  EXPECT_EQ(MetadataValue(view, "authorization"), "");
}

}  // namespace
}  // namespace metrocap::identity
