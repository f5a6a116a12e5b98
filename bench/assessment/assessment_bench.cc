// Benchmarks of the assessment service at network scale: 1,000 organisations, each with a
// validated assessment of 7 capacities x 30 responses (210 responses). Measures profile
// computation, the pure comparison and peer matching, and CompareAssessments end to end
// (SQLite store, and the gRPC service in-process) for 50 organisations.
// Run: build/bench/assessment/assessment_bench (figures in docs/benchmarks.md).
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmark/benchmark.h"
#include "common/identity/caller.h"
#include "common/server/server.h"
#include "common/store/sqlite_store.h"
#include "grpcpp/create_channel.h"
#include "services/assessment/core/comparison.h"
#include "services/assessment/core/framework.h"
#include "services/assessment/core/profile.h"
#include "services/assessment/service.h"
#include "services/assessment/storage/schemas.h"

namespace metrocap::assessment {
namespace {

constexpr int kOrganisations = 1000;
constexpr int kResponsesPerCapacity = 30;
constexpr char kCredential[] = "bench-credential";
const char* const kCapacities[] = {"knowledge",    "management", "leadership",  "relational",
                                   "mobilization", "learning",   "experimental"};
const char* const kDimensions[] = {"metropolitan-governance", "climate-transition",
                                   "digital-transition", "stakeholder-engagement",
                                   "social-inclusion"};

v1::Framework BenchFramework() {
  v1::Framework f;
  f.set_name("frameworks/micad");
  f.set_display_name("MICAD");
  f.set_state(v1::Framework::PUBLISHED);
  f.set_scale_min(1);
  f.set_scale_max(5);
  f.set_need_threshold(3);
  f.set_potential_threshold(4);
  for (const char* id : kCapacities) {
    v1::Capacity* c = f.add_capacities();
    c->set_id(id);
    c->set_display_name(id);
    for (int i = 0; i < 4; ++i) {
      v1::Indicator* indicator = c->add_indicators();
      indicator->set_id(absl::StrCat("indicator-", i));
      indicator->set_question("?");
      indicator->set_weight(1 + i % 2);
    }
  }
  for (const char* id : kDimensions) {
    v1::Dimension* d = f.add_dimensions();
    d->set_id(id);
    d->set_display_name(id);
  }
  return f;
}

// 1,000 validated assessments with profiles, from a fixed seed.
struct Network {
  v1::Framework framework = BenchFramework();
  std::vector<v1::Assessment> assessments;
  std::vector<Standing> standings;

  Network() {
    FrameworkIndex index(framework);
    std::mt19937 random(20250101);
    std::uniform_real_distribution<double> level(1.5, 4.8);
    std::normal_distribution<double> noise(0, 0.6);
    assessments.reserve(kOrganisations);
    for (int o = 0; o < kOrganisations; ++o) {
      v1::Assessment& a = assessments.emplace_back();
      a.set_name(absl::StrFormat("organisations/org-%04d/assessments/a2025", o));
      a.set_organisation(absl::StrFormat("organisations/org-%04d", o));
      a.set_framework(framework.name());
      a.set_state(v1::Assessment::VALIDATED);
      a.set_visibility(o % 10 == 0 ? v1::Assessment::PRIVATE : v1::Assessment::NETWORK);
      a.mutable_period_end()->set_year(2025);
      a.mutable_period_end()->set_month(6);
      a.mutable_period_end()->set_day(30);
      for (const char* capacity : kCapacities) {
        const double target = level(random);
        for (int r = 0; r < kResponsesPerCapacity; ++r) {
          v1::Response* response = a.add_responses();
          response->set_indicator(absl::StrCat(capacity, ".indicator-", r % 4));
          response->set_dimension(kDimensions[r % 5]);
          response->set_score(std::min(5.0, std::max(1.0, target + noise(random))));
          response->set_source(static_cast<v1::Assessment::Source>(1 + r % 5));
          response->set_respondent("respondent");
        }
      }
      *a.mutable_profile() = ComputeProfile(index, a.responses());
    }
    standings = LatestByOrganisation(assessments);
  }
};

const Network& TheNetwork() {
  static const Network* network = new Network;
  return *network;
}

const identity::Caller kViewer{"partners/observer", membership::v1::Partner::VIEWER, {}};

void BM_ComputeProfile(benchmark::State& state) {
  const Network& network = TheNetwork();
  FrameworkIndex index(network.framework);
  int i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        ComputeProfile(index, network.assessments[i++ % kOrganisations].responses()));
  }
  state.SetLabel("one assessment, 7 capacities x 30 responses");
}
BENCHMARK(BM_ComputeProfile);

void BM_ComputeAllProfiles(benchmark::State& state) {
  const Network& network = TheNetwork();
  for (auto _ : state) {
    FrameworkIndex index(network.framework);
    for (const v1::Assessment& a : network.assessments) {
      benchmark::DoNotOptimize(ComputeProfile(index, a.responses()));
    }
  }
  state.SetLabel("1,000 assessments");
}
BENCHMARK(BM_ComputeAllProfiles)->Unit(benchmark::kMillisecond);

void BM_Compare(benchmark::State& state) {
  const Network& network = TheNetwork();
  std::vector<Standing> asked(network.standings.begin(),
                              network.standings.begin() + state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(Compare(network.framework, asked, kViewer));
  state.SetLabel(absl::StrCat(state.range(0), " organisations, core only"));
}
BENCHMARK(BM_Compare)->Arg(50)->Arg(1000)->Unit(benchmark::kMicrosecond);

void BM_SuggestPeers(benchmark::State& state) {
  const Network& network = TheNetwork();
  for (auto _ : state) {
    std::vector<Standing> latest = LatestByOrganisation(network.assessments);
    benchmark::DoNotOptimize(SuggestPeers(network.assessments[1], latest, kViewer, 10));
  }
  state.SetLabel("over 1,000 organisations, core only");
}
BENCHMARK(BM_SuggestPeers)->Unit(benchmark::kMicrosecond);

// The 1,000 assessments in a SQLite store in a temporary directory, and the service over it
// on a loopback port.
class StoredNetwork {
 public:
  StoredNetwork() {
    char pattern[] = "/tmp/metrocap-assessment-bench-XXXXXX";
    dir_ = mkdtemp(pattern);
    store_ = *store::OpenSqliteStore(dir_ + "/assessment.db");
    const Schemas& schemas = AssessmentSchemas();
    (void)store_->Migrate(schemas.All());
    (void)store_->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
      const Network& network = TheNetwork();
      (void)tx.Insert(schemas.frameworks, network.framework.name(), network.framework);
      for (const v1::Assessment& a : network.assessments)
        (void)tx.Insert(schemas.assessments, a.name(), a);
      return absl::OkStatus();
    });
    // Inserted below the service: their profile rows come as on an upgraded database's start.
    (void)FillProfileRows(*store_);
    identity_ = identity::IdentityConfig{kCredential, ""};
    service_ = std::make_unique<AssessmentService>(server::CallEnv{"assessment", identity_},
                                                   store_.get(), nullptr, "bench-key");
    server::ServerOptions options;
    options.shutdown_grace = absl::Milliseconds(100);
    server_ = *server::GrpcServer::Start("assessment", options, {service_.get()});
    stub_ = v1::AssessmentService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", server_->port()), grpc::InsecureChannelCredentials()));
  }
  ~StoredNetwork() {
    server_->Shutdown();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::remove((dir_ + "/assessment.db" + suffix).c_str());
    }
    rmdir(dir_.c_str());
  }

  store::Store& store() { return *store_; }
  v1::AssessmentService::Stub& stub() { return *stub_; }
  const identity::IdentityConfig& identity() const { return identity_; }

 private:
  std::string dir_;
  std::unique_ptr<store::Store> store_;
  identity::IdentityConfig identity_;
  std::unique_ptr<AssessmentService> service_;
  std::unique_ptr<server::GrpcServer> server_;
  std::unique_ptr<v1::AssessmentService::Stub> stub_;
};

StoredNetwork& TheStoredNetwork() {
  static StoredNetwork* stored = new StoredNetwork;
  return *stored;
}

// What CompareAssessments does below gRPC, in this thread (so the CPU column is the
// service's own work): one read transaction, the organisations' profile rows read and
// decoded, the latest of each chosen, then compared. Arg 0 compares every organisation.
void BM_CompareFromStore(benchmark::State& state) {
  StoredNetwork& stored = TheStoredNetwork();
  const Network& network = TheNetwork();
  for (auto _ : state) {
    auto tx = *stored.store().Begin(store::Store::Access::kReadOnly);
    std::vector<std::vector<v1::Assessment>> read;
    std::vector<Standing> standings;
    if (state.range(0) == 0) {
      read.push_back(*ListValidated(*tx, network.framework.name(), ""));
      standings = LatestByOrganisation(read.back());
    } else {
      read.reserve(state.range(0));
      for (int o = 0; o < state.range(0); ++o) {
        const std::string organisation = network.standings[o * 7 % kOrganisations].organisation;
        read.push_back(*ListValidated(*tx, network.framework.name(), organisation));
        std::vector<Standing> latest = LatestByOrganisation(read.back());
        standings.push_back(latest.empty() ? Standing{organisation, nullptr} : latest.front());
      }
    }
    benchmark::DoNotOptimize(Compare(network.framework, standings, kViewer));
  }
  state.SetLabel(state.range(0) == 0
                     ? "all 1,000 organisations, SQLite"
                     : absl::StrCat(state.range(0), " organisations of 1,000, SQLite"));
}
BENCHMARK(BM_CompareFromStore)->Arg(50)->Arg(0)->Unit(benchmark::kMillisecond);

// What SuggestPeers does below gRPC, in this thread.
void BM_SuggestPeersFromStore(benchmark::State& state) {
  StoredNetwork& stored = TheStoredNetwork();
  const Network& network = TheNetwork();
  for (auto _ : state) {
    auto tx = *stored.store().Begin(store::Store::Access::kReadOnly);
    std::vector<v1::Assessment> validated = *ListValidated(*tx, network.framework.name(), "");
    benchmark::DoNotOptimize(
        SuggestPeers(network.assessments[1], LatestByOrganisation(validated), kViewer, 10));
  }
  state.SetLabel("over 1,000 organisations, SQLite");
}
BENCHMARK(BM_SuggestPeersFromStore)->Unit(benchmark::kMillisecond);

// CompareAssessments over gRPC on loopback, as a client sees it.
void BM_CompareAssessmentsRpc(benchmark::State& state) {
  StoredNetwork& stored = TheStoredNetwork();
  const Network& network = TheNetwork();
  v1::CompareAssessmentsRequest request;
  request.set_framework(network.framework.name());
  for (int o = 0; o < state.range(0); ++o) {
    request.add_organisations(network.standings[o * 7 % kOrganisations].organisation);
  }
  for (auto _ : state) {
    grpc::ClientContext context;
    identity::AttachIdentity(kViewer, stored.identity(), &context);
    v1::CompareAssessmentsResponse response;
    grpc::Status status = stored.stub().CompareAssessments(&context, request, &response);
    if (!status.ok()) state.SkipWithError(status.error_message().c_str());
  }
  state.SetLabel(state.range(0) == 0
                     ? "all 1,000 organisations, gRPC + SQLite"
                     : absl::StrCat(state.range(0), " organisations of 1,000, gRPC + SQLite"));
}
BENCHMARK(BM_CompareAssessmentsRpc)->Arg(50)->Arg(0)->Unit(benchmark::kMillisecond);

// SuggestPeers over gRPC: reads every validated assessment of the framework.
void BM_SuggestPeersRpc(benchmark::State& state) {
  StoredNetwork& stored = TheStoredNetwork();
  v1::SuggestPeersRequest request;
  request.set_name(TheNetwork().assessments[1].name());
  request.set_max_peers(10);
  for (auto _ : state) {
    grpc::ClientContext context;
    identity::AttachIdentity(kViewer, stored.identity(), &context);
    v1::SuggestPeersResponse response;
    grpc::Status status = stored.stub().SuggestPeers(&context, request, &response);
    if (!status.ok()) state.SkipWithError(status.error_message().c_str());
  }
  state.SetLabel("over 1,000 organisations, gRPC + SQLite");
}
BENCHMARK(BM_SuggestPeersRpc)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace metrocap::assessment

BENCHMARK_MAIN();
