#include "services/hubs/deliverer.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "common/resource/crud.h"
#include "common/server/call.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "services/hubs/storage/outbox.h"
#include "services/hubs/storage/schemas.h"

namespace metrocap::hubs {

Deliverer::Deliverer(store::Store* store, std::shared_ptr<grpc::ChannelInterface> roadmaps,
                     identity::IdentityConfig identity, DelivererConfig config, Clock clock)
    : store_(store),
      roadmaps_(roadmaps::v1::RoadmapService::NewStub(std::move(roadmaps))),
      identity_(std::move(identity)),
      config_(config),
      clock_(std::move(clock)) {}

Deliverer::~Deliverer() {
  if (thread_.joinable()) Stop();
}

absl::StatusOr<int> Deliverer::DeliverDue() {
  std::vector<v1::Insight> due;
  {
    ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                     store_->Begin(store::Store::Access::kReadOnly));
    ASSIGN_OR_RETURN(due, DueInsights(*tx, clock_(), config_.batch));
  }
  int attempts = 0;
  for (v1::Insight& insight : due) attempts += DeliverInsight(std::move(insight));
  return attempts;
}

int Deliverer::DeliverInsight(v1::Insight insight) {
  int attempts = 0;
  const absl::Time now = clock_();
  for (v1::Delivery& delivery : *insight.mutable_deliveries()) {
    if (!IsDue(delivery, now)) continue;
    ++attempts;
    absl::StatusOr<std::string> proposal = Propose(insight, delivery.roadmap());
    if (proposal.ok()) {
      RecordDelivered(delivery, *proposal, clock_());
    } else {
      RecordFailure(delivery, proposal.status(), clock_(), config_.backoff);
    }
  }
  if (attempts == 0) return 0;
  RefreshNextDeliveryTime(insight);
  const std::string name = insight.name();
  absl::Status recorded = store_->RunInTransaction([&](store::Transaction& tx) {
    return resource::Replace(tx, HubsSchemas().insights, insight).status();
  });
  if (absl::IsAborted(recorded)) {
    // Another deliverer recorded first; the next pass re-reads what is left.
    log::Event("info", "hubs", "delivery recorded by another writer",
               {{"insight", name}, {"error", std::string(recorded.message())}});
  } else if (!recorded.ok()) {
    log::Event("warning", "hubs", "delivery outcome not recorded",
               {{"insight", name}, {"error", std::string(recorded.message())}});
  }
  return attempts;
}

absl::StatusOr<std::string> Deliverer::Propose(const v1::Insight& insight,
                                               const std::string& roadmap) {
  roadmaps::v1::CreateRevisionProposalRequest request;
  request.set_parent(roadmap);
  request.set_proposal_id(ProposalId(insight.name()));
  request.set_request_id(DeliveryRequestId(insight.name(), roadmap));
  roadmaps::v1::RevisionProposal* proposal = request.mutable_proposal();
  proposal->set_summary(insight.summary());
  proposal->set_source(insight.name());
  proposal->mutable_origin()->set_name(insight.source());
  proposal->mutable_origin()->set_title(insight.source_title());
  *proposal->mutable_capacities() = insight.capacities();

  // The internal caller (what the credential alone stands for), so every replica and every
  // restart is the same caller to roadmaps' request-id table.
  server::Call call;
  call.caller = {"internal", membership::v1::Partner::ADMIN, {}};
  call.request_id = request.request_id();
  grpc::ClientContext context;
  call.Propagate(identity_, &context, config_.timeout);
  roadmaps::v1::RevisionProposal created;
  grpc::Status status = roadmaps_->CreateRevisionProposal(&context, request, &created);
  if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
    // Roadmaps forgets request ids after 24 hours: a proposal this delivery created before
    // (hubs stopped for longer between the call and recording it) is found by its id.
    roadmaps::v1::GetRevisionProposalRequest get;
    get.set_name(absl::StrCat(roadmap, "/proposals/", request.proposal_id()));
    grpc::ClientContext get_context;
    call.Propagate(identity_, &get_context, config_.timeout);
    roadmaps::v1::RevisionProposal existing;
    if (roadmaps_->GetRevisionProposal(&get_context, get, &existing).ok() &&
        existing.source() == insight.name()) {
      return existing.name();
    }
  }
  if (!status.ok()) return FromGrpcStatus(status);
  return created.name();
}

void Deliverer::Start() {
  absl::MutexLock lock(&mu_);
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void Deliverer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Deliverer::Wake() {
  absl::MutexLock lock(&mu_);
  woken_ = true;
}

void Deliverer::Run() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      auto woken_or_stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return woken_ || stopping_;
      };
      mu_.AwaitWithTimeout(absl::Condition(&woken_or_stopping), config_.poll);
      if (stopping_) return;
      woken_ = false;
    }
    absl::StatusOr<int> pass = DeliverDue();
    if (!pass.ok()) {
      log::Event("warning", "hubs", "deliverer cannot read the outbox",
                 {{"error", std::string(pass.status().message())}});
    }
  }
}

}  // namespace metrocap::hubs
