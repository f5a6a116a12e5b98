#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/identity/caller.h"
#include "metrocap/assessment/v1/assessment.pb.h"
#include "services/assessment/core/framework.h"
#include "services/assessment/core/profile.h"

// Small frameworks, assessments and callers for the core tests.
namespace metrocap::assessment::testing {

// Scale 1-5, need 3.0, potential 4.0. Capacities:
//   knowledge  : shared-framework (w 1), research-policy (w 3)
//   leadership : vision (w 1)
//   learning   : monitoring (w 2), training (w 2)
// Dimensions: climate-transition, digital-transition.
inline v1::Framework TestFramework() {
  v1::Framework f;
  f.set_name("frameworks/test");
  f.set_display_name("Test framework");
  f.set_version("1.0");
  f.set_state(v1::Framework::PUBLISHED);
  f.set_scale_min(1);
  f.set_scale_max(5);
  f.set_need_threshold(3.0);
  f.set_potential_threshold(4.0);
  auto add_capacity = [&](const std::string& id,
                          std::vector<std::pair<std::string, double>> indicators) {
    v1::Capacity* c = f.add_capacities();
    c->set_id(id);
    c->set_display_name(id + " capacity");
    for (const auto& [indicator_id, weight] : indicators) {
      v1::Indicator* i = c->add_indicators();
      i->set_id(indicator_id);
      i->set_question("How is " + indicator_id + "?");
      i->set_weight(weight);
    }
  };
  add_capacity("knowledge", {{"shared-framework", 1}, {"research-policy", 3}});
  add_capacity("leadership", {{"vision", 1}});
  add_capacity("learning", {{"monitoring", 2}, {"training", 2}});
  for (const char* id : {"climate-transition", "digital-transition"}) {
    v1::Dimension* d = f.add_dimensions();
    d->set_id(id);
    d->set_display_name(id);
  }
  return f;
}

inline v1::Response MakeResponse(const std::string& indicator, double score,
                                 v1::Assessment::Source source = v1::Assessment::INTERVIEW,
                                 const std::string& dimension = "") {
  v1::Response r;
  r.set_indicator(indicator);
  r.set_score(score);
  r.set_source(source);
  r.set_dimension(dimension);
  return r;
}

// An assessment of `organisation` (e.g. "organisations/milan") with one response per
// (capacity, score), answering the capacity's first indicator, and its profile computed.
inline v1::Assessment ScoredAssessment(
    const v1::Framework& framework, const std::string& organisation, const std::string& id,
    const std::vector<std::pair<std::string, double>>& capacity_scores,
    v1::Assessment::Visibility visibility = v1::Assessment::NETWORK) {
  v1::Assessment a;
  a.set_name(organisation + "/assessments/" + id);
  a.set_organisation(organisation);
  a.set_framework(framework.name());
  a.set_state(v1::Assessment::VALIDATED);
  a.set_visibility(visibility);
  for (const auto& [capacity, score] : capacity_scores) {
    for (const v1::Capacity& c : framework.capacities()) {
      if (c.id() == capacity) {
        *a.add_responses() = MakeResponse(capacity + "." + c.indicators(0).id(), score);
      }
    }
  }
  FrameworkIndex index(framework);
  *a.mutable_profile() = ComputeProfile(index, a.responses());
  return a;
}

inline identity::Caller Admin() {
  return {"partners/secretariat", membership::v1::Partner::ADMIN, {}};
}
inline identity::Caller PartnerFor(const std::string& organisation) {
  return {"partners/lab", membership::v1::Partner::PARTNER, {organisation}};
}
inline identity::Caller Viewer() {
  return {"partners/observer", membership::v1::Partner::VIEWER, {}};
}
inline identity::Caller Anonymous() { return {}; }

}  // namespace metrocap::assessment::testing
