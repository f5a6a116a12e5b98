#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "metrocap/hubs/v1/hubs.pb.h"

namespace metrocap::hubs {

// The framework whose capacities a hub's sessions, pilots and insights name when the hub
// names none: the published MICAD framework (data/assessment).
inline constexpr char kDefaultFramework[] = "frameworks/micad";

// Checks a hub's writable fields: display name (required), kind (required, known), host
// (an Organisation name), themes (non-empty, none repeated, at most 50) and framework (a
// Framework name when set). INVALID_ARGUMENT naming each bad field under `field_prefix`.
absl::Status ValidateHub(const v1::Hub& hub, absl::string_view field_prefix);

// Checks an insight's writable fields: summary (required), source (a session or pilot
// name of this service's shape), capacities (ids) and target roadmaps (Roadmap names, none
// repeated, at most 100). INVALID_ARGUMENT naming each bad field under `field_prefix`.
absl::Status ValidateInsight(const v1::Insight& insight, absl::string_view field_prefix);

// Sets what a new insight starts with: DRAFT, and `hub` from its name. Its other output-only
// fields (deliveries, times, source title) must be clear already
// (resource::ClearOutputOnlyFields, as the kit's Create does before `prepare`).
void InitInsight(v1::Insight& insight);

// FAILED_PRECONDITION (the generic reason) once the insight is PUBLISHED: its
// proposals refer to it as it was published.
absl::Status CheckInsightEditable(const v1::Insight& insight);

}  // namespace metrocap::hubs
