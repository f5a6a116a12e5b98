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
// each, indexed by `revision`), so that :listRevisions pages newest first over an index
// however many revisions a roadmap has, and a revision is written in the same transaction
// as the roadmap change it records.
struct Schemas {
  store::ResourceSchema taxonomies;
  store::ResourceSchema plans;
  store::ResourceSchema roadmaps;
  store::ResourceSchema revisions;
  store::ResourceSchema proposals;

  std::vector<const store::ResourceSchema*> All() const {
    return {&taxonomies, &plans, &roadmaps, &revisions, &proposals};
  }
};

const Schemas& RoadmapSchemas();

// The name under which revision `revision` of `roadmap` is stored.
std::string RevisionName(const std::string& roadmap, int64_t revision);

}  // namespace metrocap::roadmaps
