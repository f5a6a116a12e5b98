#include "services/roadmaps/core/progress.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/roadmaps/core/dates.h"
#include "tests/services/roadmaps/core/fixtures.h"

namespace metrocap::roadmaps {
namespace {

using ::testing::ElementsAre;
using testing::Parse;

const absl::CivilDay kAsOf(2025, 3, 15);

std::vector<std::string> Excluded(const v1::ProgressBasis& basis) {
  std::vector<std::string> out;
  for (const auto& e : basis.excluded()) {
    out.push_back(e.id() + ":" + v1::ProgressBasis::Reason_Name(e.reason()));
  }
  return out;
}

TEST(ProgressTest, ObjectiveIsTheMeanOfItsActionsExceptCancelledAndDoneCountsAsHundred) {
  auto roadmap = Parse<v1::Roadmap>(R"pb(
    objectives {
      id: "o1"
      actions { id: "a" status: IN_PROGRESS progress_percent: 40 }
      actions { id: "b" status: DONE progress_percent: 10 }
      actions { id: "c" status: CANCELLED progress_percent: 90 }
      actions { id: "d" status: NOT_STARTED }
    }
    objectives {
      id: "o2"
      actions { id: "e" status: DELAYED progress_percent: 20 }
    }
  )pb");
  ComputeOutputs(roadmap, kAsOf);
  const v1::Objective& o1 = roadmap.objectives(0);
  ASSERT_TRUE(o1.has_progress_percent());
  EXPECT_DOUBLE_EQ(o1.progress_percent(), (40 + 100 + 0) / 3.0);
  EXPECT_THAT(o1.progress_basis().counted(), ElementsAre("a", "b", "d"));
  EXPECT_THAT(Excluded(o1.progress_basis()), ElementsAre("c:CANCELLED"));
  EXPECT_DOUBLE_EQ(roadmap.progress_percent(), ((40 + 100 + 0) / 3.0 + 20) / 2);
  EXPECT_THAT(roadmap.progress_basis().counted(), ElementsAre("o1", "o2"));
  EXPECT_EQ(roadmap.as_of().year(), 2025);
  EXPECT_EQ(roadmap.as_of().day(), 15);
}

TEST(ProgressTest, NoActionsAndAllCancelledLeaveTheObjectiveOutOfTheRoadmap) {
  auto roadmap = Parse<v1::Roadmap>(R"pb(
    objectives { id: "empty" }
    objectives {
      id: "cancelled"
      actions { id: "x" status: CANCELLED progress_percent: 50 }
    }
    objectives {
      id: "real"
      actions { id: "y" status: IN_PROGRESS progress_percent: 30 }
    }
  )pb");
  ComputeOutputs(roadmap, kAsOf);
  EXPECT_FALSE(roadmap.objectives(0).has_progress_percent());
  EXPECT_FALSE(roadmap.objectives(1).has_progress_percent());
  EXPECT_DOUBLE_EQ(roadmap.progress_percent(), 30);
  EXPECT_THAT(roadmap.progress_basis().counted(), ElementsAre("real"));
  EXPECT_THAT(Excluded(roadmap.progress_basis()),
              ElementsAre("empty:NO_COUNTED_ACTIONS", "cancelled:NO_COUNTED_ACTIONS"));
}

TEST(ProgressTest, ARoadmapWithoutActionsHasNoProgress) {
  v1::Roadmap roadmap;
  ComputeOutputs(roadmap, kAsOf);
  EXPECT_FALSE(roadmap.has_progress_percent());
  EXPECT_EQ(roadmap.late_action_count(), 0);
}

TEST(TimelinessTest, LateWhenDueDatePassedAndNotDoneOrCancelled) {
  auto roadmap = Parse<v1::Roadmap>(R"pb(
    objectives {
      id: "o"
      actions {
        id: "past"
        status: IN_PROGRESS
        due_date { year: 2025 month: 3 day: 14 }
      }
      actions {
        id: "today"
        status: IN_PROGRESS
        due_date { year: 2025 month: 3 day: 15 }
      }
      actions {
        id: "done"
        status: DONE
        due_date { year: 2024 month: 1 day: 1 }
      }
      actions {
        id: "cancelled"
        status: CANCELLED
        due_date { year: 2024 month: 1 day: 1 }
      }
      actions {
        id: "delayed"
        status: DELAYED
        due_date { year: 2024 month: 1 day: 1 }
      }
      actions { id: "undated" status: NOT_STARTED }
    }
    objectives {
      id: "p"
      actions {
        id: "q"
        status: NOT_STARTED
        due_date { year: 2020 month: 1 day: 1 }
      }
    }
  )pb");
  ComputeOutputs(roadmap, kAsOf);
  std::vector<bool> late;
  for (const auto& a : roadmap.objectives(0).actions()) late.push_back(a.late());
  EXPECT_THAT(late, ElementsAre(true, false, false, false, true, false));
  EXPECT_EQ(roadmap.objectives(0).late_action_count(), 2);
  EXPECT_EQ(roadmap.late_action_count(), 3);
}

v1::RoadmapIndicator Indicator(double baseline, double target) {
  v1::RoadmapIndicator indicator;
  indicator.set_id("i");
  indicator.set_baseline(baseline);
  indicator.set_target(target);
  return indicator;
}

void Measure(v1::RoadmapIndicator& indicator, int year, int month, double value) {
  v1::Measurement* m = indicator.add_measurements();
  *m->mutable_date() = DateOf(absl::CivilDay(year, month, 1));
  m->set_value(value);
}

void Milestone(v1::RoadmapIndicator& indicator, int year, int month, double value) {
  v1::Milestone* m = indicator.add_milestones();
  *m->mutable_date() = DateOf(absl::CivilDay(year, month, 1));
  m->set_value(value);
}

TEST(IndicatorTest, ProgressUsesTheLatestDatedMeasurementNotTheLastListed) {
  auto indicator = Indicator(20, 70);
  Measure(indicator, 2025, 1, 45);
  Measure(indicator, 2024, 1, 60);
  ComputeIndicator(indicator);
  EXPECT_DOUBLE_EQ(indicator.progress_percent(), 50);
  EXPECT_EQ(indicator.latest().value(), 45);
}

TEST(IndicatorTest, DecreasingIndicatorProgressesAsItFalls) {
  auto indicator = Indicator(100, 60);
  Measure(indicator, 2025, 1, 90);
  ComputeIndicator(indicator);
  EXPECT_DOUBLE_EQ(indicator.progress_percent(), 25);
}

TEST(IndicatorTest, ClampedToZeroAndHundred) {
  auto worse = Indicator(100, 60);
  Measure(worse, 2025, 1, 120);
  ComputeIndicator(worse);
  EXPECT_DOUBLE_EQ(worse.progress_percent(), 0);
  auto beyond = Indicator(0, 10);
  Measure(beyond, 2025, 1, 15);
  ComputeIndicator(beyond);
  EXPECT_DOUBLE_EQ(beyond.progress_percent(), 100);
}

TEST(IndicatorTest, TargetEqualToBaselineIsAllOrNothing) {
  auto held = Indicator(5, 5);
  Measure(held, 2025, 1, 5);
  ComputeIndicator(held);
  EXPECT_DOUBLE_EQ(held.progress_percent(), 100);
  auto lost = Indicator(5, 5);
  Measure(lost, 2025, 1, 4);
  ComputeIndicator(lost);
  EXPECT_DOUBLE_EQ(lost.progress_percent(), 0);
}

TEST(IndicatorTest, NoMeasurementsNoProgressNotOffTrack) {
  auto indicator = Indicator(0, 10);
  Milestone(indicator, 2020, 1, 5);
  ComputeIndicator(indicator);
  EXPECT_FALSE(indicator.has_progress_percent());
  EXPECT_FALSE(indicator.has_latest());
  EXPECT_FALSE(indicator.off_track());
}

TEST(IndicatorTest, OffTrackAgainstTheLatestMilestoneOnOrBeforeTheMeasurement) {
  auto rising = Indicator(0, 100);
  Milestone(rising, 2024, 1, 20);
  Milestone(rising, 2025, 1, 50);
  Milestone(rising, 2026, 1, 80);  // after the measurement: not judged
  Measure(rising, 2025, 1, 40);    // same day as the 2025 milestone: judged against it
  ComputeIndicator(rising);
  EXPECT_TRUE(rising.off_track());
  EXPECT_EQ(rising.judged_milestone().value(), 50);

  Measure(rising, 2025, 6, 55);
  ComputeIndicator(rising);
  EXPECT_FALSE(rising.off_track());
}

TEST(IndicatorTest, OffTrackForAFallingIndicatorIsAbove) {
  auto falling = Indicator(100, 60);
  Milestone(falling, 2024, 1, 90);
  Measure(falling, 2024, 6, 92);
  ComputeIndicator(falling);
  EXPECT_TRUE(falling.off_track());
  falling.mutable_measurements(0)->set_value(90);  // exactly on the milestone
  ComputeIndicator(falling);
  EXPECT_FALSE(falling.off_track());
}

TEST(IndicatorTest, NoMilestoneBeforeTheMeasurementIsNeverOffTrack) {
  auto indicator = Indicator(0, 100);
  Milestone(indicator, 2026, 1, 50);
  Measure(indicator, 2025, 1, 1);
  ComputeIndicator(indicator);
  EXPECT_FALSE(indicator.off_track());
  EXPECT_FALSE(indicator.has_judged_milestone());
}

TEST(ProgressTest, ClearComputedOutputsLeavesOnlyWrittenFields) {
  auto roadmap = Parse<v1::Roadmap>(R"pb(
    objectives {
      id: "o"
      actions {
        id: "a"
        status: IN_PROGRESS
        progress_percent: 10
        due_date { year: 2020 month: 1 day: 1 }
      }
    }
    indicators {
      id: "i"
      baseline: 0
      target: 1
      measurements {
        date { year: 2020 month: 1 day: 1 }
        value: 1
      }
    }
  )pb");
  v1::Roadmap written = roadmap;
  ComputeOutputs(roadmap, kAsOf);
  ClearComputedOutputs(roadmap);
  EXPECT_EQ(roadmap.SerializeAsString(), written.SerializeAsString());
}

}  // namespace
}  // namespace metrocap::roadmaps
