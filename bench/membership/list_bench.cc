// ListOrganisations at scale (issue 17, "Scale"): 1,000,000 organisations in a SQLite file
// and in PostgreSQL, the real MembershipService over loopback gRPC, a filter on region and
// kind ordered by display name. Measures the first page and page 1,000 (reached by
// following the service's own page tokens), an unfiltered first page, and the Count behind
// total_size alone (store only; from the counted totals, and row by row as without them),
// with p50/p99 of every call; then the time a migration takes to rebuild the totals.
//
//   membership_list_bench [--organisations=1000000] [--page=1000] [--iterations=300]
//                         [--benchmark_filter=...] 2>/dev/null
//
// The organisations are stored through the store (Transaction::Insert, 10,000 to a
// transaction), not through 1M RPCs. Four regions x four kinds, 62,500 organisations each,
// so the filter's page 1,000 (rows 49,951-50,000 at the default 50 a page) exists; display
// names are random words, so their order is not the names' order. PostgreSQL is a
// throwaway server (tests/support, as the tests start it), vacuumed and analysed after
// the load as autovacuum would be. The service's request log goes to stderr.
// Figures: docs/benchmarks.md, "Membership: listing at scale".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "common/identity/caller.h"
#include "common/server/server.h"
#include "grpcpp/create_channel.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"
#include "tests/support/postgres_server.h"
#include "tests/support/store_backends.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_databases.h"

namespace metrocap::membership {
namespace {

constexpr char kCredential[] = "membership-list-bench-credential";
constexpr int kBatch = 10000;
const char* const kRegions[] = {"regions/africa", "regions/asia", "regions/europe",
                                "regions/latin-america"};
const v1::Organisation::Kind kKinds[] = {
    v1::Organisation::CITY, v1::Organisation::METROPOLITAN_AREA, v1::Organisation::MUNICIPALITY,
    v1::Organisation::PROVINCE};
const char* const kCountries[] = {"IT", "ES", "FR", "DE", "BR", "ZA", "KR", "MX"};
constexpr char kFilter[] = "region = \"regions/europe\" AND kind = METROPOLITAN_AREA";
constexpr char kOrderBy[] = "displayName";
const identity::Caller kViewer{"partners/observer", v1::Partner::VIEWER, {}};

std::string Word(std::mt19937& random) {
  std::uniform_int_distribution<int> length(3, 10), letter(0, 25);
  std::string word(1, static_cast<char>('A' + letter(random)));
  for (int n = length(random); n > 1; --n) word += static_cast<char>('a' + letter(random));
  return word;
}

v1::Organisation Generated(int i, std::mt19937& random) {
  v1::Organisation o;
  o.set_name(absl::StrFormat("organisations/org-%07d", i));
  o.set_display_name(absl::StrCat(Word(random), " ", Word(random)));
  o.set_region(kRegions[i % 4]);
  o.set_kind(kKinds[(i / 4) % 4]);
  o.set_country_code(kCountries[i % 8]);
  o.set_population(std::uniform_int_distribution<int64_t>(1000, 20000000)(random));
  if (i % 3 == 0) {
    o.set_membership_state(v1::Organisation::ACTIVE);
    o.mutable_member_since()->set_year(2000 + i % 25);
    o.mutable_member_since()->set_month(1 + i % 12);
    o.mutable_member_since()->set_day(1 + i % 28);
  } else {
    o.set_membership_state(v1::Organisation::NON_MEMBER);
  }
  return o;
}

// One backend holding the organisations, and the service over it on a loopback port.
struct Loaded {
  testing::StoreBackend backend;
  std::string dir;
  std::unique_ptr<store::Store> store;
  double load_seconds = 0;
  std::unique_ptr<MembershipService> service;
  std::unique_ptr<server::GrpcServer> server;
  std::unique_ptr<v1::MembershipService::Stub> stub;
  std::string page_token;  // the filter's token for the deep page
};

absl::Status Load(Loaded& loaded, int organisations) {
  const Schemas& schemas = MembershipSchemas();
  absl::Time start = absl::Now();
  absl::Status status = loaded.store->RunInTransaction([&](store::Transaction& tx) {
    for (const char* name : kRegions) {
      v1::Region region;
      region.set_name(name);
      region.set_display_name(name);
      absl::Status inserted = tx.Insert(schemas.regions, name, region).status();
      if (!inserted.ok()) return inserted;
    }
    return absl::OkStatus();
  });
  std::mt19937 random(20261207);
  for (int batch = 0; status.ok() && batch < organisations; batch += kBatch) {
    std::vector<v1::Organisation> rows;
    for (int i = batch; i < std::min(organisations, batch + kBatch); ++i) {
      rows.push_back(Generated(i, random));
    }
    status = loaded.store->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
      for (const v1::Organisation& o : rows) {
        absl::Status inserted = tx.Insert(schemas.organisations, o.name(), o).status();
        if (!inserted.ok()) return inserted;
      }
      return absl::OkStatus();
    });
  }
  if (status.ok() && loaded.backend.name == "PostgreSQL") {
    absl::StatusOr<std::string> url = testing::TestDatabaseFor(loaded.dir + "/membership");
    status = url.ok() ? testing::ExecuteStatement(*url, "VACUUM ANALYZE") : url.status();
  }
  loaded.load_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  return status;
}

grpc::Status List(Loaded& loaded, const v1::ListOrganisationsRequest& request,
                  v1::ListOrganisationsResponse* response) {
  grpc::ClientContext context;
  identity::AttachIdentity(kViewer, identity::IdentityConfig{kCredential, ""}, &context);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return loaded.stub->ListOrganisations(&context, request, response);
}

v1::ListOrganisationsRequest Filtered() {
  v1::ListOrganisationsRequest request;
  request.set_filter(kFilter);
  request.set_order_by(kOrderBy);
  return request;
}

absl::Status StartService(Loaded& loaded, int deep_page) {
  loaded.service = std::make_unique<MembershipService>(
      server::CallEnv{"membership", identity::IdentityConfig{kCredential, ""}}, loaded.store.get(),
      "bench-page-token-key");
  server::ServerOptions options;
  options.reflection = false;
  options.shutdown_grace = absl::Milliseconds(100);
  absl::StatusOr<std::unique_ptr<server::GrpcServer>> started =
      server::GrpcServer::Start("membership", options, {loaded.service.get()});
  if (!started.ok()) return started.status();
  loaded.server = *std::move(started);
  loaded.stub = v1::MembershipService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", loaded.server->port()), grpc::InsecureChannelCredentials()));
  // The deep page as a client reaches it: following next_page_token from the first page.
  v1::ListOrganisationsRequest request = Filtered();
  for (int page = 1; page < deep_page; ++page) {
    v1::ListOrganisationsResponse response;
    grpc::Status status = List(loaded, request, &response);
    if (!status.ok()) return absl::InternalError(status.error_message());
    if (response.next_page_token().empty()) {
      return absl::FailedPreconditionError(absl::StrCat("the filter ends at page ", page));
    }
    request.set_page_token(response.next_page_token());
  }
  loaded.page_token = request.page_token();
  return absl::OkStatus();
}

// Times every iteration of `op` (after 20 untimed ones) and reports p50/p99 in ms.
template <typename Op>
void Percentiles(benchmark::State& state, Op op) {
  for (int i = 0; i < 20; ++i) op();
  std::vector<double> ms;
  for (auto _ : state) {
    absl::Time before = absl::Now();
    if (!op()) {
      state.SkipWithError("call failed");
      break;
    }
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - before));
  }
  if (ms.empty()) return;
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
}

void Register(Loaded& loaded, int deep_page, int iterations) {
  const std::string& backend = loaded.backend.name;
  auto rpc = [&loaded](v1::ListOrganisationsRequest request) {
    return [&loaded, request] {
      v1::ListOrganisationsResponse response;
      return List(loaded, request, &response).ok() && response.organisations_size() > 0;
    };
  };
  v1::ListOrganisationsRequest deep = Filtered();
  deep.set_page_token(loaded.page_token);
  v1::ListOrganisationsRequest unfiltered;
  unfiltered.set_order_by(kOrderBy);
  const std::vector<std::pair<std::string, std::function<bool()>>> rpcs = {
      {"first_page", rpc(Filtered())},
      {absl::StrCat("page_", deep_page), rpc(deep)},
      {"unfiltered_first_page", rpc(unfiltered)},
  };
  for (const auto& entry : rpcs) {
    std::function<bool()> op = entry.second;
    benchmark::RegisterBenchmark(
        absl::StrCat("ListOrganisations/", entry.first, "/", backend).c_str(),
        [op](benchmark::State& state) { Percentiles(state, op); })
        ->Iterations(iterations)
        ->Unit(benchmark::kMillisecond);
  }
  // total_size's Count alone, in a read-only transaction of its own, as ListRecords runs it:
  // added up from the counted totals (the schema's count_by), and counted row by row as
  // before them (the same table through a schema that counts nothing).
  static const store::ResourceSchema* const uncounted = [] {
    auto* schema = new store::ResourceSchema(MembershipSchemas().organisations);
    schema->count_by.clear();
    return schema;
  }();
  for (const store::ResourceSchema* organisations :
       {&MembershipSchemas().organisations, uncounted}) {
    for (const char* filter : {kFilter, ""}) {
      query::Condition condition = *query::CompileFilter(*organisations, filter);
      auto count = [&loaded, organisations, condition] {
        absl::StatusOr<std::unique_ptr<store::Transaction>> tx =
            loaded.store->Begin(store::Store::Access::kReadOnly);
        return tx.ok() && (*tx)->Count(*organisations, "", condition).ok();
      };
      benchmark::RegisterBenchmark(
          absl::StrCat("Count/", *filter ? "filtered" : "all", "/",
                       organisations == uncounted ? "rows" : "totals", "/", backend)
              .c_str(),
          [count](benchmark::State& state) { Percentiles(state, count); })
          ->Iterations(iterations)
          ->Unit(benchmark::kMillisecond);
    }
  }
}

int Run(int argc, char** argv) {
  int organisations = 1000000;
  int iterations = 300;
  int deep_page = 1000;
  std::vector<char*> rest = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--organisations=")) {
      if (!absl::SimpleAtoi(arg, &organisations) || organisations < 1) {
        std::fprintf(stderr, "--organisations must be a positive number\n");
        return 2;
      }
    } else if (absl::ConsumePrefix(&arg, "--page=")) {
      if (!absl::SimpleAtoi(arg, &deep_page) || deep_page < 2) {
        std::fprintf(stderr, "--page must be a number above 1\n");
        return 2;
      }
    } else if (absl::ConsumePrefix(&arg, "--iterations=")) {
      if (!absl::SimpleAtoi(arg, &iterations) || iterations < 1) {
        std::fprintf(stderr, "--iterations must be a positive number\n");
        return 2;
      }
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_count = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_count, rest.data());

  std::vector<std::unique_ptr<Loaded>> all;
  for (testing::StoreBackend backend :
       {testing::SqliteStoreBackend(), testing::PostgresStoreBackend()}) {
    if (std::string why = backend.Unavailable(); !why.empty()) {
      std::fprintf(stderr, "%s skipped: %s\n", backend.name.c_str(), why.c_str());
      continue;
    }
    auto loaded = std::make_unique<Loaded>();
    loaded->backend = backend;
    absl::StatusOr<std::string> dir = testing::MakeTempDir("metrocap-membership-list-bench");
    if (!dir.ok()) return std::fprintf(stderr, "%s\n", dir.status().ToString().c_str()), 1;
    loaded->dir = *dir;
    // Opened here, on the main thread: PostgreSQL's server is started by the first open.
    absl::StatusOr<std::unique_ptr<store::Store>> store = backend.Open(*dir, "membership");
    absl::Status ready = store.ok() ? (*store)->Migrate(MembershipSchemas().All()) : store.status();
    if (!ready.ok()) return std::fprintf(stderr, "%s\n", ready.ToString().c_str()), 1;
    loaded->store = *std::move(store);
    all.push_back(std::move(loaded));
  }
  // The backends load at once, each on its own thread (PostgreSQL's time is mostly round
  // trips).
  std::vector<absl::Status> loads(all.size());
  std::vector<std::thread> loaders;
  for (size_t i = 0; i < all.size(); ++i) {
    loaders.emplace_back([&, i] { loads[i] = Load(*all[i], organisations); });
  }
  for (std::thread& loader : loaders) loader.join();
  for (size_t i = 0; i < all.size(); ++i) {
    absl::Status ready = loads[i].ok() ? StartService(*all[i], deep_page) : loads[i];
    if (!ready.ok()) {
      std::fprintf(stderr, "%s: %s\n", all[i]->backend.name.c_str(), ready.ToString().c_str());
      return 1;
    }
    benchmark::AddCustomContext(absl::StrCat("load_seconds_", all[i]->backend.name),
                                absl::StrFormat("%.0f", all[i]->load_seconds));
    Register(*all[i], deep_page, iterations);
  }
  benchmark::AddCustomContext("organisations", absl::StrCat(organisations));
  benchmark::AddCustomContext("filter", kFilter);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // What the migration step that fills the totals of an existing database costs at this
  // size, the first start of a release that declares count_by: a schema counting the same
  // columns in another order has another step id, so Migrate rebuilds the table.
  store::ResourceSchema reordered = MembershipSchemas().organisations;
  std::reverse(reordered.count_by.begin(), reordered.count_by.end());
  for (const std::unique_ptr<Loaded>& loaded : all) {
    absl::Time start = absl::Now();
    absl::Status rebuilt = loaded->store->Migrate({&reordered});
    std::printf("totals_rebuild_seconds_%s: %.2f (%s)\n", loaded->backend.name.c_str(),
                absl::ToDoubleSeconds(absl::Now() - start), rebuilt.ToString().c_str());
  }
  for (const std::unique_ptr<Loaded>& loaded : all) {
    loaded->server->Shutdown();
    loaded->store.reset();
    testing::RemoveTree(loaded->dir);
  }
  return 0;
}

}  // namespace
}  // namespace metrocap::membership

int main(int argc, char** argv) { return metrocap::membership::Run(argc, argv); }
