// HubService: sessions. Organisers and participants must exist in membership (checked on
// create, outside any transaction: a refusal writes nothing).
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
  d.complete = [](store::Transaction&, v1::Session& session) {
    DeriveSessionFields(session);
    return absl::OkStatus();
  };
  d.check_outside = [this](const server::Call& call, const v1::Session& session) {
    RETURN_IF_ERROR(CheckOrganisations(call, "session.organisers", session.organisers()));
    return CheckOrganisations(call, "session.participants", session.participants());
  };
  return d;
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
