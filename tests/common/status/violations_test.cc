// Violations: every problem of a request reported at once, field paths as callers spell them.
#include "common/status/violations.h"

#include <string>

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap {
namespace {

using ::metrocap::testing::IsOk;
using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::SizeIs;

auto ViolationOn(const std::string& field, const std::string& description) {
  return ::testing::AllOf(Field(&FieldViolation::field, field),
                          Field(&FieldViolation::description, description));
}

TEST(ViolationsTest, NothingAddedIsOk) {
  Violations violations("organisation.");
  EXPECT_TRUE(violations.empty());
  EXPECT_THAT(violations.ToStatus(), IsOk());
}

TEST(ViolationsTest, EveryViolationIsReportedWithThePrefix) {
  Violations violations("organisation.");
  violations.RequireText("displayName", "", 200);
  violations.OptionalText("description", std::string(11, 'x'), 10);
  violations.RequireText("countryCode", "IT", 2);
  absl::Status status = violations.ToStatus();
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      FieldViolationsOf(status),
      ElementsAre(ViolationOn("organisation.displayName", "is required"),
                  ViolationOn("organisation.description", "must be at most 10 characters")));
}

TEST(ViolationsTest, AddFromTakesTheFieldViolationsOrTheMessage) {
  Violations violations;
  violations.AddFrom("parent", InvalidField("ignored", "must name an organisation"));
  violations.AddFrom("region", absl::InvalidArgumentError("is malformed"));
  violations.AddFrom("name", absl::OkStatus());
  EXPECT_THAT(FieldViolationsOf(violations.ToStatus()),
              ElementsAre(ViolationOn("parent", "must name an organisation"),
                          ViolationOn("region", "is malformed")));
}

TEST(ViolationsTest, StopsRecordingAtTheCap) {
  Violations violations;
  for (int i = 0; i < 1000; ++i) violations.Add("responses", "is bad");
  EXPECT_THAT(FieldViolationsOf(violations.ToStatus()), SizeIs(Violations::kMaxViolations));
}

}  // namespace
}  // namespace metrocap
