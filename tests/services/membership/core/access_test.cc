// Who may do what in membership (services/membership/core/access.h).
#include "services/membership/core/access.h"

#include <string>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::membership {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::Contains;
using ::testing::Not;

identity::Caller Admin() { return identity::Caller{"admin", v1::Partner::ADMIN, {}}; }
identity::Caller Partner() {
  return identity::Caller{"partners/milan-lab", v1::Partner::PARTNER, {"organisations/milan"}};
}
identity::Caller Viewer() { return identity::Caller{"partners/viewer", v1::Partner::VIEWER, {}}; }
identity::Caller Anonymous() { return identity::Caller{}; }
identity::Caller Gateway() { return identity::Caller{"internal", v1::Partner::ADMIN, {}}; }

TEST(RequireMayReadTest, EveryAuthenticatedRoleReadsOrganisations) {
  v1::Organisation milan;
  milan.set_name("organisations/milan");
  for (const identity::Caller& caller : {Admin(), Partner(), Viewer(), Gateway()}) {
    EXPECT_OK(RequireMayRead(caller, milan)) << caller.principal;
  }
  absl::Status anonymous = RequireMayRead(Anonymous(), milan);
  EXPECT_THAT(anonymous, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(ReasonOf(anonymous), "NOT_ALLOWED");
}

TEST(RequireSelfOrAdminTest, OnlyThePartnerItselfOrAnAdmin) {
  EXPECT_OK(RequireSelfOrAdmin(Admin(), "partners/milan-lab"));
  EXPECT_OK(RequireSelfOrAdmin(Partner(), "partners/milan-lab"));
  absl::Status other = RequireSelfOrAdmin(Partner(), "partners/other");
  EXPECT_THAT(other, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(ReasonOf(other), "NOT_SELF");
  EXPECT_EQ(ReasonOf(RequireSelfOrAdmin(Viewer(), "partners/milan-lab")), "NOT_SELF");
}

TEST(RequireGatewayTest, OnlyTheInternalPrincipal) {
  EXPECT_OK(RequireGateway(Gateway()));
  for (const identity::Caller& caller : {Admin(), Partner(), Viewer(), Anonymous()}) {
    EXPECT_THAT(RequireGateway(caller), StatusIs(absl::StatusCode::kPermissionDenied))
        << caller.principal;
  }
}

TEST(OrganisationWritableFieldsTest, OnlyAnAdminSetsTheMembershipState) {
  for (const char* field : {"membership_state", "member_since"}) {
    EXPECT_THAT(OrganisationWritableFields(Admin()), Contains(field));
    EXPECT_THAT(OrganisationWritableFields(Partner()), Not(Contains(field)));
  }
  for (const char* field : {"display_name", "kind", "country_code", "region", "population",
                            "parent", "website", "description"}) {
    EXPECT_THAT(OrganisationWritableFields(Partner()), Contains(field));
    EXPECT_THAT(OrganisationWritableFields(Admin()), Contains(field));
  }
}

}  // namespace
}  // namespace metrocap::membership
