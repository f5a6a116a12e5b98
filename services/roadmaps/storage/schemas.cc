#include "services/roadmaps/storage/schemas.h"

#include "absl/strings/str_cat.h"
#include "metrocap/roadmaps/v1/roadmaps.pb.h"

namespace metrocap::roadmaps {

const Schemas& RoadmapSchemas() {
  static const Schemas* schemas = [] {
    auto* s = new Schemas;
    s->taxonomies = store::MakeSchema("taxonomies", v1::Taxonomy::descriptor(), {"displayName"});
    s->plans = store::MakeSchema("plans", v1::Plan::descriptor(),
                                 {"displayName", "owner", "taxonomy", "startDate", "endDate"});
    s->roadmaps = store::MakeSchema("roadmaps", v1::Roadmap::descriptor(),
                                    {"organisation", "kind", "state", "plan", "framework",
                                     "displayName", "startDate", "endDate", "revision"});
    s->revisions = store::MakeSchema("roadmap_revisions", v1::RoadmapRevision::descriptor(),
                                     {"revision", "proposal", "author"});
    s->snapshots = store::MakeSchema("roadmap_snapshots", v1::RoadmapRevision::descriptor(), {});
    // Each update writes and syncs a roadmap and its snapshot, ~250 kB each for a large
    // one; compressed, ~15 kB (docs/roadmaps.md, "Revisions").
    s->roadmaps.compress = true;
    s->snapshots.compress = true;
    s->proposals = store::MakeSchema("revision_proposals", v1::RevisionProposal::descriptor(),
                                     {"roadmap", "state", "source", "acceptedRevision"});
    return s;
  }();
  return *schemas;
}

std::string RevisionName(const std::string& roadmap, int64_t revision) {
  return absl::StrCat(roadmap, "/revisions/", revision);
}

std::string SnapshotName(const std::string& roadmap, int64_t revision) {
  return absl::StrCat(roadmap, "/snapshots/", revision);
}

}  // namespace metrocap::roadmaps
