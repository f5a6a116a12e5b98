#include "services/roadmaps/core/proposals.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "common/status/violations.h"
#include "google/protobuf/util/time_util.h"
#include "services/roadmaps/core/roadmap_rules.h"

namespace metrocap::roadmaps {
namespace {

constexpr size_t kMaxSummary = 4000;
constexpr size_t kMaxTitle = 500;
constexpr size_t kMaxNote = 2000;

// True for `hubs/{hub}/<collection>/{id}` with well-formed ids.
bool IsHubChild(absl::string_view name, absl::string_view collection) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  return parts.size() == 4 && parts[0] == "hubs" && IsRoadmapElementId(parts[1]) &&
         parts[2] == collection && IsRoadmapElementId(parts[3]);
}

void Decide(v1::RevisionProposal& proposal, v1::RevisionProposal::State state,
            const identity::Caller& caller, absl::Time now, absl::string_view note) {
  proposal.set_state(state);
  proposal.set_decided_by(caller.principal);
  proposal.set_decision_note(std::string(note));
  *proposal.mutable_decide_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
}

}  // namespace

absl::Status ValidateProposal(const v1::RevisionProposal& proposal, absl::string_view prefix) {
  Violations out(prefix);
  out.RequireText("summary", proposal.summary(), kMaxSummary);
  if (!proposal.source().empty() && !IsHubChild(proposal.source(), "insights")) {
    out.Add("source", absl::StrCat("\"", proposal.source(),
                                   "\" must be an Insight name, hubs/{hub}/insights/{insight}"));
  }
  if (proposal.has_origin()) {
    const std::string& origin = proposal.origin().name();
    if (!IsHubChild(origin, "sessions") && !IsHubChild(origin, "pilots")) {
      out.Add("origin.name",
              absl::StrCat("\"", origin,
                           "\" must be a Session or Pilot name, "
                           "hubs/{hub}/sessions/{session} or hubs/{hub}/pilots/{pilot}"));
    }
    out.RequireText("origin.title", proposal.origin().title(), kMaxTitle);
  }
  for (int i = 0; i < proposal.capacities_size(); ++i) {
    if (!IsRoadmapElementId(proposal.capacities(i))) {
      out.Add(absl::StrCat("capacities[", i, "]"),
              absl::StrCat("\"", proposal.capacities(i), "\" is not a capacity id"));
    }
  }
  return out.ToStatus();
}

absl::Status CheckOpen(const v1::RevisionProposal& proposal) {
  if (proposal.state() == v1::RevisionProposal::OPEN) return absl::OkStatus();
  return WithReason(
      absl::AbortedError(absl::StrCat(proposal.name(), " was already ",
                                      v1::RevisionProposal::State_Name(proposal.state()),
                                      "; a decided proposal never changes")),
      "PROPOSAL_DECIDED");
}

absl::Status Accept(v1::RevisionProposal& proposal, const identity::Caller& caller, absl::Time now,
                    int64_t revision, absl::string_view note) {
  if (absl::Status open = CheckOpen(proposal); !open.ok()) return open;
  if (note.size() > kMaxNote) {
    return InvalidField("note", absl::StrCat("must be at most ", kMaxNote, " characters"));
  }
  Decide(proposal, v1::RevisionProposal::ACCEPTED, caller, now, note);
  proposal.set_accepted_revision(revision);
  return absl::OkStatus();
}

absl::Status Decline(v1::RevisionProposal& proposal, const identity::Caller& caller, absl::Time now,
                     absl::string_view note) {
  if (absl::Status open = CheckOpen(proposal); !open.ok()) return open;
  Violations out;
  out.RequireText("note", note, kMaxNote);
  if (!out.empty()) return out.ToStatus();
  Decide(proposal, v1::RevisionProposal::DECLINED, caller, now, note);
  return absl::OkStatus();
}

}  // namespace metrocap::roadmaps
