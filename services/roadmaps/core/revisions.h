#pragma once

#include <string>
#include <vector>

#include "metrocap/roadmaps/v1/roadmaps.pb.h"

namespace metrocap::roadmaps {

namespace v1 = ::metrocap::roadmaps::v1;

// The writable fields that differ between two versions of a roadmap, as lowerCamelCase
// paths in field order: a changed scalar or repeated scalar field by its path
// (`displayName`, `objectives[1].actions[0].outcomeCodes`), a nested message by the paths
// inside it, an element added or removed from a repeated message field by its index
// (`objectives[3]`). Output and bookkeeping fields (name, organisation, revision, etag,
// times, computed figures) never count. Empty when nothing a caller wrote changed.
std::vector<std::string> ChangedFields(const v1::Roadmap& before, const v1::Roadmap& after);

}  // namespace metrocap::roadmaps
