#pragma once

#include <string>
#include <vector>

#include "common/identity/caller.h"
#include "metrocap/assessment/v1/assessment.pb.h"

namespace metrocap::assessment {

// An organisation and its latest VALIDATED assessment against one framework, if any.
struct Standing {
  std::string organisation;
  const v1::Assessment* latest = nullptr;  // not owned; null: never validated
};

// Whether `a` supersedes `b` as an organisation's latest assessment: the later periodEnd,
// then the later validateTime, then the greater name (only so the choice is stable).
bool IsLater(const v1::Assessment& a, const v1::Assessment& b);

// One Standing per organisation among `validated` (VALIDATED assessments against one
// framework, any organisations), keeping each one's latest (IsLater). Sorted by
// organisation name. The pointers refer into `validated`.
std::vector<Standing> LatestByOrganisation(const std::vector<v1::Assessment>& validated);

// Compares the organisations' latest VALIDATED assessments against `framework`, in the
// order of `standings` (a repeated organisation counts once): one row per organisation
// whose assessment the caller may read (MayRead), with its capacity scores; the others
// listed as withheld (caller may not read it) or unassessed (no validated assessment).
// For each capacity with scores: the mean, minimum and maximum over the rows — only the
// rows, so nothing withheld leaks through the aggregates.
v1::CompareAssessmentsResponse Compare(const v1::Framework& framework,
                                       const std::vector<Standing>& standings,
                                       const identity::Caller& caller);

// For each learning need of `assessment` (in its profile's order, largest gap first): the
// other organisations among `peers` whose latest assessment the caller may read and whose
// profile shows a potential in that capacity, highest score first, ties by organisation
// name, at most `max_peers` (0: all). The assessment's own organisation is never its own
// peer. Organisations whose latest assessment the caller may not read are listed once in
// withheld_organisations (sorted), whatever their scores, so the list says nothing about
// them beyond the existence of a validated assessment.
v1::SuggestPeersResponse SuggestPeers(const v1::Assessment& assessment,
                                      const std::vector<Standing>& peers,
                                      const identity::Caller& caller, int max_peers);

}  // namespace metrocap::assessment
