// metrocap-gateway-loadgen: a closed-loop gRPC load generator for the gateway benchmark.
// Keeps `--concurrency` GetOrganisation calls in flight (each completion issues the next,
// on gRPC's callback API, so a handful of threads drive any concurrency), discards a warm-up,
// then prints one JSON line: {"qps":..,"p50_us":..,"p99_us":..,"ok":..,"errors":..,
// "cpu_us":..}. `cpu_us` is the CPU time (utime+stime, all threads) that the processes named
// by `--cpu-pids` spent inside the measurement window only: the warm-up is not counted.
//
//   metrocap-gateway-loadgen --target=127.0.0.1:9090 --key=<bearer>
//       --name=organisations/milan --concurrency=16 --seconds=8 --warmup=2 --cpu-pids=12,34
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/support/channel_arguments.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"

namespace {

using metrocap::membership::v1::GetOrganisationRequest;
using metrocap::membership::v1::MembershipService;
using metrocap::membership::v1::Organisation;

struct Options {
  std::string target = "127.0.0.1:9090";
  std::string key;
  std::string name = "organisations/milan";
  int concurrency = 1;
  int channels = 2;
  double seconds = 8;
  double warmup = 2;
  std::vector<int> cpu_pids;
};

// utime+stime of every thread of the processes, in microseconds (0 for a vanished one).
int64_t CpuMicros(const std::vector<int>& pids) {
  static const int64_t ticks = sysconf(_SC_CLK_TCK);
  int64_t total = 0;
  for (int pid : pids) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Fields after the command name, which may hold spaces: state is field 3, utime 14.
    size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(absl::string_view(stat).substr(close + 2), ' ');
    int64_t utime = 0, stime = 0;
    if (fields.size() > 12 && absl::SimpleAtoi(fields[11], &utime) &&
        absl::SimpleAtoi(fields[12], &stime)) {
      total += (utime + stime) * 1000000 / ticks;
    }
  }
  return total;
}

// One closed loop: at most one call in flight.
struct Loop {
  MembershipService::Stub* stub;
  const Options* options;
  std::atomic<bool>* running;
  absl::Time measure_from, measure_until;
  std::unique_ptr<grpc::ClientContext> context;
  GetOrganisationRequest request;
  Organisation response;
  absl::Time start;
  std::vector<uint32_t> micros;  // Latencies inside the measurement window.
  int64_t errors = 0;
  std::string last_error;
  absl::Notification* stopped;

  void Issue() {
    context = std::make_unique<grpc::ClientContext>();
    if (!options->key.empty()) context->AddMetadata("authorization", "Bearer " + options->key);
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    start = absl::Now();
    stub->async()->GetOrganisation(context.get(), &request, &response,
                                   [this](grpc::Status status) { Done(status); });
  }

  void Done(const grpc::Status& status) {
    absl::Time end = absl::Now();
    if (end >= measure_from && end < measure_until) {
      if (status.ok()) {
        micros.push_back(static_cast<uint32_t>(absl::ToInt64Microseconds(end - start)));
      } else {
        ++errors;
        last_error = status.error_message();
      }
    }
    if (running->load() && end < measure_until) {
      Issue();
    } else {
      stopped->Notify();
    }
  }
};

bool Flag(const char* arg, const char* name, std::string* value) {
  size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  *value = arg + n + 1;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string v;
    if (Flag(argv[i], "--target", &v))
      options.target = v;
    else if (Flag(argv[i], "--key", &v))
      options.key = v;
    else if (Flag(argv[i], "--name", &v))
      options.name = v;
    else if (Flag(argv[i], "--concurrency", &v))
      options.concurrency = std::stoi(v);
    else if (Flag(argv[i], "--channels", &v))
      options.channels = std::stoi(v);
    else if (Flag(argv[i], "--seconds", &v))
      options.seconds = std::stod(v);
    else if (Flag(argv[i], "--warmup", &v))
      options.warmup = std::stod(v);
    else if (Flag(argv[i], "--cpu-pids", &v)) {
      for (absl::string_view pid : absl::StrSplit(v, ',', absl::SkipEmpty())) {
        int n = 0;
        if (!absl::SimpleAtoi(pid, &n)) {
          std::fprintf(stderr, "bad --cpu-pids %s\n", v.c_str());
          return 2;
        }
        options.cpu_pids.push_back(n);
      }
    } else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  std::vector<std::unique_ptr<MembershipService::Stub>> stubs;
  for (int i = 0; i < std::max(1, options.channels); ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // One connection per channel.
    args.SetInt("metrocap.loadgen.channel", i);
    stubs.push_back(MembershipService::NewStub(
        grpc::CreateCustomChannel(options.target, grpc::InsecureChannelCredentials(), args)));
  }
  std::atomic<bool> running{true};
  absl::Time now = absl::Now();
  absl::Time measure_from = now + absl::Seconds(options.warmup);
  absl::Time measure_until = measure_from + absl::Seconds(options.seconds);
  std::vector<std::unique_ptr<Loop>> loops;
  std::vector<std::unique_ptr<absl::Notification>> stopped;
  for (int i = 0; i < options.concurrency; ++i) {
    stopped.push_back(std::make_unique<absl::Notification>());
    auto loop = std::make_unique<Loop>();
    loop->stub = stubs[i % stubs.size()].get();
    loop->options = &options;
    loop->running = &running;
    loop->measure_from = measure_from;
    loop->measure_until = measure_until;
    loop->request.set_name(options.name);
    loop->stopped = stopped.back().get();
    loops.push_back(std::move(loop));
  }
  for (auto& loop : loops) loop->Issue();
  absl::SleepFor(measure_from - absl::Now());
  int64_t cpu_from = CpuMicros(options.cpu_pids);
  absl::SleepFor(measure_until - absl::Now());
  int64_t cpu_us = CpuMicros(options.cpu_pids) - cpu_from;
  running = false;
  for (auto& s : stopped) s->WaitForNotification();

  std::vector<uint32_t> all;
  int64_t errors = 0;
  std::string last_error;
  for (auto& loop : loops) {
    all.insert(all.end(), loop->micros.begin(), loop->micros.end());
    errors += loop->errors;
    if (!loop->last_error.empty()) last_error = loop->last_error;
  }
  std::sort(all.begin(), all.end());
  auto percentile = [&](double p) -> uint32_t {
    if (all.empty()) return 0;
    return all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  std::printf(
      "{\"qps\":%.1f,\"p50_us\":%u,\"p99_us\":%u,\"ok\":%zu,\"errors\":%lld,"
      "\"concurrency\":%d,\"cpu_us\":%lld}\n",
      all.size() / options.seconds, percentile(0.50), percentile(0.99), all.size(),
      static_cast<long long>(errors), options.concurrency, static_cast<long long>(cpu_us));
  if (errors > 0) std::fprintf(stderr, "last error: %s\n", last_error.c_str());
  return all.empty() ? 1 : 0;
}
