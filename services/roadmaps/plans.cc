// RoadmapService: plans and taxonomies. Anyone authenticated reads them and resolves their
// codes; only an ADMIN writes them. Committed writes invalidate the shared plans and
// taxonomies caches, through which hubs reads them.
#include "absl/strings/str_cat.h"
#include "common/cache/names.h"
#include "common/resource/names.h"
#include "common/status/errors.h"
#include "services/roadmaps/core/codes.h"
#include "services/roadmaps/service.h"

namespace metrocap::roadmaps {
namespace {

// FAILED_PRECONDITION (reason `reason`) when any resource of `schema` has `field` = `name`.
absl::Status CheckUnused(store::Transaction& tx, const store::ResourceSchema& schema,
                         absl::string_view column, const std::string& name, absl::string_view what,
                         absl::string_view reason) {
  ASSIGN_OR_RETURN(int64_t users, tx.Count(schema, "", {absl::StrCat(column, " = ?"), {name}}));
  if (users == 0) return absl::OkStatus();
  return WithReason(absl::FailedPreconditionError(
                        absl::StrCat(name, " is named by ", users, " ", what, "; it cannot go")),
                    reason);
}

}  // namespace

RoadmapService::RoadmapService(server::CallEnv env, store::Store* store, Peers* peers,
                               std::string page_token_key, Clock clock, cache::CacheClient* cache)
    : peers_(peers),
      clock_(std::move(clock)),
      schemas_(RoadmapSchemas()),
      shared_{std::move(env), store, std::move(page_token_key), cache},
      plans_(PlanDeclaration(), &shared_),
      taxonomies_(TaxonomyDeclaration(), &shared_),
      roadmaps_(RoadmapDeclaration(), &shared_),
      proposals_(ProposalDeclaration(), &shared_) {}

resource::Declaration<v1::Plan> RoadmapService::PlanDeclaration() const {
  resource::Declaration<v1::Plan> d;
  d.collection = "plans";
  d.schema = &schemas_.plans;
  // The owner is fixed when the plan is created (and checked in membership then).
  d.writable = resource::ForEveryCaller(
      {"display_name", "description", "taxonomy", "start_date", "end_date", "action_lines"});
  d.validate = [](const v1::Plan& plan) { return ValidatePlan(plan, "plan."); };
  d.may_write = resource::AdminOnly("plans");
  d.invalidates = {cache::kPlansCache};
  d.complete = [this](const server::Call&, store::Transaction& tx, v1::Plan& plan) -> absl::Status {
    RETURN_IF_ERROR(resource::CheckName("plan.owner", plan.owner(), "organisations"));
    if (plan.taxonomy().empty()) return absl::OkStatus();
    RETURN_IF_ERROR(resource::CheckName("plan.taxonomy", plan.taxonomy(), "taxonomies"));
    absl::StatusOr<store::Record> taxonomy = tx.Get(schemas_.taxonomies, plan.taxonomy());
    if (absl::IsNotFound(taxonomy.status())) {
      return InvalidField("plan.taxonomy", absl::StrCat(plan.taxonomy(), " does not exist"));
    }
    return taxonomy.status();
  };
  d.check_outside = [this](const server::Call& call, const v1::Plan& plan) {
    return peers_->CheckOrganisation(call, plan.owner());
  };
  d.before_delete = [this](const server::Call&, store::Transaction& tx, const v1::Plan& plan) {
    return CheckUnused(tx, schemas_.roadmaps, "plan", plan.name(), "roadmaps", "PLAN_IN_USE");
  };
  return d;
}

resource::Declaration<v1::Taxonomy> RoadmapService::TaxonomyDeclaration() const {
  resource::Declaration<v1::Taxonomy> d;
  d.collection = "taxonomies";
  d.schema = &schemas_.taxonomies;
  d.writable = resource::ForEveryCaller({"display_name", "description", "themes", "challenges"});
  d.validate = [](const v1::Taxonomy& t) { return ValidateTaxonomy(t, "taxonomy."); };
  d.may_write = resource::AdminOnly("taxonomies");
  d.invalidates = {cache::kTaxonomiesCache};
  d.before_delete = [this](const server::Call&, store::Transaction& tx,
                           const v1::Taxonomy& taxonomy) {
    return CheckUnused(tx, schemas_.plans, "taxonomy", taxonomy.name(), "plans", "TAXONOMY_IN_USE");
  };
  return d;
}

grpc::Status RoadmapService::GetPlan(grpc::ServerContext* context,
                                     const v1::GetPlanRequest* request, v1::Plan* response) {
  return plans_.Get(context, request, response);
}

grpc::Status RoadmapService::ListPlans(grpc::ServerContext* context,
                                       const v1::ListPlansRequest* request,
                                       v1::ListPlansResponse* response) {
  return plans_.List(context, request, response);
}

grpc::Status RoadmapService::CreatePlan(grpc::ServerContext* context,
                                        const v1::CreatePlanRequest* request, v1::Plan* response) {
  return plans_.Create(context, request, response);
}

grpc::Status RoadmapService::UpdatePlan(grpc::ServerContext* context,
                                        const v1::UpdatePlanRequest* request, v1::Plan* response) {
  return plans_.Update(context, request, response);
}

grpc::Status RoadmapService::DeletePlan(grpc::ServerContext* context,
                                        const v1::DeletePlanRequest* request,
                                        google::protobuf::Empty* response) {
  return plans_.Delete(context, request, response);
}

grpc::Status RoadmapService::ResolvePlanCode(grpc::ServerContext* context,
                                             const v1::ResolvePlanCodeRequest* request,
                                             v1::PlanCode* response) {
  return server::Serve(
      shared_.call, context, "ResolvePlanCode", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(plans_.pattern().CheckName("plan", request->plan()));
        ASSIGN_OR_RETURN(v1::Plan plan, plans_.LoadReadable(call, request->plan()));
        ASSIGN_OR_RETURN(*response, PlanCodes(plan).Resolve(request->code()));
        return absl::OkStatus();
      });
}

grpc::Status RoadmapService::GetTaxonomy(grpc::ServerContext* context,
                                         const v1::GetTaxonomyRequest* request,
                                         v1::Taxonomy* response) {
  return taxonomies_.Get(context, request, response);
}

grpc::Status RoadmapService::ListTaxonomies(grpc::ServerContext* context,
                                            const v1::ListTaxonomiesRequest* request,
                                            v1::ListTaxonomiesResponse* response) {
  return taxonomies_.List(context, request, response);
}

grpc::Status RoadmapService::CreateTaxonomy(grpc::ServerContext* context,
                                            const v1::CreateTaxonomyRequest* request,
                                            v1::Taxonomy* response) {
  return taxonomies_.Create(context, request, response);
}

grpc::Status RoadmapService::UpdateTaxonomy(grpc::ServerContext* context,
                                            const v1::UpdateTaxonomyRequest* request,
                                            v1::Taxonomy* response) {
  return taxonomies_.Update(context, request, response);
}

grpc::Status RoadmapService::DeleteTaxonomy(grpc::ServerContext* context,
                                            const v1::DeleteTaxonomyRequest* request,
                                            google::protobuf::Empty* response) {
  return taxonomies_.Delete(context, request, response);
}

grpc::Status RoadmapService::ResolveTaxonomyCode(grpc::ServerContext* context,
                                                 const v1::ResolveTaxonomyCodeRequest* request,
                                                 v1::TaxonomyCode* response) {
  return server::Serve(
      shared_.call, context, "ResolveTaxonomyCode", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(taxonomies_.pattern().CheckName("taxonomy", request->taxonomy()));
        ASSIGN_OR_RETURN(v1::Taxonomy taxonomy,
                         taxonomies_.LoadReadable(call, request->taxonomy()));
        ASSIGN_OR_RETURN(*response, TaxonomyCodes(taxonomy).Resolve(request->code()));
        return absl::OkStatus();
      });
}

}  // namespace metrocap::roadmaps
