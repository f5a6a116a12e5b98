#pragma once

#include <string>
#include <vector>

#include "common/store/schema.h"

namespace metrocap::roadmaps {

// The roadmaps resources as the store keeps them, with the fields List can filter and
// order by. Roadmap.organisation and RevisionProposal.roadmap are set by the service from
// the name on every write, so the cross-parent lists can filter on them.
//
// Revisions are resources of their own ("<roadmap>/revisions/<n>", one RoadmapRevision
// each without its snapshot, indexed by `revision`), so that :listRevisions pages newest
// first over an index however many revisions a roadmap has, and a revision is written in
// the same transaction as the roadmap change it records. The snapshots are kept apart
// ("<roadmap>/snapshots/<n>", a RoadmapRevision holding only `roadmap`): a large roadmap's
// snapshot is ~200 kB, and reading them with every page of the history, or sorting them
// with it, made a page of 50 cost most of a second. Roadmaps and snapshots are stored
// compressed (ResourceSchema::compress).
struct Schemas {
  store::ResourceSchema taxonomies;
  store::ResourceSchema plans;
  store::ResourceSchema roadmaps;
  store::ResourceSchema revisions;
  store::ResourceSchema snapshots;
  store::ResourceSchema proposals;

  std::vector<const store::ResourceSchema*> All() const {
    return {&taxonomies, &plans, &roadmaps, &revisions, &snapshots, &proposals};
  }
};

const Schemas& RoadmapSchemas();

// The name under which revision `revision` of `roadmap` is stored.
std::string RevisionName(const std::string& roadmap, int64_t revision);
// The name under which the snapshot of revision `revision` of `roadmap` is stored.
std::string SnapshotName(const std::string& roadmap, int64_t revision);

}  // namespace metrocap::roadmaps
