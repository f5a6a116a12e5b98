#include "services/assessment/core/access.h"

#include <string>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/assessment/core/fixtures.h"

namespace metrocap::assessment {
namespace {

using ::metrocap::testing::StatusIs;
using testing::Admin;
using testing::Anonymous;
using testing::PartnerFor;
using testing::Viewer;

constexpr char kMilan[] = "organisations/milan";
constexpr char kTirana[] = "organisations/tirana";

v1::Assessment Of(const std::string& organisation, v1::Assessment::Visibility visibility) {
  v1::Assessment a;
  a.set_name(organisation + "/assessments/a2024");
  a.set_organisation(organisation);
  a.set_visibility(visibility);
  return a;
}

struct ReadCase {
  const char* who;
  identity::Caller caller;
  bool private_readable;
  bool network_readable;
  bool public_readable;
};

class MayReadTest : public ::testing::TestWithParam<ReadCase> {};

TEST_P(MayReadTest, FollowsTheVisibilityRules) {
  const ReadCase& c = GetParam();
  EXPECT_EQ(MayRead(c.caller, Of(kMilan, v1::Assessment::PRIVATE)), c.private_readable);
  EXPECT_EQ(MayRead(c.caller, Of(kMilan, v1::Assessment::VISIBILITY_UNSPECIFIED)),
            c.private_readable)
      << "an unset visibility must be as strict as PRIVATE";
  EXPECT_EQ(MayRead(c.caller, Of(kMilan, v1::Assessment::NETWORK)), c.network_readable);
  EXPECT_EQ(MayRead(c.caller, Of(kMilan, v1::Assessment::PUBLIC)), c.public_readable);
}

INSTANTIATE_TEST_SUITE_P(
    EveryRole, MayReadTest,
    ::testing::Values(ReadCase{"admin", Admin(), true, true, true},
                      ReadCase{"partner_granted", PartnerFor(kMilan), true, true, true},
                      ReadCase{"partner_not_granted", PartnerFor(kTirana), false, true, true},
                      // Grants only matter for PARTNERs: a VIEWER never reads private assessments.
                      ReadCase{"viewer_with_grant",
                               {"partners/v", membership::v1::Partner::VIEWER, {kMilan}},
                               false,
                               true,
                               true},
                      ReadCase{"viewer", Viewer(), false, true, true},
                      ReadCase{"anonymous", Anonymous(), false, false, true}),
    [](const ::testing::TestParamInfo<ReadCase>& info) { return info.param.who; });

TEST(MayReadTest, UsesTheNameNotTheOrganisationField) {
  v1::Assessment a = Of(kTirana, v1::Assessment::PRIVATE);
  a.set_organisation(kMilan);  // a forged field must not open a private assessment
  EXPECT_FALSE(MayRead(PartnerFor(kMilan), a));
  EXPECT_TRUE(MayRead(PartnerFor(kTirana), a));
}

TEST(MayReadTest, AMalformedNameIsPrivateToAdminsOnly) {
  v1::Assessment a;
  a.set_name("organisations/milan");
  a.set_visibility(v1::Assessment::PRIVATE);
  EXPECT_FALSE(MayRead(PartnerFor(kMilan), a));
  EXPECT_TRUE(MayRead(Admin(), a));
}

TEST(OrganisationOfTest, ParsesAssessmentNames) {
  EXPECT_EQ(OrganisationOf("organisations/milan/assessments/a"), "organisations/milan");
  EXPECT_EQ(OrganisationOf("organisations/milan"), "");
  EXPECT_EQ(OrganisationOf("organisations//assessments/a"), "");
  EXPECT_EQ(OrganisationOf("frameworks/x/assessments/a"), "");
  EXPECT_EQ(OrganisationOf("organisations/milan/assessments/a/b"), "");
}

}  // namespace
}  // namespace metrocap::assessment
