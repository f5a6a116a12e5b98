#include "services/roadmaps/core/revisions.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/roadmaps/core/progress.h"
#include "tests/services/roadmaps/core/fixtures.h"

namespace metrocap::roadmaps {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::Parse;

const char kRoadmap[] = R"pb(
  name: "organisations/milan/roadmaps/twin"
  display_name: "Twin"
  kind: TWIN
  revision: 3
  etag: "3"
  objectives {
    id: "o1"
    actions { id: "a" title: "A" status: IN_PROGRESS progress_percent: 10 outcome_codes: "L1" }
  }
  indicators { id: "i" baseline: 0 target: 10 }
)pb";

TEST(ChangedFieldsTest, NothingWrittenChangedIsEmpty) {
  auto before = Parse<v1::Roadmap>(kRoadmap);
  auto after = before;
  after.set_revision(4);
  after.set_etag("4");
  ComputeOutputs(after, absl::CivilDay(2025, 1, 1));
  EXPECT_THAT(ChangedFields(before, after), IsEmpty());
}

TEST(ChangedFieldsTest, NamesNestedScalarsAndRepeatedScalarsByPath) {
  auto before = Parse<v1::Roadmap>(kRoadmap);
  auto after = before;
  after.set_display_name("Twin transition");
  after.mutable_objectives(0)->mutable_actions(0)->set_progress_percent(50);
  after.mutable_objectives(0)->mutable_actions(0)->add_outcome_codes("L2");
  after.mutable_indicators(0)->set_target(12);
  EXPECT_THAT(ChangedFields(before, after),
              ElementsAre("displayName", "objectives[0].actions[0].progressPercent",
                          "objectives[0].actions[0].outcomeCodes", "indicators[0].target"));
}

TEST(ChangedFieldsTest, AddedAndRemovedElementsByIndex) {
  auto before = Parse<v1::Roadmap>(kRoadmap);
  auto after = before;
  after.add_objectives()->set_id("o2");
  after.clear_indicators();
  auto* m = after.mutable_objectives(0)->mutable_actions(0);
  m->mutable_due_date()->set_year(2025);
  EXPECT_THAT(ChangedFields(before, after),
              ElementsAre("objectives[0].actions[0].dueDate", "objectives[1]", "indicators[0]"));
  EXPECT_THAT(ChangedFields(after, before),
              ElementsAre("objectives[0].actions[0].dueDate", "objectives[1]", "indicators[0]"));
}

}  // namespace
}  // namespace metrocap::roadmaps
