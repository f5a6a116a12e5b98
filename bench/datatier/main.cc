// The data tier benchmark: GetOrganisation served from the cache (in-process hit, Redis
// hit) and from the stores (SQLite, PostgreSQL), against a no-op call of the same service,
// and the cache's hiredis path against redis-benchmark on the same Redis.
//
//   datatier_bench [--seconds=10] [--rounds=10] [--concurrency=1,8]
//                  [--placement=one-cpu|split|os]
//                  [--redis-url=redis://...] [--database-url=postgres://...]
//
// Each gRPC path runs `seconds` in total per concurrency, in `rounds` interleaved slices.
//
// Without URLs it starts a throwaway redis-server and PostgreSQL (tests/support). Prints a
// Markdown report on stdout; the services' request log lines go to /dev/null.
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/datatier/bench_service.h"
#include "common/cache/lookup_cache.h"
#include "common/cache/redis_connection.h"
#include "common/identity/caller.h"
#include "common/server/server.h"
#include "common/store/postgres_store.h"
#include "common/store/sqlite_store.h"
#include "grpcpp/create_channel.h"
#include "services/membership/storage/schemas.h"
#include "tests/support/postgres_server.h"
#include "tests/support/process.h"
#include "tests/support/redis_server.h"

namespace metrocap::bench {
namespace {

using membership::v1::Organisation;

constexpr char kCredential[] = "datatier-bench-internal-credential";
constexpr char kOrganisation[] = "organisations/milan";

struct Figures {
  double per_second = 0;
  absl::Duration p50, p99;
  int64_t failures = 0;
};

// Runs `op` on `threads` threads for `duration` (after a short warm-up); adds the call
// latencies to `samples` and returns the failures.
int64_t Sample(int threads, absl::Duration duration, const std::function<bool(int)>& op,
               std::vector<absl::Duration>* samples) {
  std::vector<std::vector<absl::Duration>> per_thread(threads);
  std::atomic<int64_t> failures{0};
  absl::Time start = absl::Now() + absl::Milliseconds(100);
  absl::Time end = start + duration;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      per_thread[t].reserve(1 << 18);
      while (true) {
        absl::Time before = absl::Now();
        if (before >= end) break;
        bool ok = op(t);
        if (before >= start) {
          per_thread[t].push_back(absl::Now() - before);
          if (!ok) ++failures;
        }
      }
    });
  }
  for (std::thread& w : workers) w.join();
  for (auto& s : per_thread) samples->insert(samples->end(), s.begin(), s.end());
  return failures;
}

// Measures every op in `ops` for `duration` in total, in `rounds` interleaved slices, so
// that a change in the machine's background load falls on all of them alike.
std::vector<Figures> Compare(int threads, absl::Duration duration, int rounds,
                             const std::vector<std::function<bool(int)>>& ops) {
  std::vector<std::vector<absl::Duration>> samples(ops.size());
  std::vector<Figures> figures(ops.size());
  for (int r = 0; r < rounds; ++r) {
    for (size_t i = 0; i < ops.size(); ++i) {
      figures[i].failures += Sample(threads, duration / rounds, ops[i], &samples[i]);
    }
  }
  for (size_t i = 0; i < ops.size(); ++i) {
    std::vector<absl::Duration>& all = samples[i];
    std::sort(all.begin(), all.end());
    if (all.empty()) continue;
    figures[i].per_second = all.size() / absl::ToDoubleSeconds(duration);
    figures[i].p50 = all[all.size() / 2];
    figures[i].p99 = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return figures;
}

std::string Micros(absl::Duration d) {
  return absl::StrFormat("%.0f", absl::ToDoubleMicroseconds(d));
}

void Row(const std::string& what, int concurrency, const Figures& f) {
  std::cout << absl::StrFormat("| %s | %d | %.0f | %s | %s | %d |\n", what, concurrency,
                               f.per_second, Micros(f.p50), Micros(f.p99), f.failures);
}

// redis-benchmark's GET on the same Redis: (requests per second, p50 in microseconds).
std::pair<double, double> RedisBenchmark(const cache::RedisEndpoint& redis, int clients,
                                         size_t value_size, int requests) {
  std::string command =
      absl::StrCat("redis-benchmark -h ", redis.host, " -p ", redis.port, " -t get -q -c ", clients,
                   " -d ", value_size, " -n ", requests, " 2>/dev/null");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return {0, 0};
  std::string output;
  char buffer[512];
  while (fgets(buffer, sizeof(buffer), pipe) != nullptr) output += buffer;
  pclose(pipe);
  // "GET: 52910.05 requests per second, p50=0.015 msec"; progress lines end in '\r'.
  std::vector<std::string> lines = absl::StrSplit(output, absl::ByAnyChar("\r\n"));
  double rate = 0;
  double p50 = 0;
  for (const std::string& line : lines) {
    if (!absl::StartsWith(line, "GET: ") || !absl::StrContains(line, "requests per second")) {
      continue;
    }
    std::vector<std::string> words = absl::StrSplit(line, absl::ByAnyChar(" ,="));
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      if (words[i] == "GET:") (void)absl::SimpleAtod(words[i + 1], &rate);
      if (words[i] == "p50") (void)absl::SimpleAtod(words[i + 1], &p50);
    }
  }
  return {rate, p50 * 1000};
}

Organisation Milan() {
  Organisation org;
  org.set_name(kOrganisation);
  org.set_display_name("Città metropolitana di Milano");
  org.set_kind(Organisation::METROPOLITAN_AREA);
  org.set_country_code("IT");
  org.set_region("regions/europe");
  org.set_population(3214000);
  org.set_membership_state(Organisation::ACTIVE);
  return org;
}

int Run(int argc, char** argv) {
  absl::Duration seconds = absl::Seconds(10);
  int rounds = 10;
  bool rpc_phase = true;
  std::string placement = "one-cpu";
  std::vector<int> concurrency = {1, 8};
  std::string redis_url;
  std::string database_url;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    int n;
    if (absl::ConsumePrefix(&arg, "--seconds=") && absl::SimpleAtoi(arg, &n)) {
      seconds = absl::Seconds(n);
    } else if (absl::ConsumePrefix(&arg, "--rounds=") && absl::SimpleAtoi(arg, &n) && n > 0) {
      rounds = n;
    } else if (absl::ConsumePrefix(&arg, "--concurrency=")) {
      concurrency.clear();
      for (absl::string_view c : absl::StrSplit(arg, ',')) {
        if (absl::SimpleAtoi(c, &n) && n > 0) concurrency.push_back(n);
      }
    } else if (absl::ConsumePrefix(&arg, "--placement=") &&
               (arg == "one-cpu" || arg == "split" || arg == "os")) {
      placement = std::string(arg);
    } else if (arg == "--no-rpc") {
      rpc_phase = false;  // only the cache against redis-benchmark (for profiling)
    } else if (absl::ConsumePrefix(&arg, "--redis-url=")) {
      redis_url = std::string(arg);
    } else if (absl::ConsumePrefix(&arg, "--database-url=")) {
      database_url = std::string(arg);
    } else {
      std::cerr << "usage: " << argv[0]
                << " [--seconds=10] [--rounds=10] [--concurrency=1,8]"
                   " [--placement=one-cpu|split|os] [--no-rpc] [--redis-url=U]"
                   " [--database-url=U]\n";
      return 2;
    }
  }

  if (placement == "one-cpu") {
    // Before anything starts: the servers and every thread inherit it.
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    if (sched_setaffinity(0, sizeof(one), &one) != 0) placement = "os (pinning failed)";
  }
  std::unique_ptr<testing::RedisServer> redis_server;
  std::unique_ptr<testing::PostgresServer> postgres_server;
  if (redis_url.empty()) {
    auto started = testing::RedisServer::Start();
    if (!started.ok()) return std::cerr << started.status() << "\n", 1;
    redis_server = *std::move(started);
    redis_url = redis_server->Url();
  }
  if (database_url.empty()) {
    auto started = testing::PostgresServer::Start();
    if (!started.ok()) return std::cerr << started.status() << "\n", 1;
    postgres_server = *std::move(started);
    database_url = postgres_server->Url();
  }
  // Where the processes run. On a small VM the scheduler otherwise decides the figures: a
  // round trip between processes on one CPU costs two context switches (~14 µs here), one
  // that wakes an idle second vCPU costs ~50 µs, and which happens changes from run to run.
  //   one-cpu  everything on CPU 0 (the default): every hop costs the same, so the paths
  //            compare by what they do; concurrency 8 then shows CPU cost per call.
  //   split    Redis and PostgreSQL on the last CPU, this process on the others: the
  //            data tier on "another machine", each hop paying a cross-CPU wake-up.
  //   os       no pinning.
  int cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  if (placement == "split" && cpus >= 2 && redis_server != nullptr && postgres_server != nullptr) {
    cpu_set_t data_tier;
    CPU_ZERO(&data_tier);
    CPU_SET(cpus - 1, &data_tier);
    cpu_set_t service;
    CPU_ZERO(&service);
    for (int c = 0; c < cpus - 1; ++c) CPU_SET(c, &service);
    if (sched_setaffinity(redis_server->pid(), sizeof(data_tier), &data_tier) != 0 ||
        sched_setaffinity(postgres_server->pid(), sizeof(data_tier), &data_tier) != 0 ||
        sched_setaffinity(0, sizeof(service), &service) != 0) {
      placement = "os (split failed)";
    }
  } else if (placement == "split") {
    placement = "os (split needs 2 CPUs and servers started here)";
  }
  auto dir = testing::MakeTempDir("metrocap-bench");
  if (!dir.ok()) return std::cerr << dir.status() << "\n", 1;

  const store::ResourceSchema& organisations = membership::MembershipSchemas().organisations;
  auto sqlite = store::OpenSqliteStore(*dir + "/membership.db");
  store::PostgresOptions pg_options;
  pg_options.url = database_url;
  pg_options.pool_size = 16;
  auto postgres = store::OpenPostgresStore(pg_options);
  if (!sqlite.ok() || !postgres.ok()) {
    std::cerr << sqlite.status() << " / " << postgres.status() << "\n";
    return 1;
  }
  Organisation milan = Milan();
  for (store::Store* s : {sqlite->get(), postgres->get()}) {
    absl::Status ready = s->Migrate(membership::MembershipSchemas().All());
    if (ready.ok()) {
      ready = s->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
        if (tx.Get(organisations, kOrganisation).ok()) return absl::OkStatus();
        return tx.Insert(organisations, kOrganisation, milan).status();
      });
    }
    if (!ready.ok()) return std::cerr << ready << "\n", 1;
  }
  cache::CacheConfig in_process;
  auto local_client = cache::CacheClient::Create(in_process);
  cache::CacheConfig shared;
  shared.redis_url = redis_url;
  shared.local_capacity = 0;  // every lookup is a Redis GET
  auto redis_client = cache::CacheClient::Create(shared);
  if (!local_client.ok() || !redis_client.ok()) return 1;
  cache::LookupCache& local_cache = (*local_client)->Cache("organisations");
  cache::LookupCache& redis_cache = (*redis_client)->Cache("organisations");

  server::CallEnv env{"membership", identity::IdentityConfig{kCredential, ""}};
  BenchMembershipService service(
      env, {sqlite->get(), postgres->get(), &local_cache, &redis_cache, &organisations});
  server::ServerOptions options;
  options.reflection = false;
  auto grpc_server = server::GrpcServer::Start("membership", options, {&service});
  if (!grpc_server.ok()) return std::cerr << grpc_server.status() << "\n", 1;
  (*grpc_server)->SetServing(true);
  // The per-request JSON log lines are written, as in production, but not kept.
  int devnull = open("/dev/null", O_WRONLY);
  int saved_stderr = dup(STDERR_FILENO);
  dup2(devnull, STDERR_FILENO);

  auto channel = grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*grpc_server)->port()),
                                     grpc::InsecureChannelCredentials());
  auto stub = membership::v1::MembershipService::NewStub(channel);
  absl::Mutex failures_mu;
  std::map<std::string, int> failure_reasons;  // guarded by failures_mu
  auto rpc = [&](const char* path) {
    return [&, path](int) {
      grpc::ClientContext context;
      context.AddMetadata(kPathHeader, path);
      context.AddMetadata(identity::kCredentialKey, kCredential);
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
      membership::v1::GetOrganisationRequest request;
      request.set_name(kOrganisation);
      Organisation response;
      grpc::Status status = stub->GetOrganisation(&context, request, &response);
      if (!status.ok()) {
        absl::MutexLock lock(&failures_mu);
        ++failure_reasons[absl::StrCat(path, ": ", status.error_code(), " ",
                                       status.error_message())];
      }
      return status.ok();
    };
  };
  // Fill both caches so that the cached paths measure hits.
  rpc("local")(0);
  rpc("redis")(0);

  std::cout << "CPUs: " << cpus << "; placement: " << placement << "\n\n";
  std::cout << "| path | concurrency | calls/s | p50 µs | p99 µs | failed |\n"
            << "|---|---|---|---|---|---|\n";
  std::map<std::pair<std::string, int>, Figures> rpc_figures;
  const std::vector<const char*> paths = {"noop", "local", "redis", "sqlite", "postgres"};
  for (int c : rpc_phase ? concurrency : std::vector<int>{}) {
    std::vector<std::function<bool(int)>> ops;
    for (const char* path : paths) ops.push_back(rpc(path));
    std::vector<Figures> figures = Compare(c, seconds, rounds, ops);
    for (size_t i = 0; i < paths.size(); ++i) {
      rpc_figures[{paths[i], c}] = figures[i];
      Row(absl::StrCat("GetOrganisation via gRPC: ", paths[i]), c, figures[i]);
    }
  }

  // The cache's Redis path without gRPC, against redis-benchmark on the same server.
  absl::StatusOr<cache::RedisEndpoint> endpoint = cache::ParseRedisUrl(redis_url);
  std::string value = milan.SerializeAsString();
  auto raw = cache::RedisConnection::Open(*endpoint, absl::Seconds(1), absl::Seconds(1));
  if (!raw.ok()) return 1;
  (void)(*raw)->Command({"SET", "key:__rand_int__", value});  // what redis-benchmark GETs
  auto lookup = [&](int) {
    return redis_cache.GetOrLoad(kOrganisation, [] { return absl::StatusOr<std::string>(""); })
        .ok();
  };
  auto bare_get = [&](int) { return (*raw)->Command({"GET", "key:__rand_int__"}).ok(); };
  std::map<int, Figures> lookup_figures;
  std::map<int, std::pair<double, double>> ceiling;
  for (int c : concurrency) {
    // Interleaved: a slice of the cache's path, then a slice of redis-benchmark.
    std::vector<absl::Duration> samples;
    int64_t failures = 0;
    double bench_seconds = 0;
    int64_t bench_requests = 0;
    double bench_p50_sum = 0;
    absl::Duration slice = seconds / rounds;
    for (int r = 0; r < rounds; ++r) {
      size_t before = samples.size();
      failures += Sample(c, slice, lookup, &samples);
      double rate = (samples.size() - before) / absl::ToDoubleSeconds(slice);
      int requests = std::max<int>(5000, rate * absl::ToDoubleSeconds(slice));
      auto [bench_rate, bench_p50] = RedisBenchmark(*endpoint, c, value.size(), requests);
      if (bench_rate > 0) {
        bench_seconds += requests / bench_rate;
        bench_requests += requests;
        bench_p50_sum += bench_p50;
      }
    }
    std::sort(samples.begin(), samples.end());
    Figures f;
    f.per_second = samples.size() / absl::ToDoubleSeconds(seconds);
    f.p50 = samples[samples.size() / 2];
    f.p99 = samples[std::min(samples.size() - 1, samples.size() * 99 / 100)];
    f.failures = failures;
    lookup_figures[c] = f;
    ceiling[c] = {bench_seconds > 0 ? bench_requests / bench_seconds : 0, bench_p50_sum / rounds};
    Row("LookupCache::GetOrLoad, Redis hit (no gRPC)", c, f);
    std::cout << absl::StrFormat(
        "| redis-benchmark -t get -c %d -d %d (same Redis) | %d | %.0f | %.0f | - | - |\n", c,
        value.size(), c, ceiling[c].first, ceiling[c].second);
  }
  Row("bare hiredis GET, one connection", 1, Compare(1, seconds, rounds, {bare_get})[0]);

  (*grpc_server)->Shutdown();
  dup2(saved_stderr, STDERR_FILENO);
  std::cout << "\n";
  int c1 = concurrency.front();
  auto ratio = [&](const char* a, const char* b) {
    return absl::ToDoubleMicroseconds(rpc_figures[{a, c1}].p50) /
           absl::ToDoubleMicroseconds(rpc_figures[{b, c1}].p50);
  };
  std::cout << absl::StrFormat(
      "- Redis hit p50 / no-op p50 (concurrency %d): %.2fx (goal <= 1.3x)\n"
      "- in-process hit p50 / no-op p50: %.2fx\n"
      "- hiredis path / redis-benchmark GET rate (concurrency %d): %.2fx (goal >= 0.7x)\n"
      "- PostgreSQL p50 / Redis hit p50: %.2fx; PostgreSQL p50 - no-op p50: %.0f µs\n"
      "- SQLite p50 / Redis hit p50: %.2fx\n",
      c1, ratio("redis", "noop"), ratio("local", "noop"), c1,
      lookup_figures[c1].per_second / std::max(1.0, ceiling[c1].first), ratio("postgres", "redis"),
      absl::ToDoubleMicroseconds(rpc_figures[{"postgres", c1}].p50 - rpc_figures[{"noop", c1}].p50),
      ratio("sqlite", "redis"));
  for (const auto& [reason, count] : failure_reasons) {
    std::cout << "- failed calls: " << count << " x " << reason << "\n";
  }
  testing::RemoveTree(*dir);
  return 0;
}

}  // namespace
}  // namespace metrocap::bench

int main(int argc, char** argv) { return metrocap::bench::Run(argc, argv); }
