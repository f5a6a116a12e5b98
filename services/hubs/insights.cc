// HubService: insights and :publish, which records the outbox (core/delivery.h) in the same
// transaction. The deliverer that empties it is still to come (docs/hubs.md).
#include "absl/strings/str_cat.h"
#include "common/resource/crud.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/hubs/core/delivery.h"
#include "services/hubs/core/hub_rules.h"
#include "services/hubs/service.h"

namespace metrocap::hubs {
namespace {

// The title of the insight's source, a session or a pilot of this store: INVALID_ARGUMENT
// naming insight.source when there is none.
absl::StatusOr<std::string> SourceTitle(store::Transaction& tx, const Schemas& schemas,
                                        const std::string& source) {
  const bool session = source.find("/sessions/") != std::string::npos;
  absl::StatusOr<std::string> title;
  if (session) {
    absl::StatusOr<v1::Session> found = resource::Get<v1::Session>(tx, schemas.sessions, source);
    title = found.ok() ? absl::StatusOr<std::string>(found->title()) : found.status();
  } else {
    absl::StatusOr<v1::Pilot> found = resource::Get<v1::Pilot>(tx, schemas.pilots, source);
    title = found.ok() ? absl::StatusOr<std::string>(found->title()) : found.status();
  }
  if (absl::IsNotFound(title.status())) {
    return InvalidField("insight.source", absl::StrCat(source, " does not exist"));
  }
  return title;
}

}  // namespace

resource::Declaration<v1::Insight> HubService::InsightDeclaration() const {
  resource::Declaration<v1::Insight> d;
  d.collection = "hubs/{hub}/insights";
  d.list_across_parents = true;
  d.schema = &schemas_.insights;
  d.derive_id_from = "summary";
  d.writable = resource::ForEveryCaller({"summary", "source", "capacities", "target_roadmaps"});
  d.validate = [](const v1::Insight& insight) { return ValidateInsight(insight, "insight"); };
  d.may_write = [this](const identity::Caller& caller, const resource::WriteTarget& target) {
    return MayWriteHubContent(caller, target.parent);
  };
  d.prepare = [](const server::Call&, v1::Insight& insight) {
    InitInsight(insight);
    return absl::OkStatus();
  };
  d.complete = [this](const server::Call&, store::Transaction& tx,
                      v1::Insight& insight) -> absl::Status {
    RETURN_IF_ERROR(ValidateInsight(insight, "insight"));
    return SourceTitle(tx, schemas_, insight.source()).status();
  };
  // Capacities in the hub's framework (assessment), target roadmaps in roadmaps.
  d.check_outside = [this](const server::Call& call, const v1::Insight& insight) {
    RETURN_IF_ERROR(CheckCapacities(call, "insight.capacities", store::ParentOf(insight.name()),
                                    insight.capacities()));
    return CheckEach(call, peers_->roadmaps, "insight.targetRoadmaps", insight.target_roadmaps());
  };
  d.before_update = [](const server::Call&, store::Transaction&, const v1::Insight& current) {
    return CheckInsightEditable(current);
  };
  d.before_delete = d.before_update;
  return d;
}

grpc::Status HubService::GetInsight(grpc::ServerContext* c, const v1::GetInsightRequest* r,
                                    v1::Insight* out) {
  return insights_.Get(c, r, out);
}
grpc::Status HubService::ListInsights(grpc::ServerContext* c, const v1::ListInsightsRequest* r,
                                      v1::ListInsightsResponse* out) {
  return insights_.List(c, r, out);
}
grpc::Status HubService::CreateInsight(grpc::ServerContext* c, const v1::CreateInsightRequest* r,
                                       v1::Insight* out) {
  return insights_.Create(c, r, out);
}
grpc::Status HubService::UpdateInsight(grpc::ServerContext* c, const v1::UpdateInsightRequest* r,
                                       v1::Insight* out) {
  return insights_.Update(c, r, out);
}
grpc::Status HubService::DeleteInsight(grpc::ServerContext* c, const v1::DeleteInsightRequest* r,
                                       google::protobuf::Empty* out) {
  return insights_.Delete(c, r, out);
}

// DRAFT -> PUBLISHED with one PENDING delivery per target, in the transaction that stores
// it; the source's title is taken now, for the proposals' origin.
grpc::Status HubService::PublishInsight(grpc::ServerContext* c, const v1::PublishInsightRequest* r,
                                        v1::Insight* out) {
  return insights_.Transition(c, r, out, [&](const server::Call&, v1::Insight& insight) {
    if (insight.state() == v1::Insight::PUBLISHED) return absl::OkStatus();
    ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                     store_->Begin(store::Store::Access::kReadOnly));
    ASSIGN_OR_RETURN(std::string title, SourceTitle(*tx, schemas_, insight.source()));
    insight.set_source_title(std::move(title));
    bool changed = false;
    return Publish(insight, clock_(), &changed);
  });
}

}  // namespace metrocap::hubs
