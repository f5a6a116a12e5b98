#pragma once

#include <functional>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/identity/caller.h"
#include "common/server/bootstrap.h"
#include "common/store/store.h"
#include "grpcpp/channel.h"
#include "metrocap/hubs/v1/hubs.pb.h"
#include "metrocap/roadmaps/v1/roadmaps.grpc.pb.h"
#include "services/hubs/core/delivery.h"

namespace metrocap::hubs {

struct DelivererConfig {
  // How often the deliverer looks for due deliveries (retries after a backoff, work left by
  // a process that stopped) when nothing wakes it.
  absl::Duration poll = absl::Seconds(1);
  // Insights handled per pass (the earliest due first).
  int batch = 50;
  Backoff backoff;
  // Deadline of each CreateRevisionProposal call.
  absl::Duration timeout = absl::Seconds(2);
};

// The insight outbox's deliverer (core/delivery.h has the rules): creates the revision
// proposal of each due delivery on its roadmap with roadmaps' CreateRevisionProposal
// (request id DeliveryRequestId, proposal id ProposalId, the insight's summary, source,
// capacities and sourceTitle as origin), as the internal caller, and records the outcome on
// the insight by replacing it at the version it read. When another writer (a second
// replica's deliverer) recorded first, the replace is ABORTED and the outcome dropped: the
// next pass re-reads, and a repeated attempt only gets roadmaps' recorded answer back, so no
// proposal is created twice.
//
// Runs on a thread of its own between Start and Stop: a pass right after Wake (hubs calls it
// when a publish commits) and otherwise every `poll`.
class Deliverer final : public server::BackgroundTask {
 public:
  using Clock = std::function<absl::Time()>;
  // `store` (migrated with HubsSchemas()) must outlive this. `identity` is this service's
  // internal credential, without which roadmaps refuses every call (UNAUTHENTICATED, retried).
  Deliverer(store::Store* store, std::shared_ptr<grpc::ChannelInterface> roadmaps,
            identity::IdentityConfig identity, DelivererConfig config, Clock clock = absl::Now);
  ~Deliverer() override;

  // One pass: every due delivery of up to `batch` insights, earliest first, each attempted
  // once. Returns how many attempts were made; an error when the store cannot be read.
  absl::StatusOr<int> DeliverDue();

  void Start() override;
  void Stop() override;
  // Asks for a pass now (from any thread; cheap).
  void Wake();

 private:
  // Attempts the due deliveries of `insight` and records the outcomes; returns the number
  // of attempts.
  int DeliverInsight(v1::Insight insight);
  // Creates (or gets back) the proposal of `insight` on `roadmap`: its name.
  absl::StatusOr<std::string> Propose(const v1::Insight& insight, const std::string& roadmap);
  void Run();

  store::Store* store_;
  std::unique_ptr<roadmaps::v1::RoadmapService::Stub> roadmaps_;
  identity::IdentityConfig identity_;
  DelivererConfig config_;
  Clock clock_;

  absl::Mutex mu_;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace metrocap::hubs
