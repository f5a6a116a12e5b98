// RoadmapService: roadmaps and their revisions. Reads are declared; Create and Update are
// written here because each checks the roadmap against its plan, taxonomy and framework
// and stores a RoadmapRevision in the same transaction as the change (how a change is
// worked out and written: changes.cc).
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/cache/names.h"
#include "common/identity/access.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/errors.h"
#include "services/roadmaps/core/progress.h"
#include "services/roadmaps/core/revisions.h"
#include "services/roadmaps/service.h"

namespace metrocap::roadmaps {
namespace {

// Rows deleted per round trip when a roadmap's revisions and proposals go with it.
constexpr int kDeleteBatch = 500;

// Deletes every resource of `schema` directly under `parent`.
absl::Status DeleteChildren(store::Transaction& tx, const store::ResourceSchema& schema,
                            const std::string& parent) {
  store::ListQuery list;
  list.parent = parent;
  ASSIGN_OR_RETURN(list.order, query::ParseOrderBy(schema, ""));
  list.limit = kDeleteBatch;
  while (true) {
    ASSIGN_OR_RETURN(store::ListResult page, tx.List(schema, list));
    for (const store::Record& record : page.records) {
      RETURN_IF_ERROR(tx.Delete(schema, record.name, record.version));
    }
    if (!page.next) return absl::OkStatus();
    list.after = std::move(page.next);
  }
}

}  // namespace

resource::Declaration<v1::Roadmap> RoadmapService::RoadmapDeclaration() const {
  resource::Declaration<v1::Roadmap> d;
  d.collection = "organisations/{organisation}/roadmaps";
  d.list_across_parents = true;
  d.schema = &schemas_.roadmaps;
  d.writable = resource::ForEveryCaller(WritableFields());
  d.may_write = resource::GrantedParent();
  // No may_read: any authenticated caller reads a roadmap (RequireRoadmap relies on it).
  d.invalidates = {cache::kRoadmapsCache};
  // A roadmap's revisions and proposals go with it, in the same transaction.
  d.before_delete = [this](const server::Call&, store::Transaction& tx,
                           const v1::Roadmap& roadmap) {
    RETURN_IF_ERROR(DeleteChildren(tx, schemas_.revisions, roadmap.name()));
    RETURN_IF_ERROR(DeleteChildren(tx, schemas_.snapshots, roadmap.name()));
    return DeleteChildren(tx, schemas_.proposals, roadmap.name());
  };
  return d;
}

absl::Status RoadmapService::RequireRoadmap(const std::string& name) const {
  ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                   shared_.store->Begin(store::Store::Access::kReadOnly));
  return tx->Get(schemas_.roadmaps, name).status();
}

absl::CivilDay RoadmapService::Today() const {
  return absl::ToCivilDay(clock_(), absl::UTCTimeZone());
}

void RoadmapService::Present(v1::Roadmap& roadmap) const { ComputeOutputs(roadmap, Today()); }

absl::StatusOr<assessment::v1::Framework> RoadmapService::FrameworkOf(const server::Call& call,
                                                                      const v1::Roadmap& roadmap) {
  if (roadmap.framework().empty()) return assessment::v1::Framework();
  RETURN_IF_ERROR(resource::CheckName("roadmap.framework", roadmap.framework(), "frameworks"));
  absl::StatusOr<assessment::v1::Framework> framework =
      peers_->GetFramework(call, roadmap.framework());
  if (absl::IsNotFound(framework.status())) {
    return InvalidField("roadmap.framework",
                        absl::StrCat(roadmap.framework(), " does not exist in assessment"));
  }
  return framework;
}

absl::Status RoadmapService::AddSnapshot(store::Transaction& tx, const std::string& roadmap,
                                         v1::RoadmapRevision& revision) const {
  ASSIGN_OR_RETURN(store::Record record,
                   tx.Get(schemas_.snapshots, SnapshotName(roadmap, revision.revision())));
  v1::RoadmapRevision snapshot;
  RETURN_IF_ERROR(store::DecodeRecord(record, &snapshot));
  *revision.mutable_roadmap() = std::move(*snapshot.mutable_roadmap());
  Present(*revision.mutable_roadmap());
  return absl::OkStatus();
}

grpc::Status RoadmapService::GetRoadmap(grpc::ServerContext* context,
                                        const v1::GetRoadmapRequest* request,
                                        v1::Roadmap* response) {
  return server::Serve(shared_.call, context, "GetRoadmap",
                       [&](const server::Call& call) -> absl::Status {
                         ASSIGN_OR_RETURN(*response, roadmaps_.Get(call, *request));
                         Present(*response);
                         return absl::OkStatus();
                       });
}

grpc::Status RoadmapService::ListRoadmaps(grpc::ServerContext* context,
                                          const v1::ListRoadmapsRequest* request,
                                          v1::ListRoadmapsResponse* response) {
  return server::Serve(shared_.call, context, "ListRoadmaps",
                       [&](const server::Call& call) -> absl::Status {
                         RETURN_IF_ERROR(roadmaps_.List(call, *request, response));
                         for (v1::Roadmap& roadmap : *response->mutable_roadmaps()) {
                           Present(roadmap);
                         }
                         return absl::OkStatus();
                       });
}

grpc::Status RoadmapService::CreateRoadmap(grpc::ServerContext* context,
                                           const v1::CreateRoadmapRequest* request,
                                           v1::Roadmap* response) {
  return server::Serve(
      shared_.call, context, "CreateRoadmap", [&](const server::Call& call) -> absl::Status {
        const std::string& parent = request->parent();
        RETURN_IF_ERROR(resource::CheckName("parent", parent, "organisations"));
        RETURN_IF_ERROR(identity::RequireWriteFor(call.caller, parent));
        v1::Roadmap roadmap;
        RETURN_IF_ERROR(ApplyRoadmapMask(request->roadmap(), {}, roadmap));
        if (roadmap.state() == v1::Roadmap::STATE_UNSPECIFIED) {
          roadmap.set_state(v1::Roadmap::DRAFT);
        }
        ASSIGN_OR_RETURN(std::string id, resource::IdForCreate("roadmapId", request->roadmap_id(),
                                                               roadmap.display_name()));
        const std::string name = absl::StrCat(parent, "/roadmaps/", id);
        roadmap.set_name(name);
        roadmap.set_organisation(parent);
        roadmap.set_revision(1);
        // The peers are asked before any write transaction, so no lock is held while waiting
        // on the network; when one cannot answer, nothing has been written.
        ASSIGN_OR_RETURN(assessment::v1::Framework framework, FrameworkOf(call, roadmap));
        {
          ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                           shared_.store->Begin(store::Store::Access::kReadOnly));
          RETURN_IF_ERROR(CheckRoadmap(*tx, roadmap, framework));
        }
        RETURN_IF_ERROR(peers_->CheckOrganisation(call, parent));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::Roadmap>(
                *shared_.store, call, "CreateRoadmap", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::Roadmap> {
                  // The plan may have changed since the check above.
                  RETURN_IF_ERROR(CheckRoadmap(tx, roadmap, framework));
                  ASSIGN_OR_RETURN(v1::Roadmap stored,
                                   resource::Insert(tx, schemas_.roadmaps, name, roadmap));
                  RETURN_IF_ERROR(RecordRevision(tx, stored, {}, call.caller.principal, ""));
                  return stored;
                }));
        Present(*response);
        return absl::OkStatus();
      });
}

grpc::Status RoadmapService::UpdateRoadmap(grpc::ServerContext* context,
                                           const v1::UpdateRoadmapRequest* request,
                                           v1::Roadmap* response) {
  return server::Serve(
      shared_.call, context, "UpdateRoadmap", [&](const server::Call& call) -> absl::Status {
        const v1::Roadmap& patch = request->roadmap();
        const std::string& name = patch.name();
        RETURN_IF_ERROR(roadmaps_.pattern().CheckName("roadmap.name", name));
        RETURN_IF_ERROR(identity::RequireWriteFor(call.caller, store::ParentOf(name)));
        RETURN_IF_ERROR(RunChange([&](bool* stale) -> absl::Status {
          ASSIGN_OR_RETURN(RoadmapChange change,
                           PrepareChange(call, name, patch, &request->update_mask()));
          ASSIGN_OR_RETURN(
              *response, resource::WriteOnce<v1::Roadmap>(
                             *shared_.store, call, "UpdateRoadmap", *request, request->request_id(),
                             [&](store::Transaction& tx) -> absl::StatusOr<v1::Roadmap> {
                               return WriteChange(tx, change, patch.etag(), call.caller.principal,
                                                  "",
                                                  /*always_revise=*/false, stale);
                             }));
          return absl::OkStatus();
        }));
        Present(*response);
        return absl::OkStatus();
      });
}

grpc::Status RoadmapService::DeleteRoadmap(grpc::ServerContext* context,
                                           const v1::DeleteRoadmapRequest* request,
                                           google::protobuf::Empty* response) {
  return roadmaps_.Delete(context, request, response);
}

absl::StatusOr<v1::RoadmapRevision> RoadmapService::LoadRevision(const std::string& roadmap,
                                                                 int64_t revision,
                                                                 absl::string_view field) {
  if (revision < 1) return InvalidField(field, "must be 1 or more");
  RETURN_IF_ERROR(RequireRoadmap(roadmap));
  ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                   shared_.store->Begin(store::Store::Access::kReadOnly));
  absl::StatusOr<store::Record> record =
      tx->Get(schemas_.revisions, RevisionName(roadmap, revision));
  if (absl::IsNotFound(record.status())) {
    return absl::NotFoundError(absl::StrCat(roadmap, " has no revision ", revision));
  }
  RETURN_IF_ERROR(record.status());
  v1::RoadmapRevision out;
  RETURN_IF_ERROR(store::DecodeRecord(*record, &out));
  RETURN_IF_ERROR(AddSnapshot(*tx, roadmap, out));
  return out;
}

grpc::Status RoadmapService::ListRoadmapRevisions(grpc::ServerContext* context,
                                                  const v1::ListRoadmapRevisionsRequest* request,
                                                  v1::ListRoadmapRevisionsResponse* response) {
  return server::Serve(
      shared_.call, context, "ListRoadmapRevisions", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(roadmaps_.pattern().CheckName("name", request->name()));
        RETURN_IF_ERROR(RequireRoadmap(request->name()));
        resource::ListParams params;
        params.page_size = request->page_size();
        params.page_token = request->page_token();
        params.order_by = "revision desc";
        params.parent = request->name();
        RETURN_IF_ERROR(resource::ListInto(*shared_.store, schemas_.revisions, params, {},
                                           shared_.page_token_key, call.caller.principal,
                                           response->mutable_revisions(), response));
        if (request->view() == v1::ListRoadmapRevisionsRequest::BASIC) return absl::OkStatus();
        ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                         shared_.store->Begin(store::Store::Access::kReadOnly));
        for (v1::RoadmapRevision& revision : *response->mutable_revisions()) {
          RETURN_IF_ERROR(AddSnapshot(*tx, request->name(), revision));
        }
        return absl::OkStatus();
      });
}

grpc::Status RoadmapService::GetRoadmapRevision(grpc::ServerContext* context,
                                                const v1::GetRoadmapRevisionRequest* request,
                                                v1::RoadmapRevision* response) {
  return server::Serve(
      shared_.call, context, "GetRoadmapRevision", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(roadmaps_.pattern().CheckName("name", request->name()));
        ASSIGN_OR_RETURN(*response, LoadRevision(request->name(), request->revision(), "revision"));
        return absl::OkStatus();
      });
}

grpc::Status RoadmapService::CompareRoadmapRevisions(
    grpc::ServerContext* context, const v1::CompareRoadmapRevisionsRequest* request,
    v1::CompareRoadmapRevisionsResponse* response) {
  return server::Serve(
      shared_.call, context, "CompareRoadmapRevisions",
      [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(roadmaps_.pattern().CheckName("name", request->name()));
        ASSIGN_OR_RETURN(v1::RoadmapRevision from,
                         LoadRevision(request->name(), request->from_revision(), "fromRevision"));
        ASSIGN_OR_RETURN(v1::RoadmapRevision to,
                         LoadRevision(request->name(), request->to_revision(), "toRevision"));
        response->set_name(request->name());
        response->set_from_revision(from.revision());
        response->set_to_revision(to.revision());
        for (std::string& field : ChangedFields(from.roadmap(), to.roadmap())) {
          response->add_changed_fields(std::move(field));
        }
        return absl::OkStatus();
      });
}

grpc::Status RoadmapService::TraceRoadmap(grpc::ServerContext* context,
                                          const v1::TraceRoadmapRequest* request,
                                          v1::TraceRoadmapResponse* response) {
  return server::Serve(
      shared_.call, context, "TraceRoadmap", [&](const server::Call& call) -> absl::Status {
        const std::string& name = request->name();
        RETURN_IF_ERROR(roadmaps_.pattern().CheckName("name", name));
        RETURN_IF_ERROR(RequireRoadmap(name));
        response->set_name(name);
        resource::ListParams params;
        params.parent = name;
        params.filter = "proposal != \"\"";
        params.order_by = "revision";
        params.page_size = 1000;
        do {
          ASSIGN_OR_RETURN(resource::RecordPage page,
                           resource::ListRecords(*shared_.store, schemas_.revisions, params, {},
                                                 shared_.page_token_key, call.caller.principal));
          for (const store::Record& record : page.records) {
            v1::RoadmapRevision revision;
            RETURN_IF_ERROR(store::DecodeRecord(record, &revision));
            ASSIGN_OR_RETURN(v1::RevisionProposal proposal,
                             proposals_.LoadReadable(call, revision.proposal()));
            v1::TraceEntry* entry = response->add_entries();
            entry->set_revision(revision.revision());
            *entry->mutable_update_time() = revision.update_time();
            entry->set_author(revision.author());
            *entry->mutable_changed_fields() = revision.changed_fields();
            entry->set_proposal(proposal.name());
            entry->set_summary(proposal.summary());
            entry->set_insight(proposal.source());
            *entry->mutable_origin() = proposal.origin();
          }
          params.page_token = std::move(page.next_page_token);
        } while (!params.page_token.empty());
        return absl::OkStatus();
      });
}

}  // namespace metrocap::roadmaps
