// RoadmapService: revision proposals. Hubs creates one when an insight is published (with a
// request id per delivery, so a retried delivery creates nothing new), an admin may create
// one too; ADMIN or a PARTNER granted the roadmap's organisation decides. Accepting changes
// the proposal, the roadmap and its revisions in one transaction.
#include "services/roadmaps/core/proposals.h"

#include "absl/strings/str_cat.h"
#include "common/identity/access.h"
#include "common/resource/crud.h"
#include "common/status/errors.h"
#include "services/roadmaps/core/revisions.h"
#include "services/roadmaps/service.h"

namespace metrocap::roadmaps {
namespace {

// The organisation a roadmap or proposal name belongs to: its first two segments.
std::string OrganisationOf(absl::string_view name) {
  size_t first = name.find('/');
  size_t second = first == absl::string_view::npos ? first : name.find('/', first + 1);
  return std::string(name.substr(0, second));
}

// ADMIN, or a PARTNER granted the organisation of the roadmap the proposal is on.
absl::Status MayDecideOn(const identity::Caller& caller, absl::string_view proposal_or_roadmap) {
  return identity::RequireWriteFor(caller, OrganisationOf(proposal_or_roadmap));
}

}  // namespace

resource::Declaration<v1::RevisionProposal> RoadmapService::ProposalDeclaration() const {
  resource::Declaration<v1::RevisionProposal> d;
  d.collection = "organisations/{organisation}/roadmaps/{roadmap}/proposals";
  d.list_across_parents = true;
  d.schema = &schemas_.proposals;
  d.derive_id_from = "summary";
  // Nothing of a proposal changes after its creation but its decision.
  d.writable = resource::ForEveryCaller({});
  d.validate = [](const v1::RevisionProposal& p) { return ValidateProposal(p, "proposal."); };
  d.may_write = [](const identity::Caller& caller, const resource::WriteTarget& target) {
    return MayDecideOn(caller, target.parent.empty() ? target.name : target.parent);
  };
  d.prepare = [](const server::Call& call, v1::RevisionProposal& p) {
    const std::string name = p.name();
    v1::RevisionProposal written;
    written.set_name(name);
    written.set_summary(p.summary());
    written.set_source(p.source());
    if (p.has_origin()) *written.mutable_origin() = p.origin();
    *written.mutable_capacities() = p.capacities();
    written.set_roadmap(store::ParentOf(name));
    written.set_state(v1::RevisionProposal::OPEN);
    written.set_proposed_by(call.caller.principal);
    p = std::move(written);
    return absl::OkStatus();
  };
  d.complete = [this](const server::Call&, store::Transaction& tx,
                      v1::RevisionProposal& p) -> absl::Status {
    absl::StatusOr<store::Record> roadmap = tx.Get(schemas_.roadmaps, p.roadmap());
    if (absl::IsNotFound(roadmap.status())) {
      return WithReason(absl::NotFoundError(absl::StrCat(p.roadmap(), " does not exist")),
                        "ROADMAP_NOT_FOUND");
    }
    return roadmap.status();
  };
  return d;
}

grpc::Status RoadmapService::GetRevisionProposal(grpc::ServerContext* context,
                                                 const v1::GetRevisionProposalRequest* request,
                                                 v1::RevisionProposal* response) {
  return proposals_.Get(context, request, response);
}

grpc::Status RoadmapService::ListRevisionProposals(grpc::ServerContext* context,
                                                   const v1::ListRevisionProposalsRequest* request,
                                                   v1::ListRevisionProposalsResponse* response) {
  return proposals_.List(context, request, response);
}

grpc::Status RoadmapService::CreateRevisionProposal(
    grpc::ServerContext* context, const v1::CreateRevisionProposalRequest* request,
    v1::RevisionProposal* response) {
  return proposals_.Create(context, request, response);
}

grpc::Status RoadmapService::AcceptRevisionProposal(
    grpc::ServerContext* context, const v1::AcceptRevisionProposalRequest* request,
    v1::RevisionProposal* response) {
  return server::Serve(
      shared_.call, context, "AcceptRevisionProposal",
      [&](const server::Call& call) -> absl::Status {
        const std::string& name = request->name();
        RETURN_IF_ERROR(proposals_.pattern().CheckName("name", name));
        RETURN_IF_ERROR(MayDecideOn(call.caller, name));
        const std::string roadmap_name = store::ParentOf(name);
        const bool changes = request->update_mask().paths_size() > 0;
        // With changes, the framework the result will name, fetched before the transaction.
        assessment::v1::Framework framework;
        v1::Roadmap preview;
        if (changes) {
          ASSIGN_OR_RETURN(preview, resource::Load<v1::Roadmap>(*shared_.store, schemas_.roadmaps,
                                                                roadmap_name));
          RETURN_IF_ERROR(ApplyRoadmapMask(request->roadmap(), request->update_mask(), preview));
          ASSIGN_OR_RETURN(framework, FrameworkOf(call, preview));
        }
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::RevisionProposal>(
                *shared_.store, call, "AcceptRevisionProposal", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::RevisionProposal> {
                  ASSIGN_OR_RETURN(
                      v1::RevisionProposal proposal,
                      resource::Get<v1::RevisionProposal>(tx, schemas_.proposals, name));
                  RETURN_IF_ERROR(CheckOpen(proposal));
                  ASSIGN_OR_RETURN(v1::Roadmap current,
                                   resource::Get<v1::Roadmap>(tx, schemas_.roadmaps, roadmap_name));
                  RETURN_IF_ERROR(
                      resource::CheckEtag(request->etag(), current.etag(), roadmap_name));
                  v1::Roadmap updated = current;
                  if (changes) {
                    RETURN_IF_ERROR(
                        ApplyRoadmapMask(request->roadmap(), request->update_mask(), updated));
                    if (updated.framework() != preview.framework()) {
                      return absl::AbortedError(
                          absl::StrCat(roadmap_name, " changed its framework meanwhile; retry"));
                    }
                    RETURN_IF_ERROR(CheckRoadmap(tx, updated, framework));
                  }
                  std::vector<std::string> changed = ChangedFields(current, updated);
                  ASSIGN_OR_RETURN(v1::Roadmap stored,
                                   Revise(tx, current, std::move(updated), std::move(changed),
                                          call.caller.principal, name));
                  RETURN_IF_ERROR(
                      Accept(proposal, call.caller, clock_(), stored.revision(), request->note()));
                  return resource::Replace(tx, schemas_.proposals, std::move(proposal));
                }));
        return absl::OkStatus();
      });
}

grpc::Status RoadmapService::DeclineRevisionProposal(
    grpc::ServerContext* context, const v1::DeclineRevisionProposalRequest* request,
    v1::RevisionProposal* response) {
  return server::Serve(
      shared_.call, context, "DeclineRevisionProposal",
      [&](const server::Call& call) -> absl::Status {
        const std::string& name = request->name();
        RETURN_IF_ERROR(proposals_.pattern().CheckName("name", name));
        RETURN_IF_ERROR(MayDecideOn(call.caller, name));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::RevisionProposal>(
                *shared_.store, call, "DeclineRevisionProposal", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::RevisionProposal> {
                  ASSIGN_OR_RETURN(
                      v1::RevisionProposal proposal,
                      resource::Get<v1::RevisionProposal>(tx, schemas_.proposals, name));
                  RETURN_IF_ERROR(Decline(proposal, call.caller, clock_(), request->note()));
                  return resource::Replace(tx, schemas_.proposals, std::move(proposal));
                }));
        return absl::OkStatus();
      });
}

}  // namespace metrocap::roadmaps
