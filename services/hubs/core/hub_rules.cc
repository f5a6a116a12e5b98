#include "services/hubs/core/hub_rules.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/resource/names.h"
#include "common/resource/pattern.h"
#include "common/status/violations.h"
#include "services/hubs/core/hub_of.h"
#include "services/hubs/core/session_rules.h"

namespace metrocap::hubs {
namespace {

constexpr int kMaxThemes = 50;
constexpr int kMaxTargets = 100;

std::string Path(absl::string_view prefix, absl::string_view field) {
  return prefix.empty() ? std::string(field) : absl::StrCat(prefix, ".", field);
}

}  // namespace

absl::Status ValidateHub(const v1::Hub& hub, absl::string_view field_prefix) {
  Violations out;
  out.RequireText(Path(field_prefix, "displayName"), hub.display_name(), kMaxTitle);
  out.OptionalText(Path(field_prefix, "description"), hub.description(), kMaxDescription);
  if (hub.kind() == v1::Hub::KIND_UNSPECIFIED) {
    out.Add(Path(field_prefix, "kind"), "is required");
  } else if (!v1::Hub::Kind_IsValid(hub.kind())) {
    out.Add(Path(field_prefix, "kind"), "is not a known kind");
  }
  const std::string host = Path(field_prefix, "host");
  out.AddFrom(host, resource::CheckName(host, hub.host(), "organisations"));
  const std::string themes = Path(field_prefix, "themes");
  if (hub.themes_size() > kMaxThemes) {
    out.Add(themes, absl::StrCat("must have at most ", kMaxThemes, " entries"));
  } else {
    absl::flat_hash_set<absl::string_view> seen;
    for (int i = 0; i < hub.themes_size(); ++i) {
      const std::string item = absl::StrCat(themes, "[", i, "]");
      out.RequireText(item, hub.themes(i), kMaxTitle);
      if (!seen.insert(hub.themes(i)).second) out.Add(item, "is repeated");
    }
  }
  if (!hub.framework().empty()) {
    const std::string framework = Path(field_prefix, "framework");
    out.AddFrom(framework, resource::CheckName(framework, hub.framework(), "frameworks"));
  }
  return out.ToStatus();
}

absl::Status ValidateInsight(const v1::Insight& insight, absl::string_view field_prefix) {
  static const resource::NamePattern* sessions = new resource::NamePattern("hubs/{hub}/sessions");
  static const resource::NamePattern* pilots = new resource::NamePattern("hubs/{hub}/pilots");
  static const resource::NamePattern* roadmaps =
      new resource::NamePattern("organisations/{organisation}/roadmaps");
  Violations out;
  out.RequireText(Path(field_prefix, "summary"), insight.summary(), kMaxDescription);
  const std::string source = Path(field_prefix, "source");
  if (insight.source().empty()) {
    out.Add(source, "is required");
  } else if (!sessions->CheckName(source, insight.source()).ok() &&
             !pilots->CheckName(source, insight.source()).ok()) {
    out.Add(source, absl::StrCat("\"", insight.source(),
                                 "\" is not a session or pilot name (hubs/{hub}/sessions/{id} "
                                 "or hubs/{hub}/pilots/{id})"));
  }
  CheckCapacityList(Path(field_prefix, "capacities"), insight.capacities(), out);
  const std::string targets = Path(field_prefix, "targetRoadmaps");
  if (insight.target_roadmaps_size() > kMaxTargets) {
    out.Add(targets, absl::StrCat("must have at most ", kMaxTargets, " entries"));
  } else {
    absl::flat_hash_set<absl::string_view> seen;
    for (int i = 0; i < insight.target_roadmaps_size(); ++i) {
      const std::string item = absl::StrCat(targets, "[", i, "]");
      out.AddFrom(item, roadmaps->CheckName(item, insight.target_roadmaps(i)));
      if (!seen.insert(insight.target_roadmaps(i)).second) out.Add(item, "is repeated");
    }
  }
  return out.ToStatus();
}

void InitInsight(v1::Insight& insight) {
  insight.set_state(v1::Insight::DRAFT);
  insight.set_hub(std::string(HubOf(insight.name())));
}

absl::Status CheckInsightEditable(const v1::Insight& insight) {
  if (insight.state() == v1::Insight::PUBLISHED) {
    return absl::FailedPreconditionError(
        absl::StrCat(insight.name(), " is published and can no longer change"));
  }
  return absl::OkStatus();
}

}  // namespace metrocap::hubs
