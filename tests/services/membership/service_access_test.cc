// Who may do what: anonymous and forged callers, VIEWER, PARTNER with grants, ADMIN.
#include "tests/services/membership/service_fixture.h"

namespace metrocap::membership::testing {
namespace {

using Org = v1::Organisation;

class AccessTest : public MembershipServiceTest {
 protected:
  void SetUp() override {
    MembershipServiceTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    barcelona_ = CreateOrganisation("barcelona");
    milan_ = CreateOrganisation("milan");
  }
  Org barcelona_;
  Org milan_;
};

TEST_P(AccessTest, CallsWithoutValidCredentialsAreUnauthenticated) {
  v1::GetOrganisationRequest get;
  get.set_name(barcelona_.name());
  const Who callers[] = {
      Who::Metadata({}),
      Who::Metadata({{"authorization", "Bearer not-the-admin-token"}}),
      Who::Metadata({{"authorization", kAdminToken}}),  // no "Bearer "
      Who::Metadata({{identity::kCredentialKey, "not-the-internal-credential"}}),
      // A principal without the internal credential is not trusted.
      Who::Metadata({{identity::kPrincipalKey,
                      [] {
                        v1::Principal p;
                        p.set_partner("partners/x");
                        p.set_role(v1::Partner::ADMIN);
                        return p.SerializeAsString();
                      }()}}),
      // A malformed principal with the right credential.
      Who::Metadata({{identity::kCredentialKey, kInternalCredential},
                     {identity::kPrincipalKey, "\xff\xff not a principal"}}),
      Who::Principal("", v1::Partner::ADMIN),
      Who::Principal("partners/x", v1::Partner::ROLE_UNSPECIFIED),
  };
  for (const Who& who : callers) {
    EXPECT_THAT(Call(&Stub::GetOrganisation, get, who).status,
                HasCode(grpc::StatusCode::UNAUTHENTICATED));
  }
  v1::CreateOrganisationRequest create;
  create.set_organisation_id("intruder");
  *create.mutable_organisation() = OrganisationDraft("Intruder");
  EXPECT_THAT(Call(&Stub::CreateOrganisation, create, Who::Metadata({})).status,
              HasCode(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(CountOrganisations(), 2);
}

TEST_P(AccessTest, AViewerReadsButCannotWrite) {
  Who viewer = Who::Viewer();
  v1::GetOrganisationRequest get;
  get.set_name(barcelona_.name());
  EXPECT_THAT(Call(&Stub::GetOrganisation, get, viewer).status, IsGrpcOk());
  EXPECT_THAT(Call(&Stub::ListOrganisations, v1::ListOrganisationsRequest(), viewer).status,
              IsGrpcOk());
  EXPECT_THAT(Call(&Stub::ListRegions, v1::ListRegionsRequest(), viewer).status, IsGrpcOk());
  EXPECT_THAT(Call(&Stub::ListBoardSeats, v1::ListBoardSeatsRequest(), viewer).status, IsGrpcOk());
  EXPECT_THAT(Call(&Stub::ListApplications, v1::ListApplicationsRequest(), viewer).status,
              IsGrpcOk());

  const auto denied = grpc::StatusCode::PERMISSION_DENIED;
  v1::CreateRegionRequest region;
  region.mutable_region()->set_display_name("Africa");
  EXPECT_THAT(Call(&Stub::CreateRegion, region, viewer).status, HasCode(denied));
  v1::CreateOrganisationRequest create;
  *create.mutable_organisation() = OrganisationDraft("Turin");
  EXPECT_THAT(Call(&Stub::CreateOrganisation, create, viewer).status, HasCode(denied));
  v1::UpdateOrganisationRequest update;
  update.mutable_organisation()->set_name(barcelona_.name());
  update.mutable_organisation()->set_population(1);
  update.mutable_update_mask()->add_paths("population");
  EXPECT_THAT(Call(&Stub::UpdateOrganisation, update, viewer).status, HasCode(denied));
  v1::DeleteOrganisationRequest remove;
  remove.set_name(milan_.name());
  EXPECT_THAT(Call(&Stub::DeleteOrganisation, remove, viewer).status, HasCode(denied));
  v1::CreateBoardSeatRequest seat;
  seat.mutable_board_seat()->set_person_name("x");
  EXPECT_THAT(Call(&Stub::CreateBoardSeat, seat, viewer).status, HasCode(denied));
  v1::CreateApplicationRequest apply;
  apply.mutable_application()->set_applicant(barcelona_.name());
  EXPECT_THAT(Call(&Stub::CreateApplication, apply, viewer).status, HasCode(denied));
  v1::CreatePartnerRequest partner;
  partner.mutable_partner()->set_display_name("x");
  EXPECT_THAT(Call(&Stub::CreatePartner, partner, viewer).status, HasCode(denied));

  EXPECT_EQ(CountOrganisations(), 2);
  EXPECT_EQ(CountRegions(), 1);
  EXPECT_EQ(CountApplications(), 0);
  EXPECT_EQ(GetOrganisation(barcelona_.name()).etag(), barcelona_.etag());
}

TEST_P(AccessTest, APartnerUpdatesTheOrganisationsItIsGrantedOnly) {
  Who partner = Who::Partner("partners/barcelona-lab", {barcelona_.name()});

  v1::UpdateOrganisationRequest granted;
  granted.mutable_organisation()->set_name(barcelona_.name());
  granted.mutable_organisation()->set_population(3400000);
  granted.mutable_organisation()->set_website("https://www.barcelona.cat");
  granted.mutable_update_mask()->add_paths("population");
  granted.mutable_update_mask()->add_paths("website");
  auto updated = Call(&Stub::UpdateOrganisation, granted, partner);
  ASSERT_THAT(updated.status, IsGrpcOk());
  EXPECT_EQ(updated.value.population(), 3400000);

  v1::UpdateOrganisationRequest other;
  other.mutable_organisation()->set_name(milan_.name());
  other.mutable_organisation()->set_population(1);
  other.mutable_update_mask()->add_paths("population");
  EXPECT_THAT(Call(&Stub::UpdateOrganisation, other, partner).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(GetOrganisation(milan_.name()).etag(), milan_.etag());

  // The membership state follows the board's decisions: a partner cannot set it, whether
  // it names it in the mask or sends it in a full replacement.
  v1::UpdateOrganisationRequest state;
  state.mutable_organisation()->set_name(barcelona_.name());
  state.mutable_organisation()->set_membership_state(Org::ACTIVE);
  *state.mutable_organisation()->mutable_member_since() = Day(2020, 1, 1);
  state.mutable_update_mask()->add_paths("membership_state");
  EXPECT_THAT(Call(&Stub::UpdateOrganisation, state, partner).status, IsBadField("updateMask"));
  state.mutable_update_mask()->set_paths(0, "member_since");
  EXPECT_THAT(Call(&Stub::UpdateOrganisation, state, partner).status, IsBadField("updateMask"));

  v1::UpdateOrganisationRequest replace;
  *replace.mutable_organisation() = updated.value;
  replace.mutable_organisation()->set_membership_state(Org::ACTIVE);
  replace.mutable_organisation()->set_display_name("Barcelona City Council");
  auto replaced = Call(&Stub::UpdateOrganisation, replace, partner);
  ASSERT_THAT(replaced.status, IsGrpcOk());
  EXPECT_EQ(replaced.value.display_name(), "Barcelona City Council");
  EXPECT_EQ(replaced.value.membership_state(), Org::NON_MEMBER);
  EXPECT_EQ(GetOrganisation(barcelona_.name()).membership_state(), Org::NON_MEMBER);

  // Creating and deleting organisations stays with ADMIN.
  v1::DeleteOrganisationRequest remove;
  remove.set_name(barcelona_.name());
  EXPECT_THAT(Call(&Stub::DeleteOrganisation, remove, partner).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));
}

TEST_P(AccessTest, APartnerAppliesForItsOrganisationButTheBoardDecides) {
  Who partner = Who::Partner("partners/barcelona-lab", {barcelona_.name()});
  v1::CreateApplicationRequest apply;
  apply.mutable_application()->set_applicant(milan_.name());
  EXPECT_THAT(Call(&Stub::CreateApplication, apply, partner).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));
  apply.mutable_application()->set_applicant(barcelona_.name());
  auto submitted = Call(&Stub::CreateApplication, apply, partner);
  ASSERT_THAT(submitted.status, IsGrpcOk());

  v1::SignApplicationFormRequest sign;
  sign.set_name(submitted.value.name());
  ASSERT_THAT(Call(&Stub::SignApplicationForm, sign, partner).status, IsGrpcOk());

  v1::RatifyApplicationRequest ratify;
  ratify.set_name(submitted.value.name());
  *ratify.mutable_decision()->mutable_decision_date() = Day(2022, 6, 1);
  EXPECT_THAT(Call(&Stub::RatifyApplication, ratify, partner).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));
  v1::RejectApplicationRequest reject;
  reject.set_name(submitted.value.name());
  EXPECT_THAT(Call(&Stub::RejectApplication, reject, partner).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));
  v1::DeleteApplicationRequest remove;
  remove.set_name(submitted.value.name());
  EXPECT_THAT(Call(&Stub::DeleteApplication, remove, partner).status,
              HasCode(grpc::StatusCode::PERMISSION_DENIED));

  // Another partner cannot withdraw it; this one can.
  v1::WithdrawApplicationRequest withdraw;
  withdraw.set_name(submitted.value.name());
  EXPECT_THAT(
      Call(&Stub::WithdrawApplication, withdraw, Who::Partner("partners/other", {milan_.name()}))
          .status,
      HasCode(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(GetApplication(submitted.value.name()).state(), v1::MembershipApplication::FORM_SIGNED);
  EXPECT_THAT(Call(&Stub::WithdrawApplication, withdraw, partner).status, IsGrpcOk());
}

TEST_P(AccessTest, ThePrincipalForwardedByTheGatewayActsWithItsRole) {
  // The gateway's own credential without a principal acts as an internal ADMIN.
  v1::CreateRegionRequest region;
  region.set_region_id("africa");
  region.mutable_region()->set_display_name("Africa");
  EXPECT_THAT(Call(&Stub::CreateRegion, region, Who::Internal()).status, IsGrpcOk());
  // An ADMIN partner forwarded by the gateway.
  region.set_region_id("asia");
  region.mutable_region()->set_display_name("Asia");
  EXPECT_THAT(
      Call(&Stub::CreateRegion, region, Who::Principal("partners/ops", v1::Partner::ADMIN)).status,
      IsGrpcOk());
  EXPECT_EQ(CountRegions(), 3);
}

METROCAP_ON_EVERY_STORE_BACKEND(AccessTest);

}  // namespace
}  // namespace metrocap::membership::testing
