#pragma once

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "common/cache/lookup_cache.h"
#include "common/resource/declared.h"
#include "common/server/call.h"
#include "common/store/store.h"
#include "metrocap/roadmaps/v1/roadmaps.grpc.pb.h"
#include "services/roadmaps/core/roadmap_rules.h"
#include "services/roadmaps/peers.h"
#include "services/roadmaps/storage/schemas.h"

namespace metrocap::roadmaps {

// The gRPC adapter of the roadmaps service. Plans, taxonomies and proposals are declared
// resources (common/resource/declared.h) and so are the reads and deletion of roadmaps;
// what is written by hand is what is particular to roadmaps: every roadmap write checks its
// codes against the plan and taxonomy (this store) and its capacities against the framework
// (assessment, through the shared cache), bumps `revision` and stores a RoadmapRevision in
// the same transaction; accepting a proposal changes the proposal, the roadmap and its
// revisions at once. Every method runs through server::Serve (identity, logging, the one
// status mapping).
//
// Access: any authenticated caller reads; plans and taxonomies are ADMIN writes; roadmap
// and proposal writes need ADMIN or a PARTNER granted the roadmap's organisation.
class RoadmapService final : public v1::RoadmapService::Service {
 public:
  using Clock = std::function<absl::Time()>;

  // `store` must be migrated with RoadmapSchemas(); it, `peers` and `cache` must outlive the
  // service. `page_token_key` signs page tokens; replicas must share it. Plan and taxonomy
  // writes invalidate cache::kPlansCache and cache::kTaxonomiesCache in `cache` (null: no
  // shared cache). Timeliness is judged as of `clock`'s day in UTC.
  RoadmapService(server::CallEnv env, store::Store* store, Peers* peers, std::string page_token_key,
                 Clock clock = absl::Now, cache::CacheClient* cache = nullptr);

  grpc::Status GetPlan(grpc::ServerContext*, const v1::GetPlanRequest*, v1::Plan*) override;
  grpc::Status ListPlans(grpc::ServerContext*, const v1::ListPlansRequest*,
                         v1::ListPlansResponse*) override;
  grpc::Status CreatePlan(grpc::ServerContext*, const v1::CreatePlanRequest*, v1::Plan*) override;
  grpc::Status UpdatePlan(grpc::ServerContext*, const v1::UpdatePlanRequest*, v1::Plan*) override;
  grpc::Status DeletePlan(grpc::ServerContext*, const v1::DeletePlanRequest*,
                          google::protobuf::Empty*) override;
  grpc::Status ResolvePlanCode(grpc::ServerContext*, const v1::ResolvePlanCodeRequest*,
                               v1::PlanCode*) override;

  grpc::Status GetTaxonomy(grpc::ServerContext*, const v1::GetTaxonomyRequest*,
                           v1::Taxonomy*) override;
  grpc::Status ListTaxonomies(grpc::ServerContext*, const v1::ListTaxonomiesRequest*,
                              v1::ListTaxonomiesResponse*) override;
  grpc::Status CreateTaxonomy(grpc::ServerContext*, const v1::CreateTaxonomyRequest*,
                              v1::Taxonomy*) override;
  grpc::Status UpdateTaxonomy(grpc::ServerContext*, const v1::UpdateTaxonomyRequest*,
                              v1::Taxonomy*) override;
  grpc::Status DeleteTaxonomy(grpc::ServerContext*, const v1::DeleteTaxonomyRequest*,
                              google::protobuf::Empty*) override;
  grpc::Status ResolveTaxonomyCode(grpc::ServerContext*, const v1::ResolveTaxonomyCodeRequest*,
                                   v1::TaxonomyCode*) override;

  grpc::Status GetRoadmap(grpc::ServerContext*, const v1::GetRoadmapRequest*,
                          v1::Roadmap*) override;
  grpc::Status ListRoadmaps(grpc::ServerContext*, const v1::ListRoadmapsRequest*,
                            v1::ListRoadmapsResponse*) override;
  grpc::Status CreateRoadmap(grpc::ServerContext*, const v1::CreateRoadmapRequest*,
                             v1::Roadmap*) override;
  grpc::Status UpdateRoadmap(grpc::ServerContext*, const v1::UpdateRoadmapRequest*,
                             v1::Roadmap*) override;
  grpc::Status DeleteRoadmap(grpc::ServerContext*, const v1::DeleteRoadmapRequest*,
                             google::protobuf::Empty*) override;
  grpc::Status ListRoadmapRevisions(grpc::ServerContext*, const v1::ListRoadmapRevisionsRequest*,
                                    v1::ListRoadmapRevisionsResponse*) override;
  grpc::Status GetRoadmapRevision(grpc::ServerContext*, const v1::GetRoadmapRevisionRequest*,
                                  v1::RoadmapRevision*) override;
  grpc::Status CompareRoadmapRevisions(grpc::ServerContext*,
                                       const v1::CompareRoadmapRevisionsRequest*,
                                       v1::CompareRoadmapRevisionsResponse*) override;
  grpc::Status TraceRoadmap(grpc::ServerContext*, const v1::TraceRoadmapRequest*,
                            v1::TraceRoadmapResponse*) override;

  grpc::Status GetRevisionProposal(grpc::ServerContext*, const v1::GetRevisionProposalRequest*,
                                   v1::RevisionProposal*) override;
  grpc::Status ListRevisionProposals(grpc::ServerContext*, const v1::ListRevisionProposalsRequest*,
                                     v1::ListRevisionProposalsResponse*) override;
  grpc::Status CreateRevisionProposal(grpc::ServerContext*,
                                      const v1::CreateRevisionProposalRequest*,
                                      v1::RevisionProposal*) override;
  grpc::Status AcceptRevisionProposal(grpc::ServerContext*,
                                      const v1::AcceptRevisionProposalRequest*,
                                      v1::RevisionProposal*) override;
  grpc::Status DeclineRevisionProposal(grpc::ServerContext*,
                                       const v1::DeclineRevisionProposalRequest*,
                                       v1::RevisionProposal*) override;

 private:
  resource::Declaration<v1::Plan> PlanDeclaration() const;
  resource::Declaration<v1::Taxonomy> TaxonomyDeclaration() const;
  resource::Declaration<v1::Roadmap> RoadmapDeclaration() const;
  resource::Declaration<v1::RevisionProposal> ProposalDeclaration() const;

  // The day timeliness is judged on.
  absl::CivilDay Today() const;
  // Fills the output figures of a roadmap read from the store.
  void Present(v1::Roadmap& roadmap) const;

  // Fetches the framework `roadmap` names (when it names one) from assessment.
  absl::StatusOr<assessment::v1::Framework> FrameworkOf(const server::Call& call,
                                                        const v1::Roadmap& roadmap);
  // Checks `roadmap` (outputs cleared, organisation set) against its plan, the plan's
  // taxonomy (read in `tx`) and `framework`; INVALID_ARGUMENT naming fields under "roadmap.".
  absl::Status CheckRoadmap(store::Transaction& tx, const v1::Roadmap& roadmap,
                            const assessment::v1::Framework& framework) const;
  // Stores `roadmap` replacing `current` (both read in `tx`) at revision current+1, with a
  // RoadmapRevision recording `author`, `changed` (ChangedFields(current, roadmap)) and
  // `proposal` (may be empty). Returns the stored roadmap.
  absl::StatusOr<v1::Roadmap> Revise(store::Transaction& tx, const v1::Roadmap& current,
                                     v1::Roadmap roadmap, std::vector<std::string> changed,
                                     const std::string& author, const std::string& proposal) const;
  // Stores the RoadmapRevision of `stored` (its revision number, `changed`, `author`,
  // `proposal`) and, apart, its snapshot.
  absl::Status RecordRevision(store::Transaction& tx, const v1::Roadmap& stored,
                              std::vector<std::string> changed, const std::string& author,
                              const std::string& proposal) const;
  // Reads the snapshot of `revision` of `roadmap` into it, figures computed as of today.
  absl::Status AddSnapshot(store::Transaction& tx, const std::string& roadmap,
                           v1::RoadmapRevision& revision) const;
  // Applies an update mask of roadmap fields to `target` (the writable roadmap fields).
  absl::Status ApplyRoadmapMask(const v1::Roadmap& patch, const google::protobuf::FieldMask& mask,
                                v1::Roadmap& target) const;
  // Reads a revision of a readable roadmap: INVALID_ARGUMENT naming `field` for a revision
  // below 1, NOT_FOUND when the roadmap never had it.
  absl::StatusOr<v1::RoadmapRevision> LoadRevision(const server::Call& call,
                                                   const std::string& roadmap, int64_t revision,
                                                   absl::string_view field);

  Peers* peers_;
  Clock clock_;
  const Schemas& schemas_;
  resource::ServiceEnv shared_;
  resource::Resource<v1::Plan> plans_;
  resource::Resource<v1::Taxonomy> taxonomies_;
  resource::Resource<v1::Roadmap> roadmaps_;
  resource::Resource<v1::RevisionProposal> proposals_;
};

}  // namespace metrocap::roadmaps
