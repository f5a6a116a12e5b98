// Optimistic concurrency (etags) and idempotent writes (requestId, AIP-155).
#include "google/protobuf/util/message_differencer.h"
#include "tests/services/membership/service_fixture.h"

namespace metrocap::membership::testing {
namespace {

using google::protobuf::util::MessageDifferencer;

TEST_P(MembershipServiceTest, AStaleEtagIsAbortedEverywhere) {
  v1::Organisation barcelona = CreateOrganisation("barcelona");
  v1::UpdateOrganisationRequest update;
  update.mutable_organisation()->set_name(barcelona.name());
  update.mutable_organisation()->set_etag(barcelona.etag());
  update.mutable_organisation()->set_population(1);
  update.mutable_update_mask()->add_paths("population");
  auto first = Call(&Stub::UpdateOrganisation, update);
  ASSERT_THAT(first.status, IsGrpcOk());

  // The same etag again is now stale: the write is refused and nothing changes.
  update.mutable_organisation()->set_population(2);
  auto stale = Call(&Stub::UpdateOrganisation, update);
  EXPECT_THAT(stale.status, HasCode(grpc::StatusCode::ABORTED));
  EXPECT_EQ(ReasonOf(stale.status), "ETAG_MISMATCH");
  EXPECT_EQ(GetOrganisation(barcelona.name()).population(), 1);

  v1::DeleteOrganisationRequest remove;
  remove.set_name(barcelona.name());
  remove.set_etag(barcelona.etag());
  EXPECT_THAT(Call(&Stub::DeleteOrganisation, remove).status, HasCode(grpc::StatusCode::ABORTED));
  EXPECT_EQ(CountOrganisations(), 1);

  v1::Region europe;
  {
    v1::GetRegionRequest get;
    get.set_name("regions/europe");
    europe = Call(&Stub::GetRegion, get).value;
  }
  v1::UpdateRegionRequest region;
  region.mutable_region()->set_name(europe.name());
  region.mutable_region()->set_display_name("Europa");
  region.mutable_region()->set_etag(europe.etag());
  ASSERT_THAT(Call(&Stub::UpdateRegion, region).status, IsGrpcOk());
  EXPECT_THAT(Call(&Stub::UpdateRegion, region).status, HasCode(grpc::StatusCode::ABORTED));
  v1::DeleteRegionRequest delete_region;
  delete_region.set_name(europe.name());
  delete_region.set_etag(europe.etag());
  EXPECT_THAT(Call(&Stub::DeleteRegion, delete_region).status, HasCode(grpc::StatusCode::ABORTED));

  v1::BoardSeat seat =
      CreateSeat("sala", barcelona.name(), v1::BoardSeat::MEMBER, Day(2020, 1, 1), {});
  v1::UpdateBoardSeatRequest seat_update;
  seat_update.mutable_board_seat()->set_name(seat.name());
  seat_update.mutable_board_seat()->set_etag(seat.etag());
  seat_update.mutable_board_seat()->set_title("Mayor of Barcelona");
  seat_update.mutable_update_mask()->add_paths("title");
  ASSERT_THAT(Call(&Stub::UpdateBoardSeat, seat_update).status, IsGrpcOk());
  EXPECT_THAT(Call(&Stub::UpdateBoardSeat, seat_update).status, HasCode(grpc::StatusCode::ABORTED));

  v1::Partner partner = CreatePartner("lab", v1::Partner::VIEWER);
  v1::UpdatePartnerRequest partner_update;
  partner_update.mutable_partner()->set_name(partner.name());
  partner_update.mutable_partner()->set_etag(partner.etag());
  partner_update.mutable_partner()->set_display_name("Lab");
  partner_update.mutable_update_mask()->add_paths("display_name");
  ASSERT_THAT(Call(&Stub::UpdatePartner, partner_update).status, IsGrpcOk());
  EXPECT_THAT(Call(&Stub::UpdatePartner, partner_update).status,
              HasCode(grpc::StatusCode::ABORTED));
}

TEST_P(MembershipServiceTest, AStaleEtagAbortsApplicationTransitions) {
  CreateOrganisation("kocaeli");
  v1::MembershipApplication submitted = Apply("kocaeli-2022", "organisations/kocaeli");
  v1::SignApplicationFormRequest sign;
  sign.set_name(submitted.name());
  sign.set_etag(submitted.etag());
  ASSERT_THAT(Call(&Stub::SignApplicationForm, sign).status, IsGrpcOk());

  v1::WithdrawApplicationRequest withdraw;
  withdraw.set_name(submitted.name());
  withdraw.set_etag(submitted.etag());
  EXPECT_THAT(Call(&Stub::WithdrawApplication, withdraw).status,
              HasCode(grpc::StatusCode::ABORTED));
  v1::RatifyApplicationRequest ratify;
  ratify.set_name(submitted.name());
  ratify.set_etag(submitted.etag());
  *ratify.mutable_decision()->mutable_decision_date() = Day(2022, 6, 1);
  EXPECT_THAT(Call(&Stub::RatifyApplication, ratify).status, HasCode(grpc::StatusCode::ABORTED));
  EXPECT_EQ(GetApplication(submitted.name()).state(), v1::MembershipApplication::FORM_SIGNED);
}

TEST_P(MembershipServiceTest, AMalformedEtagIsInvalid) {
  v1::Organisation barcelona = CreateOrganisation("barcelona");
  v1::DeleteOrganisationRequest remove;
  remove.set_name(barcelona.name());
  remove.set_etag("not an etag");
  EXPECT_THAT(Call(&Stub::DeleteOrganisation, remove).status,
              HasCode(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(CountOrganisations(), 1);
}

TEST_P(MembershipServiceTest, ARepeatedRequestIdReturnsTheFirstResponseAndCreatesNothing) {
  v1::CreateOrganisationRequest create;
  create.set_request_id("5b0d3c3e-6f1f-4d84-9a43-6a1d1c2f0a01");
  *create.mutable_organisation() = OrganisationDraft("Barcelona");
  auto first = Call(&Stub::CreateOrganisation, create);
  ASSERT_THAT(first.status, IsGrpcOk());
  auto repeat = Call(&Stub::CreateOrganisation, create);
  ASSERT_THAT(repeat.status, IsGrpcOk());
  EXPECT_TRUE(MessageDifferencer::Equals(first.value, repeat.value));
  EXPECT_EQ(CountOrganisations(), 1);

  // The same id with a different request is refused.
  create.mutable_organisation()->set_display_name("Barcelona bis");
  auto reused = Call(&Stub::CreateOrganisation, create);
  EXPECT_THAT(reused.status, HasCode(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_EQ(ReasonOf(reused.status), "REQUEST_ID_REUSED");
  EXPECT_EQ(CountOrganisations(), 1);

  // Without a request id the same body is a second Create (and here a name clash).
  create.clear_request_id();
  create.mutable_organisation()->set_display_name("Barcelona");
  EXPECT_THAT(Call(&Stub::CreateOrganisation, create).status,
              HasCode(grpc::StatusCode::ALREADY_EXISTS));
}

TEST_P(MembershipServiceTest, RequestIdsAreKeptPerCaller) {
  v1::CreateRegionRequest create;
  create.set_request_id("shared-id");
  create.mutable_region()->set_display_name("Africa");
  ASSERT_THAT(Call(&Stub::CreateRegion, create).status, IsGrpcOk());
  // Another caller's identical id is its own request: it runs (and hits the taken name).
  EXPECT_THAT(
      Call(&Stub::CreateRegion, create, Who::Principal("partners/ops", v1::Partner::ADMIN)).status,
      HasCode(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_EQ(CountRegions(), 2);
}

TEST_P(MembershipServiceTest, ARepeatedRatifyReturnsTheFirstResultInsteadOfFailing) {
  CreateOrganisation("board");
  CreateSeat("only", "organisations/board", v1::BoardSeat::PRESIDENCY, Day(2020, 1, 1), {});
  CreateOrganisation("kocaeli");
  v1::MembershipApplication submitted = Apply("kocaeli-2022", "organisations/kocaeli");
  v1::SignApplicationFormRequest sign;
  sign.set_name(submitted.name());
  ASSERT_THAT(Call(&Stub::SignApplicationForm, sign).status, IsGrpcOk());

  v1::RatifyApplicationRequest ratify;
  ratify.set_name(submitted.name());
  ratify.set_request_id("ratify-kocaeli");
  *ratify.mutable_decision()->mutable_decision_date() = Day(2022, 6, 1);
  ratify.mutable_decision()->set_votes_for(1);
  auto first = Call(&Stub::RatifyApplication, ratify);
  ASSERT_THAT(first.status, IsGrpcOk());
  v1::Organisation member = GetOrganisation("organisations/kocaeli");
  auto repeat = Call(&Stub::RatifyApplication, ratify);
  ASSERT_THAT(repeat.status, IsGrpcOk());
  EXPECT_TRUE(MessageDifferencer::Equals(first.value, repeat.value));
  EXPECT_EQ(GetOrganisation("organisations/kocaeli").etag(), member.etag());
}

TEST_P(MembershipServiceTest, ARepeatedDeleteReturnsTheFirstResult) {
  v1::Organisation barcelona = CreateOrganisation("barcelona");
  v1::DeleteOrganisationRequest remove;
  remove.set_name(barcelona.name());
  remove.set_request_id("delete-barcelona");
  ASSERT_THAT(Call(&Stub::DeleteOrganisation, remove).status, IsGrpcOk());
  EXPECT_THAT(Call(&Stub::DeleteOrganisation, remove).status, IsGrpcOk());
  remove.clear_request_id();
  EXPECT_THAT(Call(&Stub::DeleteOrganisation, remove).status, HasCode(grpc::StatusCode::NOT_FOUND));
}

TEST_P(MembershipServiceTest, AFailedWriteDoesNotConsumeItsRequestId) {
  v1::CreateOrganisationRequest create;
  create.set_request_id("retry-me");
  create.set_organisation_id("turin");
  *create.mutable_organisation() = OrganisationDraft("Turin", "regions/africa");
  EXPECT_THAT(Call(&Stub::CreateOrganisation, create).status, IsBadField("organisation.region"));
  CreateRegion("africa", "Africa");
  auto retried = Call(&Stub::CreateOrganisation, create);
  ASSERT_THAT(retried.status, IsGrpcOk());
  EXPECT_EQ(retried.value.name(), "organisations/turin");
}

}  // namespace
}  // namespace metrocap::membership::testing
