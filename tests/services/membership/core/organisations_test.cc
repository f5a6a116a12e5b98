// How organisations and regions hang together (services/membership/core/organisations.h).
#include "services/membership/core/organisations.h"

#include <map>
#include <string>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/membership/core/fixtures.h"

namespace metrocap::membership {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using testing::FieldsOf;
using ::testing::HasSubstr;

// A parent chain held in a map: organisation -> parent ("" for none); absent = not found.
ParentOf ChainOf(std::map<std::string, std::string> parents) {
  return [parents = std::move(parents)](const std::string& name) -> absl::StatusOr<std::string> {
    auto found = parents.find(name);
    if (found == parents.end()) return absl::NotFoundError(name + " not found");
    return found->second;
  };
}

TEST(RefuseParentCycleTest, AcceptsAChainThatDoesNotComeBack) {
  ParentOf chain = ChainOf({{"organisations/city", "organisations/province"},
                            {"organisations/province", "organisations/region"},
                            {"organisations/region", ""}});
  EXPECT_OK(RefuseParentCycle("organisations/town", "organisations/city", chain));
  EXPECT_OK(RefuseParentCycle("organisations/town", "", chain));
  // A missing ancestor ends the chain.
  EXPECT_OK(RefuseParentCycle("organisations/town", "organisations/gone", chain));
}

TEST(RefuseParentCycleTest, RefusesADirectOrDistantLoop) {
  ParentOf chain = ChainOf({{"organisations/city", "organisations/province"},
                            {"organisations/province", "organisations/region"},
                            {"organisations/region", ""}});
  for (const char* parent : {"organisations/region", "organisations/city"}) {
    absl::Status status = RefuseParentCycle("organisations/region", parent, chain);
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ancestor")))
        << parent;
    EXPECT_THAT(FieldsOf(status), ElementsAre("organisation.parent"));
  }
}

TEST(RefuseParentCycleTest, StopsAfterTheDepthLimitAndPassesOtherErrorsOn) {
  std::map<std::string, std::string> parents;
  for (int i = 0; i < 2 * kMaxParentDepth; ++i) {
    parents["organisations/o" + std::to_string(i)] = "organisations/o" + std::to_string(i + 1);
  }
  // The loop back to o0 is further up than the limit: not followed.
  parents["organisations/o" + std::to_string(2 * kMaxParentDepth)] = "organisations/o0";
  EXPECT_OK(RefuseParentCycle("organisations/o0", "organisations/o1", ChainOf(parents)));

  ParentOf broken = [](const std::string&) -> absl::StatusOr<std::string> {
    return absl::UnavailableError("store down");
  };
  EXPECT_THAT(RefuseParentCycle("organisations/a", "organisations/b", broken),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST(CheckRegionUnusedTest, RefusesWhileOrganisationsOrSeatsRemain) {
  EXPECT_OK(CheckRegionUnused("regions/europe", 0, 0));
  absl::Status status = CheckRegionUnused("regions/europe", 2, 1);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition,
                               HasSubstr("2 organisations and 1 board seats")));
  EXPECT_EQ(ReasonOf(status), "REGION_IN_USE");
  EXPECT_EQ(ReasonOf(CheckRegionUnused("regions/europe", 0, 1)), "REGION_IN_USE");
}

TEST(CheckOrganisationUnusedTest, NamesEveryKindOfReferenceStillThere) {
  EXPECT_OK(CheckOrganisationUnused("organisations/milan", {}));
  OrganisationReferences references;
  references.child_organisations = 1;
  references.applications = 2;
  references.grants = 3;
  absl::Status status = CheckOrganisationUnused("organisations/milan", references);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition,
                               HasSubstr("1 organisations (its children), 2 applications (as "
                                         "applicant), 3 partners (granted it)")));
  EXPECT_EQ(ReasonOf(status), "ORGANISATION_IN_USE");
  for (int64_t OrganisationReferences::*kind :
       {&OrganisationReferences::child_organisations, &OrganisationReferences::board_seats,
        &OrganisationReferences::applications, &OrganisationReferences::partners,
        &OrganisationReferences::grants}) {
    OrganisationReferences one;
    one.*kind = 1;
    EXPECT_EQ(ReasonOf(CheckOrganisationUnused("organisations/milan", one)), "ORGANISATION_IN_USE");
  }
}

}  // namespace
}  // namespace metrocap::membership
