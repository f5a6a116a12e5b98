// What makes each membership resource valid (services/membership/core/validation.h).
#include "services/membership/core/validation.h"

#include <string>
#include <tuple>
#include <vector>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/membership/core/fixtures.h"

namespace metrocap::membership {
namespace {

using ::metrocap::testing::IsOk;
using ::metrocap::testing::StatusIs;
using testing::Day;
using testing::DescriptionOf;
using ::testing::ElementsAre;
using testing::FieldsOf;
using testing::GoodOrganisation;
using testing::GoodPartner;
using testing::GoodSeat;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

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

TEST(ValidatePartnerTest, AcceptsGoodOnesWithAndWithoutOrganisation) {
  EXPECT_OK(ValidatePartner(GoodPartner(), "partner."));
  v1::Partner viewer = GoodPartner();
  viewer.clear_organisation();
  viewer.clear_grants();
  viewer.set_role(v1::Partner::VIEWER);
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
  EXPECT_THAT(fields_after([](v1::Partner* p) { p->set_role(static_cast<v1::Partner::Role>(7)); }),
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

// The secret is output only: a caller's is ignored (the server makes its own), not an error.
TEST(ValidateApiKeyTest, DisplayNameOptionalButBoundedAndSecretIgnored) {
  v1::ApiKey key;
  EXPECT_OK(ValidateApiKey(key, "apiKey."));
  key.set_display_name(std::string(200, 'k'));
  EXPECT_OK(ValidateApiKey(key, "apiKey."));
  key.set_display_name(std::string(201, 'k'));
  EXPECT_THAT(FieldsOf(ValidateApiKey(key, "apiKey.")), ElementsAre("apiKey.displayName"));
  key.set_display_name("ci");
  key.set_secret("mck_00000000_0000");
  EXPECT_OK(ValidateApiKey(key, "apiKey."));
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

TEST(CheckTextTest, OneLineTextRefusesEveryControlCharacter) {
  for (const std::string& bad : {std::string("a\0b", 3), std::string("a\nb"), std::string("a\tb"),
                                 std::string("a\rb"), std::string("a\x1f"), std::string("a\x7f"),
                                 std::string("a\xc2\x80"), std::string("a\xc2\x9f")}) {
    Violations v("organisation.");
    CheckText(v, "displayName", bad, kMaxDisplayName, true, Lines::kOne);
    absl::Status status = v.ToStatus();
    EXPECT_THAT(FieldsOf(status), ElementsAre("organisation.displayName")) << bad;
    EXPECT_THAT(DescriptionOf(status, "organisation.displayName"), HasSubstr("control"));
  }
}

TEST(CheckTextTest, ManyLineTextAllowsTabAndLineBreaksOnly) {
  Violations good;
  CheckText(good, "note", "one\ttwo\r\nthree\n", kMaxText, false, Lines::kMany);
  EXPECT_OK(good.ToStatus());
  Violations bad;
  CheckText(bad, "note", std::string("one\0", 4), kMaxText, false, Lines::kMany);
  EXPECT_THAT(DescriptionOf(bad.ToStatus(), "note"), HasSubstr("U+0000 at byte 3"));
}

TEST(CheckTextTest, AccentsAndOtherScriptsAreText) {
  Violations v;
  CheckText(v, "displayName", "Górnośląsko-Zagłębiowska Metropolia · 北京", kMaxDisplayName, true,
            Lines::kOne);
  CheckText(v, "description", "", kMaxText, false, Lines::kMany);  // optional and absent
  EXPECT_OK(v.ToStatus());
}

}  // namespace
}  // namespace metrocap::membership
