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
  // The roadmap fields callers write.
  static const std::vector<std::string>& WritableFields();

  resource::Declaration<v1::Plan> PlanDeclaration() const;
  resource::Declaration<v1::Taxonomy> TaxonomyDeclaration() const;
  resource::Declaration<v1::Roadmap> RoadmapDeclaration() const;
  resource::Declaration<v1::RevisionProposal> ProposalDeclaration() const;

  // NOT_FOUND unless roadmap `name` exists. Any authenticated caller reads roadmaps (their
  // declaration has no may_read), so existence is all a read of their revisions needs to
  // check, and the stored roadmap (up to ~200 kB) is not parsed for it.
  absl::Status RequireRoadmap(const std::string& name) const;

  // The day timeliness is judged on.
  absl::CivilDay Today() const;
  // Fills the output figures of a roadmap read from the store.
  void Present(v1::Roadmap& roadmap) const;

  // Fetches the framework `roadmap` names (when it names one) from assessment.
  absl::StatusOr<assessment::v1::Framework> FrameworkOf(const server::Call& call,
                                                        const v1::Roadmap& roadmap);

  // The plan and taxonomy a roadmap's codes resolve in, with the versions they were read
  // at (0 when the roadmap names no plan, or its plan no taxonomy).
  struct References {
    v1::Plan plan;
    v1::Taxonomy taxonomy;
    int64_t plan_version = 0;
    int64_t taxonomy_version = 0;
  };
  // Reads the references of `roadmap` in `tx`: INVALID_ARGUMENT naming "roadmap.plan" when
  // its plan does not exist.
  absl::StatusOr<References> ReadReferences(store::Transaction& tx,
                                            const v1::Roadmap& roadmap) const;
  // Whether the references read earlier are still at the same versions in `tx`.
  absl::StatusOr<bool> StillCurrent(store::Transaction& tx, const v1::Roadmap& roadmap,
                                    const References& references) const;
  // Checks `roadmap` (outputs cleared, organisation set) against `references` and
  // `framework`; INVALID_ARGUMENT naming fields under "roadmap.".
  absl::Status CheckRoadmap(const v1::Roadmap& roadmap, const References& references,
                            const assessment::v1::Framework& framework) const;
  // The same, reading the references in `tx`.
  absl::Status CheckRoadmap(store::Transaction& tx, const v1::Roadmap& roadmap,
                            const assessment::v1::Framework& framework) const;

  // A change to a roadmap worked out from one read of it before the write transaction:
  // parsing, diffing and checking a large roadmap (~200 kB) and asking assessment for its
  // framework hold no lock. WriteChange stores it only if the roadmap, its plan and its
  // taxonomy are still as they were read; otherwise the change is worked out again
  // (RunChange).
  struct RoadmapChange {
    std::string name;
    // The roadmap as it will be stored: the patch applied, outputs cleared.
    v1::Roadmap roadmap;
    // The stored version it was worked out from, and the roadmap's revision in it.
    int64_t version = 0;
    int64_t revision = 0;
    References references;
    // ChangedFields of the change.
    std::vector<std::string> changed;
    // Whether the patch and the result are acceptable (a bad mask, code, capacity...). Held
    // back until the write transaction, so that a repeated request id still answers with
    // its recorded response.
    absl::Status verdict;
    // Set once written: `roadmap` has been handed on.
    bool written = false;
  };
  // Reads `name` and applies the fields of `patch` named by `mask` (null: no change; empty
  // or "*": every writable field). NOT_FOUND when the roadmap does not exist; UNAVAILABLE
  // when the store or assessment cannot answer.
  absl::StatusOr<RoadmapChange> PrepareChange(const server::Call& call, const std::string& name,
                                              const v1::Roadmap& patch,
                                              const google::protobuf::FieldMask* mask);
  // In `tx`: ABORTED (ETAG_MISMATCH) for a stale `etag`; ABORTED with `*stale` set when the
  // roadmap or its references changed since `change` was prepared; the change's verdict;
  // else stores the roadmap at the next revision with its RoadmapRevision (`author`,
  // `proposal`, may be empty) and returns it as stored. With `always_revise` false, a change
  // that changes nothing stores nothing and returns the roadmap as it is.
  absl::StatusOr<v1::Roadmap> WriteChange(store::Transaction& tx, RoadmapChange& change,
                                          absl::string_view etag, const std::string& author,
                                          const std::string& proposal, bool always_revise,
                                          bool* stale) const;
  // Runs `attempt` (a PrepareChange and a write transaction calling WriteChange) again while
  // it fails with `*stale` set; ABORTED after kChangeAttempts.
  absl::Status RunChange(const std::function<absl::Status(bool* stale)>& attempt) const;

  // Decides proposal `name` in one write transaction, at most once per request id: reads
  // it, lets `decide` change it (and write anything else in `tx`) and stores it. NOT_FOUND
  // when the proposal does not exist; otherwise what `decide` or the store returns.
  absl::StatusOr<v1::RevisionProposal> DecideProposal(
      const server::Call& call, absl::string_view method, const google::protobuf::Message& request,
      const std::string& request_id, const std::string& name,
      const std::function<absl::Status(store::Transaction&, v1::RevisionProposal&)>& decide);

  // Stores the RoadmapRevision of `stored` (its revision number, `changed`, `author`,
  // `proposal`) and, apart, its snapshot. `stored` is as it was on return.
  absl::Status RecordRevision(store::Transaction& tx, v1::Roadmap& stored,
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
  absl::StatusOr<v1::RoadmapRevision> LoadRevision(const std::string& roadmap, int64_t revision,
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
