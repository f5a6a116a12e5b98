// HubService: pilots and their state machine (core/pilot_lifecycle.h). The lead, partners
// and replications must exist in membership, capacities in the hub's framework (checked
// outside any transaction on create, update and :replicate: a refusal writes nothing).
#include "common/status/status_macros.h"
#include "services/hubs/core/pilot_lifecycle.h"
#include "services/hubs/service.h"

namespace metrocap::hubs {

resource::Declaration<v1::Pilot> HubService::PilotDeclaration() const {
  resource::Declaration<v1::Pilot> d;
  d.collection = "hubs/{hub}/pilots";
  d.list_across_parents = true;
  d.schema = &schemas_.pilots;
  d.derive_id_from = "title";
  d.writable = resource::ForEveryCaller({"title", "description", "lead", "partners", "capacities"});
  d.validate = [](const v1::Pilot& pilot) { return ValidatePilot(pilot, "pilot"); };
  d.may_write = [this](const identity::Caller& caller, const resource::WriteTarget& target) {
    return MayWriteHubContent(caller, target.parent);
  };
  d.prepare = [](const server::Call&, v1::Pilot& pilot) {
    InitPilot(pilot);
    return absl::OkStatus();
  };
  d.check_outside = [this](const server::Call& call, const v1::Pilot& pilot) {
    RETURN_IF_ERROR(CheckOne(call, peers_->organisations, "pilot.lead", pilot.lead()));
    RETURN_IF_ERROR(CheckEach(call, peers_->organisations, "pilot.partners", pilot.partners()));
    return CheckCapacities(call, "pilot.capacities", store::ParentOf(pilot.name()),
                           pilot.capacities());
  };
  return d;
}

grpc::Status HubService::GetPilot(grpc::ServerContext* c, const v1::GetPilotRequest* r,
                                  v1::Pilot* out) {
  return pilots_.Get(c, r, out);
}
grpc::Status HubService::ListPilots(grpc::ServerContext* c, const v1::ListPilotsRequest* r,
                                    v1::ListPilotsResponse* out) {
  return pilots_.List(c, r, out);
}
grpc::Status HubService::CreatePilot(grpc::ServerContext* c, const v1::CreatePilotRequest* r,
                                     v1::Pilot* out) {
  return pilots_.Create(c, r, out);
}
grpc::Status HubService::UpdatePilot(grpc::ServerContext* c, const v1::UpdatePilotRequest* r,
                                     v1::Pilot* out) {
  return pilots_.Update(c, r, out);
}
grpc::Status HubService::DeletePilot(grpc::ServerContext* c, const v1::DeletePilotRequest* r,
                                     google::protobuf::Empty* out) {
  return pilots_.Delete(c, r, out);
}
grpc::Status HubService::StartPilot(grpc::ServerContext* c, const v1::StartPilotRequest* r,
                                    v1::Pilot* out) {
  return pilots_.Transition(c, r, out,
                            [&](const server::Call&, v1::Pilot& p) { return Start(p, clock_()); });
}
grpc::Status HubService::EvaluatePilot(grpc::ServerContext* c, const v1::EvaluatePilotRequest* r,
                                       v1::Pilot* out) {
  return pilots_.Transition(c, r, out, [&](const server::Call&, v1::Pilot& p) {
    return Evaluate(p, r->evaluation(), clock_());
  });
}
// The replications must exist in membership: asked outside the write transaction, so no
// lock is held while membership answers.
grpc::Status HubService::ReplicatePilot(grpc::ServerContext* c, const v1::ReplicatePilotRequest* r,
                                        v1::Pilot* out) {
  return pilots_.Transition(
      c, r, out, [&](const server::Call&, v1::Pilot& p) { return Replicate(p, r->replications()); },
      nullptr,
      [&](const server::Call& call, const v1::Pilot&) {
        return CheckEach(call, peers_->organisations, "replications", r->replications());
      });
}
grpc::Status HubService::ScalePilot(grpc::ServerContext* c, const v1::ScalePilotRequest* r,
                                    v1::Pilot* out) {
  return pilots_.Transition(c, r, out,
                            [&](const server::Call&, v1::Pilot& p) { return Scale(p, clock_()); });
}
grpc::Status HubService::StopPilot(grpc::ServerContext* c, const v1::StopPilotRequest* r,
                                   v1::Pilot* out) {
  return pilots_.Transition(
      c, r, out, [&](const server::Call&, v1::Pilot& p) { return Stop(p, r->reason(), clock_()); });
}

}  // namespace metrocap::hubs
