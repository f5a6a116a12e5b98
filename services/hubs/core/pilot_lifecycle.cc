#include "services/hubs/core/pilot_lifecycle.h"

#include <initializer_list>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/resource/names.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "common/status/violations.h"
#include "services/hubs/core/hub_of.h"
#include "services/hubs/core/session_rules.h"
#include "services/hubs/core/times.h"

namespace metrocap::hubs {
namespace {

using State = v1::Pilot::State;

// FAILED_PRECONDITION unless the pilot is in one of `from`.
absl::Status RequireState(const v1::Pilot& pilot, std::initializer_list<State> from,
                          absl::string_view verb) {
  for (State state : from) {
    if (pilot.state() == state) return absl::OkStatus();
  }
  std::vector<std::string> names;
  for (State state : from) names.push_back(v1::Pilot::State_Name(state));
  return WithReason(absl::FailedPreconditionError(absl::StrCat(
                        pilot.name(), " is ", v1::Pilot::State_Name(pilot.state()),
                        "; only a pilot that is ", absl::StrJoin(names, " or "), " can be ", verb)),
                    "INVALID_STATE_TRANSITION");
}

}  // namespace

absl::Status ValidatePilot(const v1::Pilot& pilot, absl::string_view field_prefix) {
  auto path = [&](absl::string_view field) {
    return field_prefix.empty() ? std::string(field) : absl::StrCat(field_prefix, ".", field);
  };
  Violations out;
  out.RequireText(path("title"), pilot.title(), kMaxTitle);
  out.OptionalText(path("description"), pilot.description(), kMaxDescription);
  out.AddFrom(path("lead"), resource::CheckName(path("lead"), pilot.lead(), "organisations"));
  CheckOrganisationList(path("partners"), pilot.partners(), out);
  for (int i = 0; i < pilot.partners_size(); ++i) {
    if (!pilot.lead().empty() && pilot.partners(i) == pilot.lead()) {
      out.Add(absl::StrCat(path("partners"), "[", i, "]"), "is the lead");
    }
  }
  CheckCapacityList(path("capacities"), pilot.capacities(), out);
  return out.ToStatus();
}

void InitPilot(v1::Pilot& pilot) {
  pilot.set_state(v1::Pilot::PROPOSED);
  pilot.set_hub(std::string(HubOf(pilot.name())));
}

absl::Status Start(v1::Pilot& pilot, absl::Time now) {
  RETURN_IF_ERROR(RequireState(pilot, {v1::Pilot::PROPOSED}, "started"));
  pilot.set_state(v1::Pilot::RUNNING);
  *pilot.mutable_start_time() = ToTimestamp(now);
  return absl::OkStatus();
}

absl::Status Evaluate(v1::Pilot& pilot, absl::string_view evaluation, absl::Time now) {
  RETURN_IF_ERROR(RequireState(pilot, {v1::Pilot::RUNNING}, "evaluated"));
  Violations out;
  out.RequireText("evaluation", evaluation, kMaxDescription);
  RETURN_IF_ERROR(out.ToStatus());
  pilot.set_state(v1::Pilot::EVALUATED);
  pilot.set_evaluation(std::string(evaluation));
  *pilot.mutable_evaluate_time() = ToTimestamp(now);
  return absl::OkStatus();
}

absl::Status Replicate(v1::Pilot& pilot,
                       const google::protobuf::RepeatedPtrField<std::string>& replications) {
  RETURN_IF_ERROR(RequireState(pilot, {v1::Pilot::EVALUATED, v1::Pilot::REPLICATED}, "replicated"));
  Violations out;
  if (replications.empty()) out.Add("replications", "needs at least one organisation");
  CheckOrganisationList("replications", replications, out);
  absl::flat_hash_set<absl::string_view> taken(pilot.partners().begin(), pilot.partners().end());
  taken.insert(pilot.lead());
  absl::flat_hash_set<absl::string_view> listed(pilot.replications().begin(),
                                                pilot.replications().end());
  for (int i = 0; i < replications.size(); ++i) {
    const std::string field = absl::StrCat("replications[", i, "]");
    if (taken.contains(replications[i])) {
      out.Add(field, "is the pilot's lead or a partner; a replication is another organisation");
    } else if (listed.contains(replications[i])) {
      out.Add(field, "already replicated the pilot");
    }
  }
  if (pilot.replications_size() + replications.size() > kMaxOrganisations) {
    out.Add("replications",
            absl::StrCat("a pilot has at most ", kMaxOrganisations, " replications"));
  }
  RETURN_IF_ERROR(out.ToStatus());
  pilot.set_state(v1::Pilot::REPLICATED);
  for (const std::string& organisation : replications) pilot.add_replications(organisation);
  return absl::OkStatus();
}

absl::Status Scale(v1::Pilot& pilot, absl::Time now) {
  RETURN_IF_ERROR(RequireState(pilot, {v1::Pilot::EVALUATED, v1::Pilot::REPLICATED}, "scaled"));
  pilot.set_state(v1::Pilot::SCALED);
  *pilot.mutable_end_time() = ToTimestamp(now);
  return absl::OkStatus();
}

absl::Status Stop(v1::Pilot& pilot, absl::string_view reason, absl::Time now) {
  RETURN_IF_ERROR(RequireState(
      pilot, {v1::Pilot::PROPOSED, v1::Pilot::RUNNING, v1::Pilot::EVALUATED}, "stopped"));
  Violations out;
  out.RequireText("reason", reason, kMaxDescription);
  RETURN_IF_ERROR(out.ToStatus());
  pilot.set_state(v1::Pilot::STOPPED);
  pilot.set_stop_reason(std::string(reason));
  *pilot.mutable_end_time() = ToTimestamp(now);
  return absl::OkStatus();
}

}  // namespace metrocap::hubs
