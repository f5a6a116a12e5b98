// Bad input on every field of every write: INVALID_ARGUMENT with a google.rpc.BadRequest
// field violation naming the field, and nothing changed.
#include <functional>
#include <vector>

#include "tests/services/membership/service_fixture.h"

namespace metrocap::membership::testing {
namespace {

using ::testing::HasSubstr;

// One way to spoil a valid CreateOrganisationRequest, and the field it must be blamed on.
struct BadOrganisation {
  const char* label;
  std::function<void(v1::CreateOrganisationRequest*)> spoil;
  const char* field;
};

// Every way to spoil a valid CreateOrganisationRequest.
std::vector<BadOrganisation> BadOrganisations() {
  return {
      BadOrganisation{"EmptyDisplayName",
                      [](auto* r) { r->mutable_organisation()->clear_display_name(); },
                      "organisation.displayName"},
      BadOrganisation{
          "DisplayName201Chars",
          [](auto* r) { r->mutable_organisation()->set_display_name(std::string(201, 'x')); },
          "organisation.displayName"},
      BadOrganisation{"NoKind", [](auto* r) { r->mutable_organisation()->clear_kind(); },
                      "organisation.kind"},
      BadOrganisation{"Kind99",
                      [](auto* r) {
                        r->mutable_organisation()->set_kind(
                            static_cast<v1::Organisation::Kind>(99));
                      },
                      "organisation.kind"},
      BadOrganisation{"NoCountryCode",
                      [](auto* r) { r->mutable_organisation()->clear_country_code(); },
                      "organisation.countryCode"},
      BadOrganisation{"CountryCodeXX",
                      [](auto* r) { r->mutable_organisation()->set_country_code("XX"); },
                      "organisation.countryCode"},
      BadOrganisation{"CountryCodeLowerCase",
                      [](auto* r) { r->mutable_organisation()->set_country_code("es"); },
                      "organisation.countryCode"},
      BadOrganisation{"CountryCodeAlpha3",
                      [](auto* r) { r->mutable_organisation()->set_country_code("ESP"); },
                      "organisation.countryCode"},
      BadOrganisation{"NoRegion", [](auto* r) { r->mutable_organisation()->clear_region(); },
                      "organisation.region"},
      BadOrganisation{"MalformedRegion",
                      [](auto* r) { r->mutable_organisation()->set_region("Europe"); },
                      "organisation.region"},
      BadOrganisation{"UnknownRegion",
                      [](auto* r) { r->mutable_organisation()->set_region("regions/atlantis"); },
                      "organisation.region"},
      BadOrganisation{"NegativePopulation",
                      [](auto* r) { r->mutable_organisation()->set_population(-1); },
                      "organisation.population"},
      BadOrganisation{
          "MissingParent",
          [](auto* r) { r->mutable_organisation()->set_parent("organisations/atlantis"); },
          "organisation.parent"},
      BadOrganisation{"MalformedParent",
                      [](auto* r) { r->mutable_organisation()->set_parent("existing"); },
                      "organisation.parent"},
      BadOrganisation{
          "OwnParent",
          [](auto* r) { r->mutable_organisation()->set_parent("organisations/newcomer"); },
          "organisation.parent"},
      BadOrganisation{"MembershipState99",
                      [](auto* r) {
                        r->mutable_organisation()->set_membership_state(
                            static_cast<v1::Organisation::MembershipState>(99));
                      },
                      "organisation.membershipState"},
      BadOrganisation{
          "MemberSinceNotADate",
          [](auto* r) { *r->mutable_organisation()->mutable_member_since() = Day(2021, 2, 29); },
          "organisation.memberSince"},
      BadOrganisation{
          "Website2001Chars",
          [](auto* r) { r->mutable_organisation()->set_website(std::string(2001, 'w')); },
          "organisation.website"},
      BadOrganisation{
          "Description2001Chars",
          [](auto* r) { r->mutable_organisation()->set_description(std::string(2001, 'd')); },
          "organisation.description"},
      BadOrganisation{"MalformedId", [](auto* r) { r->set_organisation_id("New_Comer"); },
                      "organisationId"},
      BadOrganisation{"IdTooLong",
                      [](auto* r) { r->set_organisation_id("a" + std::string(63, 'b')); },
                      "organisationId"},
      BadOrganisation{"NothingToDeriveAnIdFrom",
                      [](auto* r) {
                        r->clear_organisation_id();
                        r->mutable_organisation()->set_display_name("???");
                      },
                      "organisationId"},
  };
}

// One store per backend for all the cases: each refused create must leave it as it was.
TEST_P(MembershipServiceTest, EveryBadOrganisationFieldIsRefusedNamingItAndChangesNothing) {
  v1::Organisation existing = CreateOrganisation("existing");
  for (const BadOrganisation& bad : BadOrganisations()) {
    SCOPED_TRACE(bad.label);
    v1::CreateOrganisationRequest request;
    request.set_organisation_id("newcomer");
    *request.mutable_organisation() = OrganisationDraft("Newcomer");
    request.mutable_organisation()->set_parent("organisations/existing");
    bad.spoil(&request);

    auto reply = Call(&Stub::CreateOrganisation, request);
    EXPECT_THAT(reply.status, IsBadField(bad.field));
    EXPECT_EQ(ViolationsOf(reply.status).size(), 1u) << Describe(reply.status);
    EXPECT_EQ(ReasonOf(reply.status), "INVALID_ARGUMENT");
    EXPECT_EQ(CountOrganisations(), 1);
    EXPECT_EQ(GetOrganisation(existing.name()).etag(), existing.etag());
  }
}

TEST_P(MembershipServiceTest, CountryCodeViolationSaysWhatIsExpected) {
  v1::CreateOrganisationRequest request;
  *request.mutable_organisation() = OrganisationDraft("Nowhere");
  request.mutable_organisation()->set_country_code("XX");
  auto reply = Call(&Stub::CreateOrganisation, request);
  ASSERT_EQ(ViolationsOf(reply.status).size(), 1u);
  EXPECT_THAT(ViolationsOf(reply.status)[0].description, HasSubstr("ISO 3166-1 alpha-2"));
  EXPECT_THAT(reply.status.error_message(), HasSubstr("organisation.countryCode"));
}

TEST_P(MembershipServiceTest, EveryBadFieldIsReportedAtOnce) {
  v1::CreateOrganisationRequest request;
  request.mutable_organisation()->set_display_name("Many faults");
  request.mutable_organisation()->set_country_code("es");
  request.mutable_organisation()->set_population(-3);
  auto reply = Call(&Stub::CreateOrganisation, request);
  EXPECT_THAT(reply.status, IsBadField("organisation.kind"));
  EXPECT_THAT(reply.status, IsBadField("organisation.countryCode"));
  EXPECT_THAT(reply.status, IsBadField("organisation.region"));
  EXPECT_THAT(reply.status, IsBadField("organisation.population"));
  EXPECT_EQ(CountOrganisations(), 0);
}

TEST_P(MembershipServiceTest, BadUpdatesOfAnOrganisationChangeNothing) {
  v1::Organisation barcelona = CreateOrganisation("barcelona");
  struct Case {
    const char* path;
    std::function<void(v1::Organisation*)> spoil;
    const char* field;
  };
  const Case cases[] = {
      {"display_name", [](auto* o) { o->set_display_name(""); }, "organisation.displayName"},
      {"display_name", [](auto* o) { o->set_display_name(std::string(201, 'x')); },
       "organisation.displayName"},
      {"kind", [](auto* o) { o->set_kind(static_cast<v1::Organisation::Kind>(99)); },
       "organisation.kind"},
      {"country_code", [](auto* o) { o->set_country_code("XX"); }, "organisation.countryCode"},
      {"region", [](auto* o) { o->set_region("regions/atlantis"); }, "organisation.region"},
      {"region", [](auto* o) { o->clear_region(); }, "organisation.region"},
      {"population", [](auto* o) { o->set_population(-1); }, "organisation.population"},
      {"parent", [](auto* o) { o->set_parent("organisations/atlantis"); }, "organisation.parent"},
      {"member_since", [](auto* o) { *o->mutable_member_since() = Day(2022, 4, 31); },
       "organisation.memberSince"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::UpdateOrganisationRequest update;
    update.mutable_organisation()->set_name(barcelona.name());
    c.spoil(update.mutable_organisation());
    update.mutable_update_mask()->add_paths(c.path);
    EXPECT_THAT(Call(&Stub::UpdateOrganisation, update).status, IsBadField(c.field));
  }
  v1::Organisation after = GetOrganisation(barcelona.name());
  EXPECT_EQ(after.etag(), barcelona.etag());
  EXPECT_EQ(after.display_name(), barcelona.display_name());
}

// Issue 18, item 5: text with control characters was stored as given.
TEST_P(MembershipServiceTest, ControlCharactersInTextAreRefusedNamingTheField) {
  // One-line text refuses every control character, a line break included.
  for (const std::string& bad :
       {std::string("Bar\0celona", 10), std::string("Bar\ncelona"), std::string("Bar\tcelona"),
        std::string("Barcelona\x7f"), std::string("Barcelona\xc2\x85")}) {
    v1::CreateOrganisationRequest request;
    request.set_organisation_id("barcelona");
    *request.mutable_organisation() = OrganisationDraft(bad);
    EXPECT_THAT(Call(&Stub::CreateOrganisation, request).status,
                IsBadField("organisation.displayName"));
  }
  EXPECT_EQ(CountOrganisations(), 0);

  // A description may hold line breaks and tabs, and nothing else of the kind.
  v1::Organisation draft = OrganisationDraft("Barcelona");
  draft.set_description("Line one\n\tLine two\r\n");
  EXPECT_EQ(CreateOrganisation("barcelona", draft).description(), "Line one\n\tLine two\r\n");
  v1::UpdateOrganisationRequest update;
  update.mutable_organisation()->set_name("organisations/barcelona");
  update.mutable_organisation()->set_description(std::string("bell\a", 5));
  update.mutable_update_mask()->add_paths("description");
  EXPECT_THAT(Call(&Stub::UpdateOrganisation, update).status,
              IsBadField("organisation.description"));
  EXPECT_EQ(GetOrganisation("organisations/barcelona").description(), "Line one\n\tLine two\r\n");

  // So may an application's note; a board seat's title is one line.
  v1::CreateApplicationRequest apply;
  apply.mutable_application()->set_applicant("organisations/barcelona");
  apply.mutable_application()->set_note(std::string("letter\0", 7));
  EXPECT_THAT(Call(&Stub::CreateApplication, apply).status, IsBadField("application.note"));
  apply.mutable_application()->set_note("Letter of intent:\nsigned by the mayor");
  EXPECT_THAT(Call(&Stub::CreateApplication, apply).status, IsGrpcOk());

  v1::CreateBoardSeatRequest seat;
  seat.set_board_seat_id("barcelona-president");
  seat.mutable_board_seat()->set_organisation("organisations/barcelona");
  seat.mutable_board_seat()->set_person_name("Ada Colau");
  seat.mutable_board_seat()->set_title("Mayor\nof Barcelona");
  seat.mutable_board_seat()->set_role(v1::BoardSeat::PRESIDENCY);
  seat.mutable_board_seat()->set_region("regions/europe");
  *seat.mutable_board_seat()->mutable_term_start() = Day(2021, 1, 1);
  EXPECT_THAT(Call(&Stub::CreateBoardSeat, seat).status, IsBadField("boardSeat.title"));
  EXPECT_EQ(CountBoardSeats(), 0);
}

TEST_P(MembershipServiceTest, BadRegionsAreRefused) {
  v1::CreateRegionRequest create;
  EXPECT_THAT(Call(&Stub::CreateRegion, create).status, IsBadField("region.displayName"));
  create.mutable_region()->set_display_name(std::string(201, 'r'));
  EXPECT_THAT(Call(&Stub::CreateRegion, create).status, IsBadField("region.displayName"));
  create.mutable_region()->set_display_name("Africa");
  create.set_region_id("-africa");
  EXPECT_THAT(Call(&Stub::CreateRegion, create).status, IsBadField("regionId"));
  EXPECT_EQ(CountRegions(), 1);

  v1::UpdateRegionRequest update;
  update.mutable_region()->set_name("regions/europe");
  update.mutable_update_mask()->add_paths("display_name");
  EXPECT_THAT(Call(&Stub::UpdateRegion, update).status, IsBadField("region.displayName"));
  update.mutable_region()->set_name("europe");
  EXPECT_THAT(Call(&Stub::UpdateRegion, update).status, IsBadField("region.name"));
}

TEST_P(MembershipServiceTest, BadBoardSeatsAreRefused) {
  CreateOrganisation("milan");
  struct Case {
    std::function<void(v1::CreateBoardSeatRequest*)> spoil;
    const char* field;
  };
  const Case cases[] = {
      {[](auto* r) { r->mutable_board_seat()->clear_organisation(); }, "boardSeat.organisation"},
      {[](auto* r) { r->mutable_board_seat()->set_organisation("milan"); },
       "boardSeat.organisation"},
      {[](auto* r) { r->mutable_board_seat()->set_organisation("organisations/rome"); },
       "boardSeat.organisation"},
      {[](auto* r) { r->mutable_board_seat()->clear_person_name(); }, "boardSeat.personName"},
      {[](auto* r) { r->mutable_board_seat()->set_person_name(std::string(201, 'p')); },
       "boardSeat.personName"},
      {[](auto* r) { r->mutable_board_seat()->set_title(std::string(2001, 't')); },
       "boardSeat.title"},
      {[](auto* r) { r->mutable_board_seat()->clear_role(); }, "boardSeat.role"},
      {[](auto* r) { r->mutable_board_seat()->set_role(static_cast<v1::BoardSeat::Role>(99)); },
       "boardSeat.role"},
      {[](auto* r) { r->mutable_board_seat()->clear_region(); }, "boardSeat.region"},
      {[](auto* r) { r->mutable_board_seat()->set_region("regions/atlantis"); },
       "boardSeat.region"},
      {[](auto* r) { r->mutable_board_seat()->clear_term_start(); }, "boardSeat.termStart"},
      {[](auto* r) { *r->mutable_board_seat()->mutable_term_start() = Day(2022, 2, 29); },
       "boardSeat.termStart"},
      {[](auto* r) { *r->mutable_board_seat()->mutable_term_end() = Day(2022, 0, 1); },
       "boardSeat.termEnd"},
      {[](auto* r) { *r->mutable_board_seat()->mutable_term_end() = Day(2020, 1, 1); },
       "boardSeat.termEnd"},
      {[](auto* r) { r->set_board_seat_id("Seat 1"); }, "boardSeatId"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::CreateBoardSeatRequest request;
    request.set_board_seat_id("seat");
    v1::BoardSeat* seat = request.mutable_board_seat();
    seat->set_organisation("organisations/milan");
    seat->set_person_name("Giuseppe Sala");
    seat->set_role(v1::BoardSeat::MEMBER);
    seat->set_region("regions/europe");
    *seat->mutable_term_start() = Day(2021, 1, 1);
    *seat->mutable_term_end() = Day(2024, 1, 1);
    c.spoil(&request);
    EXPECT_THAT(Call(&Stub::CreateBoardSeat, request).status, IsBadField(c.field));
  }
  EXPECT_EQ(CountBoardSeats(), 0);

  v1::BoardSeat seat =
      CreateSeat("sala", "organisations/milan", v1::BoardSeat::MEMBER, Day(2021, 1, 1), {});
  v1::UpdateBoardSeatRequest update;
  update.mutable_board_seat()->set_name(seat.name());
  *update.mutable_board_seat()->mutable_term_end() = Day(2020, 1, 1);
  update.mutable_update_mask()->add_paths("term_end");
  EXPECT_THAT(Call(&Stub::UpdateBoardSeat, update).status, IsBadField("boardSeat.termEnd"));
  update.mutable_board_seat()->set_organisation("organisations/rome");
  update.mutable_update_mask()->set_paths(0, "organisation");
  EXPECT_THAT(Call(&Stub::UpdateBoardSeat, update).status, IsBadField("boardSeat.organisation"));

  v1::ListBoardSeatsRequest list;
  *list.mutable_active_on() = Day(2022, 2, 30);
  EXPECT_THAT(Call(&Stub::ListBoardSeats, list).status, IsBadField("activeOn"));
}

TEST_P(MembershipServiceTest, BadApplicationsAreRefused) {
  v1::Organisation kocaeli = CreateOrganisation("kocaeli");
  struct Case {
    std::function<void(v1::CreateApplicationRequest*)> spoil;
    const char* field;
  };
  const Case cases[] = {
      {[](auto* r) { r->mutable_application()->clear_applicant(); }, "application.applicant"},
      {[](auto* r) { r->mutable_application()->set_applicant("kocaeli"); },
       "application.applicant"},
      {[](auto* r) { r->mutable_application()->set_applicant("organisations/atlantis"); },
       "application.applicant"},
      {[](auto* r) { r->mutable_application()->set_note(std::string(2001, 'n')); },
       "application.note"},
      {[](auto* r) { r->set_application_id("9-kocaeli"); }, "applicationId"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::CreateApplicationRequest request;
    request.set_application_id("kocaeli-2022");
    request.mutable_application()->set_applicant(kocaeli.name());
    c.spoil(&request);
    EXPECT_THAT(Call(&Stub::CreateApplication, request).status, IsBadField(c.field));
  }
  EXPECT_EQ(CountApplications(), 0);
  v1::Organisation after = GetOrganisation(kocaeli.name());
  EXPECT_EQ(after.membership_state(), v1::Organisation::NON_MEMBER);
  EXPECT_EQ(after.etag(), kocaeli.etag());
}

TEST_P(MembershipServiceTest, BadPartnersAreRefused) {
  CreateOrganisation("barcelona");
  struct Case {
    std::function<void(v1::CreatePartnerRequest*)> spoil;
    const char* field;
  };
  const Case cases[] = {
      {[](auto* r) { r->mutable_partner()->clear_display_name(); }, "partner.displayName"},
      {[](auto* r) { r->mutable_partner()->set_display_name(std::string(201, 'n')); },
       "partner.displayName"},
      {[](auto* r) { r->mutable_partner()->clear_role(); }, "partner.role"},
      {[](auto* r) { r->mutable_partner()->set_role(static_cast<v1::Partner::Role>(99)); },
       "partner.role"},
      {[](auto* r) { r->mutable_partner()->set_organisation("organisations/atlantis"); },
       "partner.organisation"},
      {[](auto* r) { r->mutable_partner()->set_organisation("barcelona"); },
       "partner.organisation"},
      {[](auto* r) { r->mutable_partner()->add_grants("organisations/atlantis"); },
       "partner.grants[1]"},
      {[](auto* r) { r->mutable_partner()->set_grants(0, "barcelona"); }, "partner.grants[0]"},
      {[](auto* r) { r->set_partner_id("Lab"); }, "partnerId"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::CreatePartnerRequest request;
    request.set_partner_id("lab");
    request.mutable_partner()->set_display_name("Barcelona Lab");
    request.mutable_partner()->set_organisation("organisations/barcelona");
    request.mutable_partner()->set_role(v1::Partner::PARTNER);
    request.mutable_partner()->add_grants("organisations/barcelona");
    c.spoil(&request);
    EXPECT_THAT(Call(&Stub::CreatePartner, request).status, IsBadField(c.field));
  }
  EXPECT_EQ(CountPartners(), 0);
}

// Output-only fields a caller sends are ignored, not refused (AIP-203): a client may send
// back what it read.
TEST_P(MembershipServiceTest, OutputOnlyFieldsACallerSendsAreIgnored) {
  CreatePartner("lab", v1::Partner::PARTNER);
  v1::CreateApiKeyRequest key;
  key.set_parent("partners/lab");
  key.mutable_api_key()->set_display_name("ci");
  key.mutable_api_key()->set_secret("mck_chosen_by_me");
  key.mutable_api_key()->set_state(v1::ApiKey::REVOKED);
  auto created = Call(&Stub::CreateApiKey, key);
  ASSERT_TRUE(created.ok()) << created.status.error_message();
  EXPECT_NE(created.value.secret(), "mck_chosen_by_me");
  EXPECT_FALSE(created.value.secret().empty());
  EXPECT_EQ(created.value.state(), v1::ApiKey::ACTIVE);

  v1::Organisation kocaeli = CreateOrganisation("kocaeli");
  v1::CreateApplicationRequest application;
  application.mutable_application()->set_applicant(kocaeli.name());
  application.mutable_application()->set_state(v1::MembershipApplication::RATIFIED);
  application.mutable_application()->mutable_decision()->set_votes_for(9);
  auto submitted = Call(&Stub::CreateApplication, application);
  ASSERT_TRUE(submitted.ok()) << submitted.status.error_message();
  EXPECT_EQ(submitted.value.state(), v1::MembershipApplication::SUBMITTED);
  EXPECT_FALSE(submitted.value.has_decision());
}

TEST_P(MembershipServiceTest, BadApiKeysAreRefused) {
  CreatePartner("lab", v1::Partner::PARTNER);
  struct Case {
    std::function<void(v1::CreateApiKeyRequest*)> spoil;
    const char* field;
  };
  const Case cases[] = {
      {[](auto* r) { r->mutable_api_key()->set_display_name(std::string(201, 'k')); },
       "apiKey.displayName"},
      {[](auto* r) { r->set_parent("partners/nobody"); }, "parent"},
      {[](auto* r) { r->set_parent("lab"); }, "parent"},
      {[](auto* r) { r->clear_parent(); }, "parent"},
      {[](auto* r) { r->set_api_key_id("Key!"); }, "apiKeyId"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::CreateApiKeyRequest request;
    request.set_parent("partners/lab");
    request.mutable_api_key()->set_display_name("ci");
    c.spoil(&request);
    EXPECT_THAT(Call(&Stub::CreateApiKey, request).status, IsBadField(c.field));
  }
  v1::ListApiKeysRequest list;
  list.set_parent("partners/lab");
  auto keys = Call(&Stub::ListApiKeys, list);
  ASSERT_THAT(keys.status, IsGrpcOk());
  EXPECT_EQ(keys.value.api_keys_size(), 0);
}

}  // namespace
}  // namespace metrocap::membership::testing
