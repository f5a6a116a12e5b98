// Unit tests of the membership rules (services/membership/core): no gRPC, no store.
#include "services/membership/core/rules.h"

#include <string>
#include <tuple>
#include <vector>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::membership {
namespace {

using ::metrocap::testing::IsOk;
using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using App = v1::MembershipApplication;

google::type::Date Day(int year, int month, int day) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

// The field paths of a status's violations, in order.
std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsOf(status)) fields.push_back(v.field);
  return fields;
}

std::string DescriptionOf(const absl::Status& status, const std::string& field) {
  for (const FieldViolation& v : FieldViolationsOf(status)) {
    if (v.field == field) return v.description;
  }
  return "<no violation for " + field + ">";
}

TEST(CountryCodeTest, AcceptsAssignedUpperCaseCodes) {
  for (const char* code : {"ES", "IT", "TR", "GB", "US", "BR", "ZA", "AD", "ZW"}) {
    EXPECT_TRUE(IsCountryCode(code)) << code;
  }
}

TEST(CountryCodeTest, RefusesLowerCaseUnassignedAndWrongLength) {
  for (const char* code : {"", "E", "es", "Es", "XX", "ESP", "UK", "EU", "ZZ", "1A", " ES"}) {
    EXPECT_FALSE(IsCountryCode(code)) << "\"" << code << "\"";
  }
}

TEST(DateTest, LeapYears) {
  EXPECT_TRUE(IsValidDate(Day(2024, 2, 29)));
  EXPECT_TRUE(IsValidDate(Day(2000, 2, 29)));   // divisible by 400
  EXPECT_FALSE(IsValidDate(Day(1900, 2, 29)));  // divisible by 100, not 400
  EXPECT_FALSE(IsValidDate(Day(2023, 2, 29)));
  EXPECT_TRUE(IsValidDate(Day(2023, 2, 28)));
  EXPECT_FALSE(IsValidDate(Day(2024, 2, 30)));
}

TEST(DateTest, BadDaysMonthsAndYears) {
  EXPECT_FALSE(IsValidDate(Day(2022, 4, 31)));
  EXPECT_FALSE(IsValidDate(Day(2022, 6, 31)));
  EXPECT_FALSE(IsValidDate(Day(2022, 9, 31)));
  EXPECT_FALSE(IsValidDate(Day(2022, 11, 31)));
  EXPECT_TRUE(IsValidDate(Day(2022, 12, 31)));
  EXPECT_FALSE(IsValidDate(Day(2022, 1, 32)));
  EXPECT_FALSE(IsValidDate(Day(2022, 1, 0)));
  EXPECT_FALSE(IsValidDate(Day(2022, 1, -1)));
  EXPECT_FALSE(IsValidDate(Day(2022, 0, 1)));
  EXPECT_FALSE(IsValidDate(Day(2022, 13, 1)));
  EXPECT_FALSE(IsValidDate(Day(0, 1, 1)));
  EXPECT_FALSE(IsValidDate(Day(10000, 1, 1)));
  EXPECT_TRUE(IsValidDate(Day(1, 1, 1)));
  EXPECT_TRUE(IsValidDate(Day(9999, 12, 31)));
  EXPECT_FALSE(IsValidDate(google::type::Date()));  // all zero: no date at all
}

TEST(DateTest, CompareDatesOrdersByYearThenMonthThenDay) {
  EXPECT_EQ(CompareDates(Day(2022, 1, 1), Day(2022, 1, 1)), 0);
  EXPECT_EQ(CompareDates(Day(2021, 12, 31), Day(2022, 1, 1)), -1);
  EXPECT_EQ(CompareDates(Day(2022, 2, 1), Day(2022, 1, 31)), 1);
  EXPECT_EQ(CompareDates(Day(2022, 1, 2), Day(2022, 1, 1)), 1);
  EXPECT_EQ(CompareDates(Day(2021, 12, 1), Day(2022, 1, 1)), -1);
}

// Validators.

v1::Organisation GoodOrganisation() {
  v1::Organisation o;
  o.set_display_name("Barcelona");
  o.set_kind(v1::Organisation::METROPOLITAN_AREA);
  o.set_country_code("ES");
  o.set_region("regions/europe");
  o.set_population(3300000);
  return o;
}

TEST(ValidateRegionTest, DisplayNameRequiredAndBounded) {
  v1::Region region;
  region.set_display_name("Europe");
  EXPECT_OK(ValidateRegion(region, "region."));
  region.set_display_name(std::string(200, 'a'));
  EXPECT_OK(ValidateRegion(region, "region."));

  region.set_display_name("");
  absl::Status empty = ValidateRegion(region, "region.");
  EXPECT_THAT(empty, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldsOf(empty), ElementsAre("region.displayName"));
  EXPECT_EQ(DescriptionOf(empty, "region.displayName"), "is required");

  region.set_display_name(std::string(201, 'a'));
  absl::Status long_name = ValidateRegion(region, "region.");
  EXPECT_THAT(FieldsOf(long_name), ElementsAre("region.displayName"));
  EXPECT_EQ(DescriptionOf(long_name, "region.displayName"), "must be at most 200 characters");
}

TEST(ValidateOrganisationTest, AcceptsAGoodOne) {
  EXPECT_OK(ValidateOrganisation(GoodOrganisation(), "organisation."));
  v1::Organisation with_everything = GoodOrganisation();
  with_everything.set_name("organisations/barcelona");
  with_everything.set_parent("organisations/catalonia");
  with_everything.set_membership_state(v1::Organisation::ACTIVE);
  *with_everything.mutable_member_since() = Day(2020, 2, 29);
  with_everything.set_website(std::string(2000, 'w'));
  with_everything.set_description(std::string(2000, 'd'));
  EXPECT_OK(ValidateOrganisation(with_everything, "organisation."));
}

// One bad field at a time: the violation names exactly that field.
struct BadOrganisation {
  const char* label;
  void (*spoil)(v1::Organisation*);
  const char* field;
  const char* description_part;
};

class ValidateOrganisationFieldTest : public ::testing::TestWithParam<BadOrganisation> {};

TEST_P(ValidateOrganisationFieldTest, NamesTheBadField) {
  v1::Organisation o = GoodOrganisation();
  GetParam().spoil(&o);
  absl::Status status = ValidateOrganisation(o, "organisation.");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldsOf(status), ElementsAre(std::string("organisation.") + GetParam().field));
  EXPECT_THAT(DescriptionOf(status, std::string("organisation.") + GetParam().field),
              HasSubstr(GetParam().description_part));
}

INSTANTIATE_TEST_SUITE_P(
    EveryField, ValidateOrganisationFieldTest,
    ::testing::Values(
        BadOrganisation{"EmptyDisplayName", [](v1::Organisation* o) { o->clear_display_name(); },
                        "displayName", "is required"},
        BadOrganisation{"LongDisplayName",
                        [](v1::Organisation* o) { o->set_display_name(std::string(201, 'x')); },
                        "displayName", "at most 200"},
        BadOrganisation{"NoKind", [](v1::Organisation* o) { o->clear_kind(); }, "kind",
                        "is required"},
        BadOrganisation{
            "UnknownKind",
            [](v1::Organisation* o) { o->set_kind(static_cast<v1::Organisation::Kind>(99)); },
            "kind", "one of"},
        BadOrganisation{"NoCountry", [](v1::Organisation* o) { o->clear_country_code(); },
                        "countryCode", "is required"},
        BadOrganisation{"CountryXX", [](v1::Organisation* o) { o->set_country_code("XX"); },
                        "countryCode", "\"XX\" is not an ISO 3166-1 alpha-2 code"},
        BadOrganisation{"CountryLowerCase", [](v1::Organisation* o) { o->set_country_code("es"); },
                        "countryCode", "ISO 3166-1"},
        BadOrganisation{"CountryAlpha3", [](v1::Organisation* o) { o->set_country_code("ESP"); },
                        "countryCode", "ISO 3166-1"},
        BadOrganisation{"NoRegion", [](v1::Organisation* o) { o->clear_region(); }, "region",
                        "is required"},
        BadOrganisation{"RegionNotAName", [](v1::Organisation* o) { o->set_region("europe"); },
                        "region", "regions/{id}"},
        BadOrganisation{"RegionBadId", [](v1::Organisation* o) { o->set_region("regions/Europe"); },
                        "region", "regions/{id}"},
        BadOrganisation{"NegativePopulation", [](v1::Organisation* o) { o->set_population(-1); },
                        "population", "must not be negative"},
        BadOrganisation{"ParentNotAName",
                        [](v1::Organisation* o) { o->set_parent("regions/europe"); }, "parent",
                        "organisations/{id}"},
        BadOrganisation{"OwnParent",
                        [](v1::Organisation* o) {
                          o->set_name("organisations/barcelona");
                          o->set_parent("organisations/barcelona");
                        },
                        "parent", "its own parent"},
        BadOrganisation{"UnknownMembershipState",
                        [](v1::Organisation* o) {
                          o->set_membership_state(
                              static_cast<v1::Organisation::MembershipState>(42));
                        },
                        "membershipState", "not a known state"},
        BadOrganisation{"MemberSinceNotADate",
                        [](v1::Organisation* o) { *o->mutable_member_since() = Day(2023, 2, 29); },
                        "memberSince", "not a valid calendar date"},
        BadOrganisation{"LongWebsite",
                        [](v1::Organisation* o) { o->set_website(std::string(2001, 'w')); },
                        "website", "at most 2000"},
        BadOrganisation{"LongDescription",
                        [](v1::Organisation* o) { o->set_description(std::string(2001, 'd')); },
                        "description", "at most 2000"}),
    [](const ::testing::TestParamInfo<BadOrganisation>& info) { return info.param.label; });

TEST(ValidateOrganisationTest, ReportsEveryBadFieldAtOnce) {
  v1::Organisation o;
  o.set_population(-5);
  absl::Status status = ValidateOrganisation(o, "");
  EXPECT_THAT(FieldsOf(status),
              ElementsAre("displayName", "kind", "countryCode", "region", "population"));
}

v1::BoardSeat GoodSeat() {
  v1::BoardSeat s;
  s.set_organisation("organisations/barcelona");
  s.set_person_name("Ada Colau");
  s.set_title("Mayor");
  s.set_role(v1::BoardSeat::PRESIDENCY);
  s.set_region("regions/europe");
  *s.mutable_term_start() = Day(2021, 1, 1);
  *s.mutable_term_end() = Day(2023, 1, 1);
  return s;
}

struct BadSeat {
  const char* label;
  void (*spoil)(v1::BoardSeat*);
  const char* field;
  const char* description_part;
};

class ValidateBoardSeatFieldTest : public ::testing::TestWithParam<BadSeat> {};

TEST_P(ValidateBoardSeatFieldTest, NamesTheBadField) {
  v1::BoardSeat s = GoodSeat();
  GetParam().spoil(&s);
  absl::Status status = ValidateBoardSeat(s, "boardSeat.");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldsOf(status), ElementsAre(std::string("boardSeat.") + GetParam().field));
  EXPECT_THAT(DescriptionOf(status, std::string("boardSeat.") + GetParam().field),
              HasSubstr(GetParam().description_part));
}

INSTANTIATE_TEST_SUITE_P(
    EveryField, ValidateBoardSeatFieldTest,
    ::testing::Values(
        BadSeat{"NoOrganisation", [](v1::BoardSeat* s) { s->clear_organisation(); }, "organisation",
                "is required"},
        BadSeat{"OrganisationNotAName", [](v1::BoardSeat* s) { s->set_organisation("barcelona"); },
                "organisation", "organisations/{id}"},
        BadSeat{"NoPerson", [](v1::BoardSeat* s) { s->clear_person_name(); }, "personName",
                "is required"},
        BadSeat{"LongPerson", [](v1::BoardSeat* s) { s->set_person_name(std::string(201, 'p')); },
                "personName", "at most 200"},
        BadSeat{"LongTitle", [](v1::BoardSeat* s) { s->set_title(std::string(2001, 't')); },
                "title", "at most 2000"},
        BadSeat{"NoRole", [](v1::BoardSeat* s) { s->clear_role(); }, "role", "is required"},
        BadSeat{"UnknownRole",
                [](v1::BoardSeat* s) { s->set_role(static_cast<v1::BoardSeat::Role>(99)); }, "role",
                "one of"},
        BadSeat{"NoRegion", [](v1::BoardSeat* s) { s->clear_region(); }, "region", "is required"},
        BadSeat{"RegionNotAName", [](v1::BoardSeat* s) { s->set_region("organisations/x"); },
                "region", "regions/{id}"},
        BadSeat{"NoTermStart", [](v1::BoardSeat* s) { s->clear_term_start(); }, "termStart",
                "is required"},
        BadSeat{"TermStartNotADate",
                [](v1::BoardSeat* s) { *s->mutable_term_start() = Day(2022, 2, 30); }, "termStart",
                "not a valid calendar date"},
        BadSeat{"TermEndNotADate",
                [](v1::BoardSeat* s) { *s->mutable_term_end() = Day(2022, 13, 1); }, "termEnd",
                "not a valid calendar date"},
        BadSeat{"TermEndOnStart",
                [](v1::BoardSeat* s) { *s->mutable_term_end() = s->term_start(); }, "termEnd",
                "after termStart"},
        BadSeat{"TermEndBeforeStart",
                [](v1::BoardSeat* s) { *s->mutable_term_end() = Day(2020, 12, 31); }, "termEnd",
                "after termStart"}),
    [](const ::testing::TestParamInfo<BadSeat>& info) { return info.param.label; });

TEST(ValidateBoardSeatTest, AcceptsAnOpenTerm) {
  v1::BoardSeat s = GoodSeat();
  s.clear_term_end();
  EXPECT_OK(ValidateBoardSeat(s, "boardSeat."));
  EXPECT_OK(ValidateBoardSeat(GoodSeat(), "boardSeat."));
}

v1::Partner GoodPartner() {
  v1::Partner p;
  p.set_display_name("Barcelona Lab");
  p.set_organisation("organisations/barcelona");
  p.set_role(v1::PARTNER);
  p.add_grants("organisations/barcelona");
  p.add_grants("organisations/badalona");
  return p;
}

TEST(ValidatePartnerTest, AcceptsGoodOnesWithAndWithoutOrganisation) {
  EXPECT_OK(ValidatePartner(GoodPartner(), "partner."));
  v1::Partner viewer = GoodPartner();
  viewer.clear_organisation();
  viewer.clear_grants();
  viewer.set_role(v1::VIEWER);
  EXPECT_OK(ValidatePartner(viewer, "partner."));
}

TEST(ValidatePartnerTest, NamesEachBadField) {
  auto fields_after = [](void (*spoil)(v1::Partner*)) {
    v1::Partner p = GoodPartner();
    spoil(&p);
    absl::Status status = ValidatePartner(p, "partner.");
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
    return FieldsOf(status);
  };
  EXPECT_THAT(fields_after([](v1::Partner* p) { p->clear_display_name(); }),
              ElementsAre("partner.displayName"));
  EXPECT_THAT(fields_after([](v1::Partner* p) { p->set_display_name(std::string(201, 'n')); }),
              ElementsAre("partner.displayName"));
  EXPECT_THAT(fields_after([](v1::Partner* p) { p->set_organisation("barcelona"); }),
              ElementsAre("partner.organisation"));
  EXPECT_THAT(fields_after([](v1::Partner* p) { p->clear_role(); }), ElementsAre("partner.role"));
  EXPECT_THAT(fields_after([](v1::Partner* p) { p->set_role(static_cast<v1::Role>(7)); }),
              ElementsAre("partner.role"));
  EXPECT_THAT(fields_after([](v1::Partner* p) { p->set_grants(1, "regions/europe"); }),
              ElementsAre("partner.grants[1]"));
  EXPECT_THAT(fields_after([](v1::Partner* p) { p->set_grants(0, ""); }),
              ElementsAre("partner.grants[0]"));
  EXPECT_THAT(fields_after([](v1::Partner* p) {
                for (int i = 0; i < 1001; ++i) p->add_grants("organisations/o" + std::to_string(i));
              }),
              ElementsAre("partner.grants"));
}

TEST(ValidateApiKeyTest, DisplayNameOptionalButBoundedAndSecretIsOutputOnly) {
  v1::ApiKey key;
  EXPECT_OK(ValidateApiKey(key, "apiKey."));
  key.set_display_name(std::string(200, 'k'));
  EXPECT_OK(ValidateApiKey(key, "apiKey."));
  key.set_display_name(std::string(201, 'k'));
  EXPECT_THAT(FieldsOf(ValidateApiKey(key, "apiKey.")), ElementsAre("apiKey.displayName"));
  key.set_display_name("ci");
  key.set_secret("mck_00000000_0000");
  absl::Status secret = ValidateApiKey(key, "apiKey.");
  EXPECT_THAT(FieldsOf(secret), ElementsAre("apiKey.secret"));
  EXPECT_THAT(DescriptionOf(secret, "apiKey.secret"), HasSubstr("output only"));
}

TEST(ValidateDecisionTest, NamesEachBadField) {
  v1::Decision d;
  *d.mutable_decision_date() = Day(2022, 3, 15);
  d.set_votes_for(5);
  d.set_note("unanimous");
  EXPECT_OK(ValidateDecision(d, "decision."));

  v1::Decision no_date = d;
  no_date.clear_decision_date();
  EXPECT_THAT(FieldsOf(ValidateDecision(no_date, "decision.")),
              ElementsAre("decision.decisionDate"));
  EXPECT_EQ(DescriptionOf(ValidateDecision(no_date, "decision."), "decision.decisionDate"),
            "is required");

  v1::Decision bad_date = d;
  *bad_date.mutable_decision_date() = Day(2022, 2, 29);
  EXPECT_THAT(FieldsOf(ValidateDecision(bad_date, "decision.")),
              ElementsAre("decision.decisionDate"));

  v1::Decision negative = d;
  negative.set_votes_for(-1);
  negative.set_votes_against(-1);
  negative.set_abstentions(-1);
  EXPECT_THAT(FieldsOf(ValidateDecision(negative, "decision.")),
              ElementsAre("decision.votesFor", "decision.votesAgainst", "decision.abstentions"));

  v1::Decision long_note = d;
  long_note.set_note(std::string(2001, 'n'));
  EXPECT_THAT(FieldsOf(ValidateDecision(long_note, "decision.")), ElementsAre("decision.note"));
}

// Terms: start inclusive, end exclusive.

TEST(SeatActiveOnTest, TermStartIsInclusiveAndTermEndExclusive) {
  v1::BoardSeat seat = GoodSeat();  // 2021-01-01 .. 2023-01-01
  EXPECT_FALSE(SeatActiveOn(seat, Day(2020, 12, 31)));
  EXPECT_TRUE(SeatActiveOn(seat, Day(2021, 1, 1)));
  EXPECT_TRUE(SeatActiveOn(seat, Day(2022, 6, 15)));
  EXPECT_TRUE(SeatActiveOn(seat, Day(2022, 12, 31)));
  EXPECT_FALSE(SeatActiveOn(seat, Day(2023, 1, 1)));
  EXPECT_FALSE(SeatActiveOn(seat, Day(2024, 1, 1)));
}

TEST(SeatActiveOnTest, OpenTermRunsForeverAndNoStartNeverActive) {
  v1::BoardSeat open = GoodSeat();
  open.clear_term_end();
  EXPECT_TRUE(SeatActiveOn(open, Day(9999, 12, 31)));
  EXPECT_FALSE(SeatActiveOn(open, Day(2020, 12, 31)));
  v1::BoardSeat no_start = open;
  no_start.clear_term_start();
  EXPECT_FALSE(SeatActiveOn(no_start, Day(2022, 1, 1)));
}

TEST(SeatActiveOnTest, OnAHandoverDayOnlyTheIncomingHolderSits) {
  v1::BoardSeat outgoing = GoodSeat();
  *outgoing.mutable_term_end() = Day(2022, 2, 14);
  v1::BoardSeat incoming = GoodSeat();
  *incoming.mutable_term_start() = Day(2022, 2, 14);
  incoming.clear_term_end();
  EXPECT_FALSE(SeatActiveOn(outgoing, Day(2022, 2, 14)));
  EXPECT_TRUE(SeatActiveOn(incoming, Day(2022, 2, 14)));
  EXPECT_TRUE(SeatActiveOn(outgoing, Day(2022, 2, 13)));
  EXPECT_FALSE(SeatActiveOn(incoming, Day(2022, 2, 13)));
}

TEST(SeatVotesTest, EveryRoleButRegionalSecretaryVotes) {
  v1::BoardSeat seat = GoodSeat();
  for (auto role :
       {v1::BoardSeat::PRESIDENCY, v1::BoardSeat::CO_PRESIDENCY,
        v1::BoardSeat::REGIONAL_VICE_PRESIDENCY, v1::BoardSeat::TREASURY, v1::BoardSeat::MEMBER}) {
    seat.set_role(role);
    EXPECT_TRUE(SeatVotes(seat)) << v1::BoardSeat::Role_Name(role);
  }
  seat.set_role(v1::BoardSeat::REGIONAL_SECRETARY);
  EXPECT_FALSE(SeatVotes(seat));
}

// Every (state, action) pair.

class CheckTransitionTest
    : public ::testing::TestWithParam<std::tuple<App::State, ApplicationAction>> {};

bool Allowed(App::State from, ApplicationAction action) {
  switch (action) {
    case ApplicationAction::kSignForm:
      return from == App::SUBMITTED;
    case ApplicationAction::kRatify:
      return from == App::FORM_SIGNED;
    case ApplicationAction::kReject:
    case ApplicationAction::kWithdraw:
      return from == App::SUBMITTED || from == App::FORM_SIGNED;
  }
  return false;
}

std::string TransitionName(
    const ::testing::TestParamInfo<std::tuple<App::State, ApplicationAction>>& info) {
  static const char* kActions[] = {"SignForm", "Ratify", "Reject", "Withdraw"};
  return App::State_Name(std::get<0>(info.param)) + "_" +
         kActions[static_cast<int>(std::get<1>(info.param))];
}

TEST_P(CheckTransitionTest, AllowsExactlyTheDocumentedMoves) {
  auto [from, action] = GetParam();
  absl::Status status = CheckTransition(from, action);
  if (Allowed(from, action)) {
    EXPECT_OK(status);
  } else {
    EXPECT_THAT(status,
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr(App::State_Name(from))));
    EXPECT_EQ(ReasonOf(status), "INVALID_STATE_TRANSITION");
  }
}

INSTANTIATE_TEST_SUITE_P(
    EveryPair, CheckTransitionTest,
    ::testing::Combine(::testing::Values(App::STATE_UNSPECIFIED, App::SUBMITTED, App::FORM_SIGNED,
                                         App::RATIFIED, App::REJECTED, App::WITHDRAWN),
                       ::testing::Values(ApplicationAction::kSignForm, ApplicationAction::kRatify,
                                         ApplicationAction::kReject, ApplicationAction::kWithdraw)),
    TransitionName);

TEST(StateAfterTest, EachActionLandsInItsState) {
  EXPECT_EQ(StateAfter(ApplicationAction::kSignForm), App::FORM_SIGNED);
  EXPECT_EQ(StateAfter(ApplicationAction::kRatify), App::RATIFIED);
  EXPECT_EQ(StateAfter(ApplicationAction::kReject), App::REJECTED);
  EXPECT_EQ(StateAfter(ApplicationAction::kWithdraw), App::WITHDRAWN);
}

// Quorum: more than half of the voting seats.

v1::Decision Votes(int for_votes, int against = 0, int abstentions = 0) {
  v1::Decision d;
  *d.mutable_decision_date() = Day(2022, 3, 15);
  d.set_votes_for(for_votes);
  d.set_votes_against(against);
  d.set_abstentions(abstentions);
  return d;
}

TEST(CheckQuorumTest, ExactlyHalfFailsAndHalfPlusOnePasses) {
  absl::Status half = CheckQuorum(Votes(3, 3), 6);
  EXPECT_THAT(half, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("quorum")));
  EXPECT_EQ(ReasonOf(half), "QUORUM_NOT_MET");
  EXPECT_OK(CheckQuorum(Votes(4, 2), 6));
  EXPECT_OK(CheckQuorum(Votes(4), 6));  // absent members count against the quorum
}

TEST(CheckQuorumTest, OddBoards) {
  EXPECT_THAT(CheckQuorum(Votes(2), 5), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_OK(CheckQuorum(Votes(3), 5));
  EXPECT_OK(CheckQuorum(Votes(1), 1));
  EXPECT_THAT(CheckQuorum(Votes(0), 1), StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(CheckQuorumTest, NoSeatsNeverReachesQuorum) {
  absl::Status status = CheckQuorum(Votes(0), 0);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(ReasonOf(status), "QUORUM_NOT_MET");
}

TEST(CheckQuorumTest, MoreVotesThanSeatsIsInvalidArgument) {
  absl::Status too_many_for = CheckQuorum(Votes(7), 6);
  EXPECT_THAT(too_many_for, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(FieldsOf(too_many_for), ElementsAre("decision.votesFor"));
  // Every vote cast counts, not only those in favour.
  EXPECT_THAT(CheckQuorum(Votes(4, 2, 1), 6), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_OK(CheckQuorum(Votes(4, 1, 1), 6));
  // Large counts do not overflow into a pass.
  EXPECT_THAT(CheckQuorum(Votes(2147483647, 2147483647, 2147483647), 6),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CheckQuorumTest, PassingHasNoViolations) {
  EXPECT_THAT(FieldViolationsOf(CheckQuorum(Votes(4), 6)), IsEmpty());
}

}  // namespace
}  // namespace metrocap::membership
