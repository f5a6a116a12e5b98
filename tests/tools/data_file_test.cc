// The data file format metrocapctl loads: resources with optional `transitions`.
#include "tools/data_file.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::tools {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> Calls(const std::vector<Transition>& transitions) {
  std::vector<std::string> out;
  for (const Transition& t : transitions) out.push_back(t.call);
  return out;
}

TEST(ParseDataFileTest, SeparatesTheResourceFromItsTransitions) {
  auto items = ParseDataFile(R"([
    {"name": "frameworks/f", "displayName": "F", "state": "PUBLISHED",
     "transitions": [{"call": ":publish", "state": "PUBLISHED"}]},
    {"name": "regions/europe", "displayName": "Europe"}
  ])");
  ASSERT_TRUE(items.ok()) << items.status();
  ASSERT_EQ(items->size(), 2u);
  const DataItem& f = (*items)[0];
  EXPECT_EQ(f.name, "frameworks/f");
  EXPECT_EQ(f.state, "PUBLISHED");
  ASSERT_EQ(f.transitions.size(), 1u);
  EXPECT_EQ(f.transitions[0].call, ":publish");
  EXPECT_EQ(f.transitions[0].state, "PUBLISHED");
  EXPECT_EQ(f.transitions[0].request_json, "");
  EXPECT_THAT(f.resource_json, Not(HasSubstr("transitions")));
  EXPECT_THAT(f.resource_json, HasSubstr(R"("displayName":"F")"));
  EXPECT_TRUE((*items)[1].transitions.empty());
  EXPECT_EQ((*items)[1].state, "");
}

TEST(ParseDataFileTest, KeepsATransitionsRequestFields) {
  auto items = ParseDataFile(R"([{"name": "applications/a", "transitions": [
    {"call": ":ratify", "state": "RATIFIED", "request": {"decision": {"votesFor": 20}}}]}])");
  ASSERT_TRUE(items.ok()) << items.status();
  EXPECT_EQ((*items)[0].transitions[0].request_json, R"({"decision":{"votesFor":20}})");
}

TEST(ParseDataFileTest, RejectsMalformedFilesNamingTheElement) {
  struct Case {
    const char* json;
    const char* message;
  } cases[] = {
      {R"({"name": "regions/x"})", "not a JSON array"},
      {R"([{"name": "regions/x",})", "not a JSON array"},
      {R"([3])", "element 0: not an object"},
      {R"([{"displayName": "x"}])", "element 0: no \"name\""},
      {R"([{"name": "frameworks/f", "transitions": {}}])", "frameworks/f: \"transitions\" must"},
      {R"([{"name": "frameworks/f", "transitions": [":publish"]}])", "transition 0"},
      {R"([{"name": "frameworks/f", "transitions": [{"call": "publish", "state": "P"}]}])",
       "custom method verb"},
      {R"([{"name": "frameworks/f", "transitions": [{"call": ":publish"}]}])", "\"state\""},
      {R"([{"name": "frameworks/f", "transitions": [{"call": ":p", "state": "P", "x": 1}]}])",
       "unknown transition key \"x\""},
      {R"([{"name": "a/b", "transitions": [{"call": ":p", "state": "P", "request": 1}]}])",
       "\"request\" must be an object"},
      {R"([{"name": "frameworks/f", "state": "PUBLISHED",
            "transitions": [{"call": ":submit", "state": "SUBMITTED"}]}])",
       "\"state\" is PUBLISHED but the last transition reaches SUBMITTED"},
  };
  for (const Case& c : cases) {
    auto items = ParseDataFile(c.json);
    ASSERT_FALSE(items.ok()) << c.json;
    EXPECT_EQ(items.status().code(), absl::StatusCode::kInvalidArgument) << c.json;
    EXPECT_THAT(items.status().message(), HasSubstr(c.message)) << c.json;
  }
}

TEST(ParseOrderTest, SkipsCommentsAndBlankLines) {
  EXPECT_THAT(ParseOrder("frameworks.json\n\n# later: x.json\n  assessments.json  \n"),
              ElementsAre("frameworks.json", "assessments.json"));
}

TEST(PendingTransitionsTest, ContinuesFromTheCurrentState) {
  std::vector<Transition> path = {{":submit", "SUBMITTED", ""}, {":validate", "VALIDATED", ""}};
  EXPECT_THAT(Calls(PendingTransitions(path, "DRAFT")), ElementsAre(":submit", ":validate"));
  EXPECT_THAT(Calls(PendingTransitions(path, "SUBMITTED")), ElementsAre(":validate"));
  EXPECT_TRUE(PendingTransitions(path, "VALIDATED").empty());
  EXPECT_TRUE(PendingTransitions({}, "DRAFT").empty());
}

TEST(PendingTransitionsTest, AStateReachedTwiceCountsFromItsLastOccurrence) {
  std::vector<Transition> path = {
      {":open", "OPEN", ""}, {":close", "CLOSED", ""}, {":reopen", "OPEN", ""}};
  EXPECT_TRUE(PendingTransitions(path, "OPEN").empty());
  EXPECT_THAT(Calls(PendingTransitions(path, "CLOSED")), ElementsAre(":reopen"));
}

}  // namespace
}  // namespace metrocap::tools
