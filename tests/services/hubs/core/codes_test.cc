#include "services/hubs/core/codes.h"

#include <algorithm>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::hubs {
namespace {

using ::testing::ElementsAre;

TEST(PlanCodeTest, ParsesEachLevel) {
  auto line = ParsePlanCode("L1");
  ASSERT_TRUE(line);
  EXPECT_EQ(line->line, 1);
  EXPECT_EQ(line->action, 0);
  auto deliverable = ParsePlanCode("L12A3D40");
  ASSERT_TRUE(deliverable);
  EXPECT_EQ(deliverable->line, 12);
  EXPECT_EQ(deliverable->action, 3);
  EXPECT_EQ(deliverable->deliverable, 40);
}

TEST(PlanCodeTest, RefusesMalformedCodes) {
  for (const char* code : {"", "L", "L0", "L01", "l1", "L1A", "L1D1", "L1A2D", "L1A2D4X", "A1",
                           "L1A0", "L1A2D0", "L12345", "L1 A2", "1.1"}) {
    EXPECT_FALSE(ParsePlanCode(code)) << code;
  }
}

TEST(ChallengeCodeTest, AcceptsThemeDotChallenge) {
  EXPECT_TRUE(IsChallengeCode("2.3"));
  EXPECT_TRUE(IsChallengeCode("10.12"));
  for (const char* code : {"", "2", "2.", ".3", "2.3.1", "02.3", "2.03", "0.1", "2,3", "L1"}) {
    EXPECT_FALSE(IsChallengeCode(code)) << code;
  }
}

TEST(CodeOrderTest, NumbersCompareAsNumbersAndParentsComeFirst) {
  std::vector<std::string> codes = {"L10",   "L2A1", "L1A2D4", "L9", "L1",
                                    "L1A10", "L1A2", "L1A1D1", "bad"};
  std::sort(codes.begin(), codes.end(), PlanCodeLess);
  EXPECT_THAT(codes,
              ElementsAre("L1", "L1A1D1", "L1A2", "L1A2D4", "L1A10", "L2A1", "L9", "L10", "bad"));
  std::vector<std::string> challenges = {"10.1", "2.3", "1.4", "2.10", "2.2"};
  std::sort(challenges.begin(), challenges.end(), ChallengeCodeLess);
  EXPECT_THAT(challenges, ElementsAre("1.4", "2.2", "2.3", "2.10", "10.1"));
}

TEST(OutcomeScopeTest, EachCodeWithItsActionAndLineOnce) {
  google::protobuf::RepeatedPtrField<std::string> codes;
  for (const char* code : {"L1A2D4", "L1A2D1", "L2A1", "L1A2D4", "L3"}) *codes.Add() = code;
  EXPECT_THAT(OutcomeScope(codes),
              ElementsAre("L1", "L1A2", "L1A2D1", "L1A2D4", "L2", "L2A1", "L3"));
}

}  // namespace
}  // namespace metrocap::hubs
