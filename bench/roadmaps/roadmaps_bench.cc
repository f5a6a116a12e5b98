// Benchmarks of the roadmaps service over loopback gRPC on a SQLite store: one roadmap of
// 50 objectives x 20 actions and 20 indicators x 200 measurements, Get and an Update of
// one action, :listRevisions after 1,000 revisions, and a List across 10,000 roadmaps of
// 100 organisations with a filter. Each benchmark reports p50 and p99 of its calls.
// Peers (membership, assessment) answer from memory, as they do on a warm shared cache:
// what is measured is roadmaps' own work.
// Run: build/bench/roadmaps/roadmaps_bench (figures in docs/benchmarks.md).
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "common/identity/caller.h"
#include "common/resource/crud.h"
#include "common/server/server.h"
#include "common/store/sqlite_store.h"
#include "grpcpp/create_channel.h"
#include "services/roadmaps/core/dates.h"
#include "services/roadmaps/service.h"
#include "services/roadmaps/storage/schemas.h"

namespace metrocap::roadmaps {
namespace {

constexpr char kCredential[] = "bench-credential";
constexpr int kObjectives = 50;
constexpr int kActionsPerObjective = 20;
constexpr int kIndicators = 20;
constexpr int kMeasurements = 200;
constexpr int kRevisions = 1000;
constexpr int kListedRoadmaps = 10000;
constexpr int kOrganisations = 100;
const char* const kCapacities[] = {"knowledge",    "management", "leadership",  "relational",
                                   "mobilization", "learning",   "experimental"};

// Organisations exist and the framework is MICAD-shaped, from memory.
class FixedPeers final : public Peers {
 public:
  FixedPeers() {
    framework_.set_name("frameworks/micad");
    for (const char* id : kCapacities) framework_.add_capacities()->set_id(id);
  }
  absl::Status CheckOrganisation(const server::Call&, absl::string_view) override {
    return absl::OkStatus();
  }
  absl::StatusOr<assessment::v1::Framework> GetFramework(const server::Call&,
                                                         absl::string_view) override {
    return framework_;
  }

 private:
  assessment::v1::Framework framework_;
};

google::type::Date Day(int year, int month, int day) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

v1::Plan BenchPlan() {
  v1::Plan plan;
  plan.set_display_name("Bench plan");
  plan.set_owner("organisations/org-0");
  for (int l = 1; l <= 5; ++l) {
    v1::ActionLine* line = plan.add_action_lines();
    line->set_code(absl::StrCat("L", l));
    line->set_title("line");
    for (int a = 1; a <= 5; ++a) {
      v1::PlanAction* action = line->add_actions();
      action->set_code(absl::StrCat("L", l, "A", a));
      action->set_title("action");
      for (int d = 1; d <= 5; ++d) {
        v1::Deliverable* deliverable = action->add_deliverables();
        deliverable->set_code(absl::StrCat("L", l, "A", a, "D", d));
        deliverable->set_title("deliverable");
      }
    }
  }
  return plan;
}

v1::Roadmap BigRoadmap() {
  v1::Roadmap roadmap;
  roadmap.set_display_name("Bench roadmap");
  roadmap.set_kind(v1::Roadmap::TWIN);
  roadmap.set_state(v1::Roadmap::ACTIVE);
  roadmap.set_plan("plans/bench");
  roadmap.set_framework("frameworks/micad");
  for (int o = 0; o < kObjectives; ++o) {
    v1::Objective* objective = roadmap.add_objectives();
    objective->set_id(absl::StrCat("objective-", o));
    objective->set_title("An objective of the bench roadmap");
    for (int a = 0; a < kActionsPerObjective; ++a) {
      v1::RoadmapAction* action = objective->add_actions();
      action->set_id(absl::StrCat("action-", o, "-", a));
      action->set_title("An action of the bench roadmap");
      action->set_owner("planning office");
      action->set_status(static_cast<v1::RoadmapAction::Status>(1 + (o + a) % 5));
      action->set_progress_percent((o * 7 + a * 3) % 100);
      *action->mutable_start_date() = Day(2025, 1 + a % 12, 1);
      *action->mutable_due_date() = Day(2026, 1 + a % 12, 28);
      action->add_capacities(kCapacities[(o + a) % 7]);
      action->add_outcome_codes(absl::StrCat("L", 1 + o % 5, "A", 1 + a % 5, "D", 1 + (o + a) % 5));
    }
  }
  for (int i = 0; i < kIndicators; ++i) {
    v1::RoadmapIndicator* indicator = roadmap.add_indicators();
    indicator->set_id(absl::StrCat("indicator-", i));
    indicator->set_display_name("An indicator");
    indicator->set_unit("units");
    indicator->set_baseline(100);
    indicator->set_target(i % 2 ? 50 : 200);
    for (int m = 0; m < kMeasurements; ++m) {
      v1::Measurement* measurement = indicator->add_measurements();
      *measurement->mutable_date() = DateOf(absl::CivilDay(2020, 1, 1) + m * 7);
      measurement->set_value(100 + (i % 2 ? -0.2 : 0.4) * m);
      measurement->set_source("monitoring");
    }
    for (int s = 1; s <= 5; ++s) {
      v1::Milestone* milestone = indicator->add_milestones();
      *milestone->mutable_date() = Day(2020 + s, 1, 1);
      milestone->set_value(100 + (i % 2 ? -8 : 16) * s);
    }
  }
  return roadmap;
}

// The service on a SQLite store in a temporary directory, over loopback gRPC, with the big
// roadmap at revision kRevisions + 1 and kListedRoadmaps small ones across organisations.
class Bench {
 public:
  static Bench& Get() {
    static Bench* bench = new Bench();
    return *bench;
  }

  std::unique_ptr<grpc::ClientContext> Context() const {
    auto context = std::make_unique<grpc::ClientContext>();
    identity::AttachIdentity(identity::Caller{"partners/bench", membership::v1::Partner::ADMIN, {}},
                             identity_, context.get());
    return context;
  }
  v1::RoadmapService::Stub& stub() { return *stub_; }
  v1::Roadmap& roadmap() { return roadmap_; }

 private:
  Bench() {
    std::string pattern = std::filesystem::temp_directory_path() / "metrocap-roadmaps-bench-XXXXXX";
    dir_ = mkdtemp(pattern.data());
    auto store = store::OpenSqliteStore(dir_ + "/roadmaps.db");
    if (!store.ok()) Die(store.status());
    store_ = *std::move(store);
    Check(store_->Migrate(RoadmapSchemas().All()));
    identity_ = {kCredential, ""};
    service_ = std::make_unique<RoadmapService>(server::CallEnv{"roadmaps", identity_},
                                                store_.get(), &peers_, "bench-key");
    server::ServerOptions options;
    options.listen_address = "127.0.0.1:0";
    auto server = server::GrpcServer::Start("roadmaps", options, {service_.get()});
    if (!server.ok()) Die(server.status());
    server_ = *std::move(server);
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(64 << 20);
    stub_ = v1::RoadmapService::NewStub(grpc::CreateCustomChannel(
        absl::StrCat("127.0.0.1:", server_->port()), grpc::InsecureChannelCredentials(), args));

    v1::CreatePlanRequest plan;
    plan.set_plan_id("bench");
    *plan.mutable_plan() = BenchPlan();
    v1::Plan created_plan;
    CheckRpc(stub_->CreatePlan(Context().get(), plan, &created_plan));
    v1::CreateRoadmapRequest create;
    create.set_parent("organisations/org-0");
    create.set_roadmap_id("big");
    *create.mutable_roadmap() = BigRoadmap();
    CheckRpc(stub_->CreateRoadmap(Context().get(), create, &roadmap_));
    while (roadmap_.revision() <= kRevisions) UpdateOneAction();
    FillList();
  }

  void FillList() {
    const Schemas& schemas = RoadmapSchemas();
    Check(store_->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
      for (int r = 0; r < kListedRoadmaps; ++r) {
        v1::Roadmap small;
        const std::string organisation = absl::StrCat("organisations/org-", r % kOrganisations);
        const std::string name = absl::StrCat(organisation, "/roadmaps/r", r);
        small.set_display_name(absl::StrCat("Roadmap ", r));
        small.set_organisation(organisation);
        small.set_kind(static_cast<v1::Roadmap::Kind>(1 + r % 3));
        // Kind and state vary independently: one roadmap in nine is CLIMATE and ACTIVE.
        small.set_state(static_cast<v1::Roadmap::State>(1 + r / 3 % 3));
        small.set_framework("frameworks/micad");
        small.set_revision(1);
        v1::Objective* objective = small.add_objectives();
        objective->set_id("o");
        objective->set_title("Objective");
        v1::RoadmapAction* action = objective->add_actions();
        action->set_id("a");
        action->set_title("Action");
        action->set_status(v1::RoadmapAction::IN_PROGRESS);
        action->set_progress_percent(r % 100);
        RETURN_IF_ERROR(resource::Insert(tx, schemas.roadmaps, name, small).status());
      }
      return absl::OkStatus();
    }));
  }

 public:
  // Moves one action's progress and writes the roadmap's objectives back.
  void UpdateOneAction() {
    static int turn = 0;
    ++turn;
    v1::RoadmapAction* action = roadmap_.mutable_objectives(turn % kObjectives)
                                    ->mutable_actions(turn % kActionsPerObjective);
    action->set_progress_percent(
        (action->progress_percent() + 1) > 100 ? 0 : action->progress_percent() + 1);
    v1::UpdateRoadmapRequest update;
    *update.mutable_roadmap() = roadmap_;
    update.mutable_update_mask()->add_paths("objectives");
    CheckRpc(stub_->UpdateRoadmap(Context().get(), update, &roadmap_));
  }

 private:
  [[noreturn]] static void Die(const absl::Status& status) {
    fprintf(stderr, "bench setup: %s\n", status.ToString().c_str());
    exit(1);
  }
  static void Check(const absl::Status& status) {
    if (!status.ok()) Die(status);
  }
  static void CheckRpc(const grpc::Status& status) {
    if (!status.ok()) Die(absl::InternalError(status.error_message()));
  }

  std::string dir_;
  identity::IdentityConfig identity_;
  FixedPeers peers_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<RoadmapService> service_;
  std::unique_ptr<server::GrpcServer> server_;
  std::unique_ptr<v1::RoadmapService::Stub> stub_;
  v1::Roadmap roadmap_;
};

// Times each call of `call` and reports p50 and p99 in milliseconds.
template <typename Call>
void Timed(benchmark::State& state, Call call) {
  std::vector<double> millis;
  for (auto _ : state) {
    absl::Time start = absl::Now();
    call();
    millis.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
  }
  std::sort(millis.begin(), millis.end());
  state.counters["p50_ms"] = millis[millis.size() / 2];
  state.counters["p99_ms"] = millis[std::min(millis.size() - 1, millis.size() * 99 / 100)];
}

void BM_GetRoadmap(benchmark::State& state) {
  Bench& bench = Bench::Get();
  v1::GetRoadmapRequest request;
  request.set_name(bench.roadmap().name());
  Timed(state, [&] {
    v1::Roadmap out;
    grpc::Status status = bench.stub().GetRoadmap(bench.Context().get(), request, &out);
    if (!status.ok()) state.SkipWithError(status.error_message().c_str());
  });
}
BENCHMARK(BM_GetRoadmap)->Unit(benchmark::kMillisecond)->Iterations(200)->UseRealTime();

void BM_UpdateOneAction(benchmark::State& state) {
  Bench& bench = Bench::Get();
  Timed(state, [&] { bench.UpdateOneAction(); });
}
BENCHMARK(BM_UpdateOneAction)->Unit(benchmark::kMillisecond)->Iterations(200)->UseRealTime();

void BM_ListRevisions(benchmark::State& state) {
  Bench& bench = Bench::Get();
  v1::ListRoadmapRevisionsRequest request;
  request.set_name(bench.roadmap().name());
  request.set_page_size(static_cast<int>(state.range(0)));
  request.set_view(state.range(1) ? v1::ListRoadmapRevisionsRequest::FULL
                                  : v1::ListRoadmapRevisionsRequest::BASIC);
  Timed(state, [&] {
    v1::ListRoadmapRevisionsResponse out;
    grpc::Status status = bench.stub().ListRoadmapRevisions(bench.Context().get(), request, &out);
    if (!status.ok()) state.SkipWithError(status.error_message().c_str());
  });
}
BENCHMARK(BM_ListRevisions)
    ->ArgNames({"page", "full"})
    ->Args({50, 0})
    ->Args({10, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(200)
    ->UseRealTime();

void BM_ListAcrossOrganisations(benchmark::State& state) {
  Bench& bench = Bench::Get();
  v1::ListRoadmapsRequest request;
  request.set_parent("organisations/-");
  request.set_filter("kind = \"CLIMATE\" AND state = \"ACTIVE\"");
  request.set_page_size(50);
  Timed(state, [&] {
    v1::ListRoadmapsResponse out;
    grpc::Status status = bench.stub().ListRoadmaps(bench.Context().get(), request, &out);
    if (!status.ok() || out.roadmaps_size() != 50) state.SkipWithError("list failed");
  });
}
BENCHMARK(BM_ListAcrossOrganisations)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(200)
    ->UseRealTime();

}  // namespace
}  // namespace metrocap::roadmaps

BENCHMARK_MAIN();
