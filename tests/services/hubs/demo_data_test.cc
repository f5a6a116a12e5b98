// The demo dataset in data/hubs/ parses as the API's canonical JSON with metrocapctl's
// data-file parser, passes the service's own rules, names organisations of
// data/membership/ and capacities of data/assessment/'s framework, and — with
// data/roadmaps/'s plan and taxonomy — gives the progress report data/hubs/README.md
// counted by hand from the seed.
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/resource/crud.h"
#include "common/resource/pattern.h"
#include "common/status/status_macros.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/hubs/core/codes.h"
#include "services/hubs/core/pilot_lifecycle.h"
#include "services/hubs/core/progress_report.h"
#include "services/hubs/core/session_rules.h"
#include "services/hubs/storage/report_query.h"
#include "services/hubs/storage/schemas.h"
#include "tests/services/hubs/core/fixtures.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"
#include "tools/data_file.h"

namespace metrocap::hubs {
namespace {

using ::metrocap::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::Pair;

constexpr char kPlan[] = "plans/metropolis-sap-2021-2023";

std::string ReadData(const std::string& path) {
  std::ifstream in(std::string(METROCAP_SOURCE_DIR) + "/data/" + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The elements of a data file, as the loader reads them.
std::vector<tools::DataItem> Items(const std::string& path) {
  const std::string json = ReadData(path);
  EXPECT_FALSE(json.empty()) << path;
  auto items = tools::ParseDataFile(json);
  EXPECT_THAT(items, IsOk()) << path;
  return items.ok() ? *items : std::vector<tools::DataItem>{};
}

// Every element of a data file parsed strictly (an unknown field is an error) as `T`.
template <typename T>
std::vector<T> Resources(const std::string& path) {
  std::vector<T> out;
  for (const tools::DataItem& item : Items(path)) {
    google::protobuf::util::JsonParseOptions strict;
    strict.ignore_unknown_fields = false;
    auto parsed = google::protobuf::util::JsonStringToMessage(item.resource_json,
                                                              &out.emplace_back(), strict);
    EXPECT_TRUE(parsed.ok()) << item.name << ": " << parsed;
  }
  return out;
}

std::set<std::string> Names(const std::string& path) {
  std::set<std::string> names;
  for (const tools::DataItem& item : Items(path)) names.insert(item.name);
  return names;
}

// A generic JSON array file (for another service's data, read without its proto).
google::protobuf::ListValue JsonArray(const std::string& path) {
  google::protobuf::ListValue list;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(ReadData(path), &list).ok()) << path;
  return list;
}

const google::protobuf::Value& Field(const google::protobuf::Value& v, const char* name) {
  static const google::protobuf::Value* empty = new google::protobuf::Value;
  auto it = v.struct_value().fields().find(name);
  return it == v.struct_value().fields().end() ? *empty : it->second;
}

class DemoDataTest : public ::testing::Test {
 protected:
  std::vector<v1::Hub> hubs_ = Resources<v1::Hub>("hubs/hubs.json");
  std::vector<v1::Session> sessions_ = Resources<v1::Session>("hubs/sessions.json");
  std::vector<v1::Pilot> pilots_ = Resources<v1::Pilot>("hubs/pilots.json");
  std::vector<v1::Insight> insights_ = Resources<v1::Insight>("hubs/insights.json");
  std::set<std::string> organisations_ = Names("membership/organisations.json");
};

TEST_F(DemoDataTest, CountsAsTheReadmeSays) {
  EXPECT_EQ(hubs_.size(), 12);
  EXPECT_EQ(sessions_.size(), 50);
  EXPECT_EQ(pilots_.size(), 6);
  EXPECT_EQ(insights_.size(), 4);
}

TEST_F(DemoDataTest, NamesHaveTheirCollectionsShape) {
  const resource::NamePattern hubs("hubs"), sessions("hubs/{hub}/sessions"),
      pilots("hubs/{hub}/pilots"), insights("hubs/{hub}/insights");
  for (const v1::Hub& r : hubs_) EXPECT_THAT(hubs.CheckName("name", r.name()), IsOk());
  for (const v1::Session& r : sessions_) EXPECT_THAT(sessions.CheckName("name", r.name()), IsOk());
  for (const v1::Pilot& r : pilots_) EXPECT_THAT(pilots.CheckName("name", r.name()), IsOk());
  for (const v1::Insight& r : insights_) EXPECT_THAT(insights.CheckName("name", r.name()), IsOk());
}

TEST_F(DemoDataTest, EveryResourcePassesTheServiceRulesAndNamesKnownOrganisations) {
  std::set<std::string> hub_names;
  for (const v1::Hub& hub : hubs_) {
    hub_names.insert(hub.name());
    EXPECT_TRUE(organisations_.count(hub.host())) << hub.name() << " host " << hub.host();
  }
  for (const v1::Session& session : sessions_) {
    EXPECT_THAT(ValidateSession(session, "session"), IsOk()) << session.name();
    v1::Session derived = session;
    DeriveSessionFields(derived);
    EXPECT_TRUE(hub_names.count(derived.hub())) << session.name();
    for (const auto* list : {&session.participants(), &session.organisers()}) {
      for (const std::string& organisation : *list)
        EXPECT_TRUE(organisations_.count(organisation)) << session.name() << " " << organisation;
    }
  }
  for (const v1::Pilot& pilot : pilots_) {
    EXPECT_THAT(ValidatePilot(pilot, "pilot"), IsOk()) << pilot.name();
    EXPECT_TRUE(organisations_.count(pilot.lead())) << pilot.name();
    for (const std::string& partner : pilot.partners())
      EXPECT_TRUE(organisations_.count(partner)) << pilot.name() << " " << partner;
  }
}

TEST_F(DemoDataTest, CapacitiesAreTheMicadFrameworks) {
  std::set<std::string> capacities;
  const google::protobuf::ListValue frameworks = JsonArray("assessment/frameworks.json");
  for (const auto& framework : frameworks.values()) {
    if (Field(framework, "name").string_value() != "frameworks/micad") continue;
    for (const auto& capacity : Field(framework, "capacities").list_value().values())
      capacities.insert(Field(capacity, "id").string_value());
  }
  ASSERT_EQ(capacities.size(), 7);
  auto check = [&](const std::string& where, const auto& ids) {
    for (const std::string& id : ids) EXPECT_TRUE(capacities.count(id)) << where << " " << id;
  };
  for (const v1::Session& s : sessions_) check(s.name(), s.capacities());
  for (const v1::Pilot& p : pilots_) check(p.name(), p.capacities());
  for (const v1::Insight& i : insights_) check(i.name(), i.capacities());
}

TEST_F(DemoDataTest, PilotsReachTheirStatesThroughTheStateMachine) {
  for (const tools::DataItem& item : Items("hubs/pilots.json")) {
    v1::Pilot pilot;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(item.resource_json, &pilot).ok());
    const v1::Pilot::State intended = pilot.state();
    // As CreatePilot does.
    resource::ClearOutputOnlyFields(&pilot);
    InitPilot(pilot);
    for (const tools::Transition& t : item.transitions) {
      google::protobuf::Struct request;
      if (!t.request_json.empty()) {
        ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(t.request_json, &request).ok());
      }
      auto text = [&](const char* key) {
        auto it = request.fields().find(key);
        return it == request.fields().end() ? std::string() : it->second.string_value();
      };
      const absl::Time now = absl::FromUnixSeconds(1767225600);
      absl::Status status;
      if (t.call == ":start") status = Start(pilot, now);
      if (t.call == ":evaluate") status = Evaluate(pilot, text("evaluation"), now);
      if (t.call == ":stop") status = Stop(pilot, text("reason"), now);
      if (t.call == ":scale") status = Scale(pilot, now);
      if (t.call == ":replicate") {
        google::protobuf::RepeatedPtrField<std::string> names;
        for (const auto& v : request.fields().at("replications").list_value().values())
          *names.Add() = v.string_value();
        status = Replicate(pilot, names);
      }
      ASSERT_THAT(status, IsOk()) << item.name << " " << t.call;
      EXPECT_EQ(v1::Pilot::State_Name(pilot.state()), t.state) << item.name;
    }
    if (intended != v1::Pilot::STATE_UNSPECIFIED) {
      EXPECT_EQ(pilot.state(), intended) << item.name;
    }
  }
}

TEST_F(DemoDataTest, InsightsComeFromSessionsOrPilotsAndTargetMicadRoadmaps) {
  std::set<std::string> sources;
  for (const v1::Session& s : sessions_) sources.insert(s.name());
  for (const v1::Pilot& p : pilots_) sources.insert(p.name());
  int published = 0;
  for (const v1::Insight& insight : insights_) {
    EXPECT_TRUE(sources.count(insight.source())) << insight.name();
    EXPECT_FALSE(insight.target_roadmaps().empty()) << insight.name();
    for (const std::string& roadmap : insight.target_roadmaps())
      EXPECT_TRUE(absl::EndsWith(roadmap, "/roadmaps/twin-transition")) << roadmap;
    if (insight.state() == v1::Insight::PUBLISHED) ++published;
  }
  EXPECT_GE(published, 3);
}

// data/roadmaps/ comes from the roadmaps service's branch; until it is merged the report
// cannot be assembled from the real plan.
class DemoReportTest : public DemoDataTest {
 protected:
  void SetUp() override {
    if (ReadData("roadmaps/plans.json").empty()) GTEST_SKIP() << "data/roadmaps is not here yet";
    const google::protobuf::ListValue plans = JsonArray("roadmaps/plans.json");
    for (const auto& plan : plans.values()) {
      if (Field(plan, "name").string_value() != kPlan) continue;
      taxonomy_ = Field(plan, "taxonomy").string_value();
      for (const auto& line : Field(plan, "actionLines").list_value().values()) {
        codes_.action_lines.push_back(
            {Field(line, "code").string_value(), Field(line, "title").string_value()});
        for (const auto& action : Field(line, "actions").list_value().values()) {
          codes_.actions.push_back(
              {Field(action, "code").string_value(), Field(action, "title").string_value()});
          for (const auto& d : Field(action, "deliverables").list_value().values()) {
            codes_.deliverables.push_back(
                {Field(d, "code").string_value(), Field(d, "title").string_value()});
          }
        }
      }
    }
    const google::protobuf::ListValue taxonomies = JsonArray("roadmaps/taxonomies.json");
    for (const auto& taxonomy : taxonomies.values()) {
      if (Field(taxonomy, "name").string_value() != taxonomy_) continue;
      for (const auto& c : Field(taxonomy, "challenges").list_value().values())
        codes_.challenges.push_back(
            {Field(c, "code").string_value(), Field(c, "title").string_value()});
    }
    ASSERT_FALSE(codes_.deliverables.empty());
    ASSERT_FALSE(codes_.challenges.empty());
  }

  std::string taxonomy_;
  ReportCodes codes_;
};

TEST_F(DemoReportTest, EveryCodeResolvesInThePlanAndItsTaxonomy) {
  std::set<std::string> plan_codes, challenges;
  for (const auto* level : {&codes_.action_lines, &codes_.actions, &codes_.deliverables})
    for (const CodeTitle& c : *level) plan_codes.insert(c.code);
  for (const CodeTitle& c : codes_.challenges) challenges.insert(c.code);
  for (const v1::Session& session : sessions_) {
    if (session.plan().empty()) continue;
    EXPECT_EQ(session.plan(), kPlan) << session.name();
    for (const std::string& code : session.outcome_codes())
      EXPECT_TRUE(plan_codes.count(code)) << session.name() << " " << code;
    for (const std::string& code : session.challenge_codes())
      EXPECT_TRUE(challenges.count(code)) << session.name() << " " << code;
  }
}

// The figures of data/hubs/README.md, "The progress report the data gives", as the service
// counts them: the demo sessions written to a real (SQLite) hubs store with their per-day
// counts, as the service's session writes keep them, and the report's statement run on it
// (CountProgress, what GenerateProgressReport runs); the rules' own tally agrees.
TEST_F(DemoReportTest, TheJanuaryAprilReportIsTheHandCount) {
  const v1::GenerateProgressReportRequest request = JanuaryToApril2022(kPlan);
  auto period = ValidateReportRequest(request);
  ASSERT_THAT(period, IsOk());
  auto dir = ::metrocap::testing::MakeTempDir("metrocap-hubs-demo");
  ASSERT_THAT(dir, IsOk());
  auto store = ::metrocap::testing::SqliteStoreBackend().Open(*dir, "hubs");
  ASSERT_THAT(store, IsOk());
  ASSERT_THAT((*store)->Migrate(HubsSchemas().All()), IsOk());
  for (v1::Session session : sessions_) {
    DeriveSessionFields(session);
    ASSERT_THAT((*store)->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
      RETURN_IF_ERROR(AdjustDayCounts(tx, nullptr, &session));
      return tx.Insert(HubsSchemas().sessions, session.name(), session).status();
    }),
                IsOk());
  }
  auto tx = (*store)->Begin(store::Store::Access::kReadOnly);
  ASSERT_THAT(tx, IsOk());
  auto tally = CountProgress(**tx, kPlan, *period, {});
  ASSERT_THAT(tally, IsOk());
  tx->reset();
  store->reset();
  ::metrocap::testing::RemoveTree(*dir);
  const ProgressTally rules = TallySessions(sessions_, kPlan, *period, {});
  EXPECT_EQ(tally->sessions, rules.sessions);
  EXPECT_EQ(tally->plan_codes, rules.plan_codes);
  EXPECT_EQ(tally->organisations, rules.organisations);
  v1::GenerateProgressReportResponse report = AssembleReport(request, codes_, *tally, {});

  EXPECT_EQ(report.activity_count(), 20);
  EXPECT_THAT(Rows(report.action_lines()),
              ElementsAre(Pair("L1", 12), Pair("L2", 9), Pair("L3", 2)));
  EXPECT_THAT(Rows(report.actions()),
              ElementsAre(Pair("L1A1", 5), Pair("L1A2", 6), Pair("L1A3", 6), Pair("L2A1", 4),
                          Pair("L2A2", 4), Pair("L2A3", 2), Pair("L3A1", 2), Pair("L3A2", 1)));
  EXPECT_THAT(
      Rows(report.deliverables()),
      ElementsAre(Pair("L1A1D1", 3), Pair("L1A1D2", 2), Pair("L1A1D3", 1), Pair("L1A2D1", 2),
                  Pair("L1A2D2", 3), Pair("L1A2D4", 2), Pair("L1A3D1", 3), Pair("L1A3D2", 1),
                  Pair("L1A3D3", 3), Pair("L2A1D1", 3), Pair("L2A1D3", 2), Pair("L2A2D1", 0),
                  Pair("L2A2D2", 1), Pair("L2A2D3", 2), Pair("L2A2D4", 1), Pair("L2A2D7", 0),
                  Pair("L2A3D2", 2), Pair("L3A1D3", 1), Pair("L3A1D4", 1), Pair("L3A2D2", 1)));
  EXPECT_THAT(Rows(report.challenges()),
              ElementsAre(Pair("1.1", 6), Pair("1.3", 0), Pair("1.4", 7), Pair("2.1", 7),
                          Pair("2.2", 2), Pair("2.3", 5), Pair("3.1", 2), Pair("3.2", 3),
                          Pair("3.3", 4), Pair("4.1", 1), Pair("4.2", 1), Pair("4.3", 1)));
  std::vector<std::pair<std::string, int>> formats, alliances;
  for (const auto& f : report.formats())
    formats.emplace_back(v1::Session::Format_Name(f.format()), f.activity_count());
  for (const auto& a : report.alliances()) alliances.emplace_back(a.name(), a.activity_count());
  EXPECT_THAT(formats,
              ElementsAre(Pair("MEETING", 6), Pair("PUBLICATION", 5), Pair("CAMPAIGN", 3),
                          Pair("WEBINAR", 3), Pair("CONFERENCE", 2), Pair("PEER_LEARNING", 1)));
  EXPECT_THAT(alliances, ElementsAre(Pair("UCLG", 3), Pair("UCLG Africa", 3), Pair("UCLG MEWA", 3),
                                     Pair("UCLG ASPAC", 2), Pair("UCLG CCRE / CEMR", 2),
                                     Pair("UCLG Eurasia", 2),
                                     Pair("Global taskforce of Local and Regional governments", 1),
                                     Pair("LSE", 1), Pair("UN-Habitat", 1), Pair("UNDP", 1)));
  ASSERT_EQ(report.organisations_size(), 49);
  EXPECT_EQ(report.organisations(0).organisation(), "organisations/barcelona-metropolitan-area");
  EXPECT_EQ(report.organisations(0).activity_count(), 6);
  EXPECT_EQ(report.organisations(0).organised_count(), 1);
  EXPECT_EQ(report.organisations(1).organisation(), "organisations/barcelona-city");
  EXPECT_EQ(report.organisations(1).activity_count(), 5);
}

}  // namespace
}  // namespace metrocap::hubs
