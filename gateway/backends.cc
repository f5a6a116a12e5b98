#include "gateway/backends.h"

#include <atomic>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/server/channel.h"

namespace metrocap::gateway {
namespace {

// grpc.health.v1.HealthCheckResponse is `ServingStatus status = 1;` and SERVING is 1, so a
// serving answer is exactly the two bytes 08 01. Decoding it by hand spares a copy of the
// health proto that would clash with the one inside libgrpc++.
bool IsServing(const grpc::ByteBuffer& response) {
  grpc::Slice slice;
  if (!response.TrySingleSlice(&slice).ok()) {
    if (!response.DumpToSingleSlice(&slice).ok()) return false;
  }
  return slice.size() == 2 && slice.begin()[0] == 0x08 && slice.begin()[1] == 0x01;
}

}  // namespace

Backends::Backends(const std::vector<BackendConfig>& configs) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const BackendConfig& config : configs) {
    const auto* service = pool->FindServiceByName(config.service);
    if (service == nullptr) {
      missing_.push_back(config.service);
      continue;
    }
    auto backend = std::make_unique<Backend>();
    backend->name = config.name;
    backend->address = config.address;
    backend->service = service;
    if (!config.address.empty()) {
      backend->channel = server::OpenPeerChannel(config.address);
      backend->stub = std::make_unique<grpc::GenericStub>(backend->channel);
    }
    by_service_[service->full_name()] = backend.get();
    backends_.push_back(std::move(backend));
  }
}

const Backend* Backends::ForService(absl::string_view service) const {
  auto it = by_service_.find(service);
  return it == by_service_.end() ? nullptr : it->second;
}

const Backend* Backends::ForMethodPath(absl::string_view path) const {
  if (!absl::ConsumePrefix(&path, "/")) return nullptr;
  size_t slash = path.find('/');
  if (slash == absl::string_view::npos) return nullptr;
  return ForService(path.substr(0, slash));
}

std::vector<const google::protobuf::ServiceDescriptor*> Backends::Services() const {
  std::vector<const google::protobuf::ServiceDescriptor*> services;
  for (const auto& backend : backends_) services.push_back(backend->service);
  return services;
}

void Backends::CheckHealth(
    absl::Duration timeout,
    std::function<void(std::vector<std::pair<std::string, bool>>)> done) const {
  struct Round {
    absl::Mutex mu;
    std::vector<std::pair<std::string, bool>> results;
    std::atomic<int> pending{0};
    std::function<void(std::vector<std::pair<std::string, bool>>)> done;
    void Finish() {
      if (--pending == 0) done(std::move(results));
    }
  };
  auto round = std::make_shared<Round>();
  round->done = std::move(done);
  for (const auto& backend : backends_) round->results.emplace_back(backend->name, false);
  round->pending = static_cast<int>(backends_.size()) + 1;
  static const std::string kCheck = "/grpc.health.v1.Health/Check";
  for (size_t i = 0; i < backends_.size(); ++i) {
    const Backend& backend = *backends_[i];
    if (backend.stub == nullptr) {
      round->Finish();
      continue;
    }
    struct Call {
      grpc::ClientContext context;
      grpc::ByteBuffer request, response;
      std::shared_ptr<void> hold;
    };
    auto call = std::make_shared<Call>();
    call->hold = Hold();
    grpc::Slice empty;  // HealthCheckRequest{service: ""} encodes to no bytes.
    call->request = grpc::ByteBuffer(&empty, 1);
    call->context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    backend.stub->UnaryCall(&call->context, kCheck, grpc::StubOptions(), &call->request,
                            &call->response, [round, call, i](grpc::Status status) {
                              bool serving = status.ok() && IsServing(call->response);
                              {
                                absl::MutexLock lock(&round->mu);
                                round->results[i].second = serving;
                              }
                              round->Finish();
                            });
  }
  round->Finish();
}

std::shared_ptr<void> Backends::Hold() const {
  ++*in_flight_;
  return std::shared_ptr<void>(nullptr, [count = in_flight_](void*) { --*count; });
}

bool Backends::WaitIdle(absl::Time deadline) const {
  while (in_flight_->load() > 0) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(5));
  }
  return true;
}

}  // namespace metrocap::gateway
