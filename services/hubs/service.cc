// HubService: construction, the shared write rule and capacity check, and hubs.
// Reads need any authenticated caller; writes need ADMIN or a PARTNER granted the hub's
// host (a hub's host itself only an ADMIN may change).
#include "services/hubs/service.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/identity/access.h"
#include "common/resource/crud.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/hubs/core/hub_rules.h"

namespace metrocap::hubs {

HubService::HubService(server::CallEnv env, store::Store* store, Peers* peers,
                       std::string page_token_key, Clock clock, cache::CacheClient* cache)
    : store_(store),
      peers_(peers),
      clock_(std::move(clock)),
      schemas_(HubsSchemas()),
      shared_{std::move(env), store, std::move(page_token_key), cache},
      hubs_(HubDeclaration(), &shared_),
      sessions_(SessionDeclaration(), &shared_),
      pilots_(PilotDeclaration(), &shared_),
      insights_(InsightDeclaration(), &shared_) {}

absl::Status HubService::MayWriteHubContent(const identity::Caller& caller,
                                            absl::string_view hub) const {
  if (caller.IsAdmin()) return absl::OkStatus();
  ASSIGN_OR_RETURN(v1::Hub stored, resource::Load<v1::Hub>(*store_, schemas_.hubs, hub));
  return identity::RequireWriteFor(caller, stored.host());
}

absl::Status HubService::CheckCapacities(
    const server::Call& call, absl::string_view field, absl::string_view hub,
    const google::protobuf::RepeatedPtrField<std::string>& capacities) const {
  if (capacities.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(v1::Hub stored, resource::Load<v1::Hub>(*store_, schemas_.hubs, hub));
  const std::string framework =
      stored.framework().empty() ? std::string(kDefaultFramework) : stored.framework();
  absl::StatusOr<assessment::v1::Framework> found = peers_->frameworks.Get(call, framework);
  if (absl::IsNotFound(found.status())) {
    return InvalidField(field, absl::StrCat(found.status().message(), ", so the capacities of ",
                                            hub, " cannot be checked"));
  }
  RETURN_IF_ERROR(found.status());
  absl::flat_hash_set<std::string> ids;
  for (const assessment::v1::Capacity& capacity : found->capacities()) ids.insert(capacity.id());
  std::vector<FieldViolation> unknown;
  for (int i = 0; i < capacities.size(); ++i) {
    if (!ids.contains(capacities[i])) {
      unknown.push_back({absl::StrCat(field, "[", i, "]"),
                         absl::StrCat(capacities[i], " is not a capacity of ", framework)});
    }
  }
  return unknown.empty() ? absl::OkStatus() : InvalidFields(unknown);
}

resource::Declaration<v1::Hub> HubService::HubDeclaration() const {
  resource::Declaration<v1::Hub> d;
  d.collection = "hubs";
  d.schema = &schemas_.hubs;
  d.writable = [](const identity::Caller& caller) {
    std::vector<std::string> fields = {"display_name", "kind", "themes", "description",
                                       "framework"};
    if (caller.IsAdmin()) fields.push_back("host");
    return fields;
  };
  d.validate = [](const v1::Hub& hub) { return ValidateHub(hub, "hub"); };
  // Creating a hub: ADMIN or a PARTNER granted the host (checked in prepare, which sees
  // the host); changing one: ADMIN or a PARTNER granted its stored host.
  d.may_write = [this](const identity::Caller& caller, const resource::WriteTarget& target) {
    if (target.action == "create") {
      if (caller.IsAdmin() || caller.role == membership::v1::Partner::PARTNER)
        return absl::OkStatus();
      return WithReason(
          absl::PermissionDeniedError(absl::StrCat(caller.principal,
                                                   " may not create hubs: only an ADMIN or a "
                                                   "PARTNER granted the host may")),
          "NOT_GRANTED");
    }
    return MayWriteHubContent(caller, target.name);
  };
  d.prepare = [](const server::Call& call, v1::Hub& hub) {
    return identity::RequireWriteFor(call.caller, hub.host());
  };
  d.check_outside = [this](const server::Call& call, const v1::Hub& hub) -> absl::Status {
    RETURN_IF_ERROR(CheckOne(call, peers_->organisations, "hub.host", hub.host()));
    if (hub.framework().empty()) return absl::OkStatus();
    return CheckOne(call, peers_->frameworks, "hub.framework", hub.framework());
  };
  d.before_delete = [this](const server::Call&, store::Transaction& tx,
                           const v1::Hub& hub) -> absl::Status {
    for (const store::ResourceSchema* schema :
         {&schemas_.sessions, &schemas_.pilots, &schemas_.insights}) {
      ASSIGN_OR_RETURN(int64_t held, tx.Count(*schema, hub.name(), {}));
      if (held > 0) {
        // Reason: the generic FAILED_PRECONDITION until the catalogue
        // (common/status/reasons.cc) has one for it.
        return absl::FailedPreconditionError(
            absl::StrCat(hub.name(), " still holds ", schema->table, "; delete them first"));
      }
    }
    return absl::OkStatus();
  };
  return d;
}

grpc::Status HubService::GetHub(grpc::ServerContext* c, const v1::GetHubRequest* r, v1::Hub* out) {
  return hubs_.Get(c, r, out);
}
grpc::Status HubService::ListHubs(grpc::ServerContext* c, const v1::ListHubsRequest* r,
                                  v1::ListHubsResponse* out) {
  return hubs_.List(c, r, out);
}
grpc::Status HubService::CreateHub(grpc::ServerContext* c, const v1::CreateHubRequest* r,
                                   v1::Hub* out) {
  return hubs_.Create(c, r, out);
}
grpc::Status HubService::UpdateHub(grpc::ServerContext* c, const v1::UpdateHubRequest* r,
                                   v1::Hub* out) {
  return hubs_.Update(c, r, out);
}
grpc::Status HubService::DeleteHub(grpc::ServerContext* c, const v1::DeleteHubRequest* r,
                                   google::protobuf::Empty* out) {
  return hubs_.Delete(c, r, out);
}

}  // namespace metrocap::hubs
