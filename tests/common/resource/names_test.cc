// Resource IDs and names: what is valid, how an ID is derived from a display name, and
// how a bad name or ID is refused.
#include "common/resource/names.h"

#include <string>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::resource {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

TEST(IsValidIdTest, LowercaseLettersDigitsAndDashesStartingWithALetter) {
  for (const std::string& id :
       {std::string("milan"), std::string("a"), std::string("a1"), std::string("sao-paulo"),
        std::string("a--b"), std::string(63, 'x')}) {
    EXPECT_TRUE(IsValidId(id)) << id;
  }
  for (const std::string& id :
       {std::string(""), std::string(64, 'x'), std::string("1abc"), std::string("-abc"),
        std::string("abc-"), std::string("Milan"), std::string("a_b"), std::string("a b"),
        std::string("a/b"), std::string("s\xc3\xa3o"), std::string("a.b")}) {
    EXPECT_FALSE(IsValidId(id)) << id;
  }
}

TEST(DeriveIdTest, PlaceNamesOfTheNetwork) {
  EXPECT_EQ(DeriveId("Barcelona (metropolitan area)"), "barcelona-metropolitan-area");
  EXPECT_EQ(DeriveId("São Paulo"), "sao-paulo");
  EXPECT_EQ(DeriveId("Xi'an"), "xian");
  EXPECT_EQ(DeriveId("Górnośląsko-Zagłębiowska Metropolia"), "gornoslasko-zaglebiowska-metropolia");
  EXPECT_EQ(DeriveId("Kocaeli"), "kocaeli");
  EXPECT_EQ(DeriveId("Montréal"), "montreal");
  EXPECT_EQ(DeriveId("  Città  metropolitana di   Torino  "), "citta-metropolitana-di-torino");
  EXPECT_EQ(DeriveId("Łódź"), "lodz");
  EXPECT_EQ(DeriveId("Straße"), "strasse");
}

TEST(DeriveIdTest, NothingUsableDerivesNothing) {
  EXPECT_EQ(DeriveId(""), "");
  EXPECT_EQ(DeriveId("   "), "");
  EXPECT_EQ(DeriveId("!!! --- ???"), "");
  EXPECT_EQ(DeriveId("(...)"), "");
  EXPECT_EQ(DeriveId("北京"), "");
  // An ID must start with a letter, so leading digits go.
  EXPECT_EQ(DeriveId("2030"), "");
  EXPECT_EQ(DeriveId("2030 Agenda"), "agenda");
}

TEST(DeriveIdTest, LongNamesAreTrimmedToAValidId) {
  std::string words;
  for (int i = 0; i < 20; ++i) words += "Metropolitan Area ";
  std::string id = DeriveId(words);
  EXPECT_LE(id.size(), 63u);
  EXPECT_TRUE(IsValidId(id)) << id;
  // Cut right after a separator: no trailing dash.
  std::string cut = DeriveId(std::string(62, 'a') + " b");
  EXPECT_EQ(cut, std::string(62, 'a'));
}

TEST(DeriveIdTest, EveryDerivedIdIsValidOrEmpty) {
  for (const char* name :
       {"Barcelona (metropolitan area)", "São Paulo", "Xi'an", "-Lisboa-", "A", "'", "x'",
        "Área Metropolitana", "O'Higgins", "Saint-Étienne", "Å", "Ωmega", "1-2-3 go", "a\xff"}) {
    std::string id = DeriveId(name);
    EXPECT_TRUE(id.empty() || IsValidId(id)) << name << " -> " << id;
  }
}

// Upper-case accented initials (and Turkish İ) fold like their lower-case forms.
TEST(DeriveIdTest, UpperCaseAccentedInitialsAreFolded) {
  EXPECT_EQ(DeriveId("Àrea Metropolitana de Barcelona"), "area-metropolitana-de-barcelona");
  EXPECT_EQ(DeriveId("İstanbul"), "istanbul");
  EXPECT_EQ(DeriveId("İzmir"), "izmir");
  EXPECT_EQ(DeriveId("Île-de-France"), "ile-de-france");
  EXPECT_EQ(DeriveId("Örebro"), "orebro");
  EXPECT_EQ(DeriveId("Århus"), "arhus");
}

TEST(CheckNameTest, AcceptsCollectionSlashValidId) {
  EXPECT_OK(CheckName("organisation.name", "organisations/milan", "organisations"));
  EXPECT_OK(CheckName("apiKey.name", "partners/a/apiKeys/k1", "partners/a/apiKeys"));
}

TEST(CheckNameTest, RefusesOtherShapesNamingTheField) {
  for (const char* name :
       {"organisations/", "regions/milan", "organisations/Milan", "organisations/milan/x",
        "organisationsmilan", "organisations//milan", "/organisations/milan", "milan"}) {
    absl::Status status = CheckName("organisation.name", name, "organisations");
    EXPECT_THAT(status,
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("organisation.name")))
        << name;
    EXPECT_THAT(FieldViolationsOf(status),
                ElementsAre(Field(&FieldViolation::field, "organisation.name")))
        << name;
  }
  EXPECT_THAT(CheckName("name", "", "organisations"),
              StatusIs(absl::StatusCode::kInvalidArgument, "name: is required"));
}

TEST(IdForCreateTest, RequestedIdWinsWhenValid) {
  EXPECT_THAT(IdForCreate("organisationId", "amb", "Àrea Metropolitana de Barcelona"),
              ::testing::Eq(absl::StatusOr<std::string>("amb")));
}

TEST(IdForCreateTest, InvalidRequestedIdIsRefusedNamingTheField) {
  absl::StatusOr<std::string> id = IdForCreate("organisationId", "Bad_Id", "Milano");
  EXPECT_THAT(id, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("organisationId")));
  EXPECT_THAT(FieldViolationsOf(id.status()),
              ElementsAre(Field(&FieldViolation::field, "organisationId")));
}

TEST(IdForCreateTest, DerivedFromTheDisplayNameWhenNotGiven) {
  EXPECT_THAT(IdForCreate("organisationId", "", "São Paulo"),
              ::testing::Eq(absl::StatusOr<std::string>("sao-paulo")));
  absl::StatusOr<std::string> none = IdForCreate("regionId", "", "!!!");
  EXPECT_THAT(none, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("regionId")));
  EXPECT_THAT(FieldViolationsOf(none.status()),
              ElementsAre(Field(&FieldViolation::field, "regionId")));
}

}  // namespace
}  // namespace metrocap::resource
