// HubService: sessions. Organisers and participants must exist in membership, the plan in
// roadmaps with every outcome code, every challenge code in the plan's taxonomy, and every
// capacity in the hub's framework (assessment); checked on create and update, outside any
// transaction: a refusal writes nothing.
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/hubs/core/session_rules.h"
#include "services/hubs/service.h"

namespace metrocap::hubs {

resource::Declaration<v1::Session> HubService::SessionDeclaration() const {
  resource::Declaration<v1::Session> d;
  d.collection = "hubs/{hub}/sessions";
  d.list_across_parents = true;
  d.schema = &schemas_.sessions;
  d.derive_id_from = "title";
  d.writable = resource::ForEveryCaller({"title", "description", "format", "mode", "start_time",
                                         "end_time", "organisers", "participants", "alliances",
                                         "plan", "outcome_codes", "challenge_codes", "capacities"});
  d.validate = [](const v1::Session& session) { return ValidateSession(session, "session"); };
  d.may_write = [this](const identity::Caller& caller, const resource::WriteTarget& target) {
    return MayWriteHubContent(caller, target.parent);
  };
  // hub and outcomeScope are derived on every write, create and update alike.
  d.complete = [](const server::Call&, store::Transaction&, v1::Session& session) {
    DeriveSessionFields(session);
    return absl::OkStatus();
  };
  d.check_outside = [this](const server::Call& call, const v1::Session& session) {
    RETURN_IF_ERROR(
        CheckEach(call, peers_->organisations, "session.organisers", session.organisers()));
    RETURN_IF_ERROR(
        CheckEach(call, peers_->organisations, "session.participants", session.participants()));
    RETURN_IF_ERROR(CheckCapacities(call, "session.capacities", store::ParentOf(session.name()),
                                    session.capacities()));
    return CheckCodes(call, session);
  };
  return d;
}

absl::Status HubService::CheckCodes(const server::Call& call, const v1::Session& session) const {
  if (session.plan().empty()) return absl::OkStatus();
  absl::StatusOr<roadmaps::v1::Plan> plan = peers_->plans.Get(call, session.plan());
  if (absl::IsNotFound(plan.status())) {
    return InvalidField("session.plan", absl::StrCat(session.plan(), " is not a plan in roadmaps"));
  }
  RETURN_IF_ERROR(plan.status());
  absl::flat_hash_set<std::string> codes;
  for (const roadmaps::v1::ActionLine& line : plan->action_lines()) {
    codes.insert(line.code());
    for (const roadmaps::v1::PlanAction& action : line.actions()) {
      codes.insert(action.code());
      for (const roadmaps::v1::Deliverable& d : action.deliverables()) codes.insert(d.code());
    }
  }
  std::vector<FieldViolation> bad;
  for (int i = 0; i < session.outcome_codes_size(); ++i) {
    if (!codes.contains(session.outcome_codes(i))) {
      bad.push_back({absl::StrCat("session.outcomeCodes[", i, "]"),
                     absl::StrCat(session.outcome_codes(i), " is not a code of ", plan->name())});
    }
  }
  if (!session.challenge_codes().empty()) {
    absl::flat_hash_set<std::string> challenges;
    if (plan->taxonomy().empty()) {
      bad.push_back({"session.challengeCodes",
                     absl::StrCat(plan->name(), " names no taxonomy to take challenges from")});
    } else {
      absl::StatusOr<roadmaps::v1::Taxonomy> taxonomy =
          peers_->taxonomies.Get(call, plan->taxonomy());
      RETURN_IF_ERROR(taxonomy.status());
      for (const roadmaps::v1::Challenge& c : taxonomy->challenges()) challenges.insert(c.code());
      for (int i = 0; i < session.challenge_codes_size(); ++i) {
        if (!challenges.contains(session.challenge_codes(i))) {
          bad.push_back({absl::StrCat("session.challengeCodes[", i, "]"),
                         absl::StrCat(session.challenge_codes(i), " is not a challenge of ",
                                      plan->taxonomy())});
        }
      }
    }
  }
  return bad.empty() ? absl::OkStatus() : InvalidFields(bad);
}

grpc::Status HubService::GetSession(grpc::ServerContext* c, const v1::GetSessionRequest* r,
                                    v1::Session* out) {
  return sessions_.Get(c, r, out);
}
grpc::Status HubService::ListSessions(grpc::ServerContext* c, const v1::ListSessionsRequest* r,
                                      v1::ListSessionsResponse* out) {
  return sessions_.List(c, r, out);
}
grpc::Status HubService::CreateSession(grpc::ServerContext* c, const v1::CreateSessionRequest* r,
                                       v1::Session* out) {
  return sessions_.Create(c, r, out);
}
grpc::Status HubService::UpdateSession(grpc::ServerContext* c, const v1::UpdateSessionRequest* r,
                                       v1::Session* out) {
  return sessions_.Update(c, r, out);
}
grpc::Status HubService::DeleteSession(grpc::ServerContext* c, const v1::DeleteSessionRequest* r,
                                       google::protobuf::Empty* out) {
  return sessions_.Delete(c, r, out);
}

}  // namespace metrocap::hubs
