// metrocap-gateway-loadgen: a closed-loop gRPC load generator for the gateway benchmark.
// Keeps `--concurrency` GetOrganisation calls in flight (each completion issues the next,
// on gRPC's callback API, so a handful of threads drive any concurrency), discards a warm-up,
// then prints one JSON line: {"qps":..,"p50_us":..,"p99_us":..,"ok":..,"errors":..}.
//
//   metrocap-gateway-loadgen --target=127.0.0.1:9090 --key=<bearer> \
//       --name=organisations/milan --concurrency=16 --seconds=8 --warmup=2
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

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
};

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
    else {
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
  absl::SleepFor(measure_until - absl::Now());
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
      "{\"qps\":%.1f,\"p50_us\":%u,\"p99_us\":%u,\"ok\":%zu,\"errors\":%lld,\"concurrency\":%d}\n",
      all.size() / options.seconds, percentile(0.50), percentile(0.99), all.size(),
      static_cast<long long>(errors), options.concurrency);
  if (errors > 0) std::fprintf(stderr, "last error: %s\n", last_error.c_str());
  return all.empty() ? 1 : 0;
}
