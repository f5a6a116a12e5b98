#include "services/membership/core/applications.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "common/status/violations.h"
#include "services/membership/core/board.h"
#include "services/membership/core/validation.h"

namespace metrocap::membership {

using App = v1::MembershipApplication;

const std::vector<App::State>& OpenApplicationStates() {
  static const auto* states = new std::vector<App::State>{App::SUBMITTED, App::FORM_SIGNED};
  return *states;
}

bool IsOpen(const App& application) {
  const std::vector<App::State>& open = OpenApplicationStates();
  return std::find(open.begin(), open.end(), application.state()) != open.end();
}

absl::Status PrepareSubmission(App& application, absl::Time now) {
  Violations v("application.");
  CheckText(v, "note", application.note(), kMaxText, false, Lines::kMany);
  RETURN_IF_ERROR(v.ToStatus());
  if (!application.has_submit_time()) *application.mutable_submit_time() = TimestampOf(now);
  application.set_state(App::SUBMITTED);
  application.clear_form_sign_time();
  application.clear_decision();
  return absl::OkStatus();
}

std::string DerivedApplicationId(const App& application, int attempt) {
  const std::string year = absl::FormatTime(
      "%Y", absl::FromUnixSeconds(application.submit_time().seconds()), absl::UTCTimeZone());
  const std::string suffix =
      attempt > 1 ? absl::StrCat("-", year, "-", attempt) : absl::StrCat("-", year);
  std::string applicant_id = application.applicant().substr(std::string("organisations/").size());
  // The first ID keeps up to 57 characters of the applicant's, as it always has.
  const size_t keep = attempt > 1 ? 63 - suffix.size() : 57;
  return applicant_id.substr(0, keep) + suffix;
}

absl::Status BecomeApplicant(v1::Organisation& applicant, int64_t open_applications) {
  if (applicant.membership_state() == v1::Organisation::ACTIVE) {
    return WithReason(absl::FailedPreconditionError(
                          absl::StrCat(applicant.name(), " is already an ACTIVE member")),
                      "ALREADY_MEMBER");
  }
  if (open_applications > 0) {
    return WithReason(absl::FailedPreconditionError(
                          absl::StrCat(applicant.name(), " already has an open application")),
                      "APPLICATION_OPEN");
  }
  applicant.set_membership_state(v1::Organisation::APPLICANT);
  return absl::OkStatus();
}

absl::Status CheckTransition(App::State from, ApplicationAction action) {
  bool allowed = false;
  switch (action) {
    case ApplicationAction::kSignForm:
      allowed = from == App::SUBMITTED;
      break;
    case ApplicationAction::kRatify:
      allowed = from == App::FORM_SIGNED;
      break;
    case ApplicationAction::kReject:
    case ApplicationAction::kWithdraw:
      allowed = from == App::SUBMITTED || from == App::FORM_SIGNED;
      break;
  }
  if (allowed) return absl::OkStatus();
  static const char* kNames[] = {"signForm", "ratify", "reject", "withdraw"};
  return WithReason(absl::FailedPreconditionError(
                        absl::StrCat("cannot ", kNames[static_cast<int>(action)],
                                     " an application in state ", App::State_Name(from))),
                    "INVALID_STATE_TRANSITION");
}

App::State StateAfter(ApplicationAction action) {
  switch (action) {
    case ApplicationAction::kSignForm:
      return App::FORM_SIGNED;
    case ApplicationAction::kRatify:
      return App::RATIFIED;
    case ApplicationAction::kReject:
      return App::REJECTED;
    case ApplicationAction::kWithdraw:
      return App::WITHDRAWN;
  }
  return App::STATE_UNSPECIFIED;
}

absl::Status SignForm(App& application,
                      const absl::optional<google::protobuf::Timestamp>& signed_at,
                      absl::Time now) {
  RETURN_IF_ERROR(CheckTransition(application.state(), ApplicationAction::kSignForm));
  application.set_state(StateAfter(ApplicationAction::kSignForm));
  *application.mutable_form_sign_time() = signed_at ? *signed_at : TimestampOf(now);
  return absl::OkStatus();
}

absl::Status Ratify(App& application, const v1::Decision& decision, int voting_seats,
                    v1::Organisation& applicant) {
  RETURN_IF_ERROR(CheckTransition(application.state(), ApplicationAction::kRatify));
  RETURN_IF_ERROR(CheckQuorum(decision, voting_seats));
  application.set_state(StateAfter(ApplicationAction::kRatify));
  *application.mutable_decision() = decision;
  applicant.set_membership_state(v1::Organisation::ACTIVE);
  *applicant.mutable_member_since() = decision.decision_date();
  return absl::OkStatus();
}

absl::Status Reject(App& application, const absl::optional<v1::Decision>& decision,
                    v1::Organisation& applicant) {
  RETURN_IF_ERROR(CheckTransition(application.state(), ApplicationAction::kReject));
  application.set_state(StateAfter(ApplicationAction::kReject));
  if (decision) *application.mutable_decision() = *decision;
  ReleaseApplicant(applicant);
  return absl::OkStatus();
}

absl::Status Withdraw(App& application, v1::Organisation& applicant) {
  RETURN_IF_ERROR(CheckTransition(application.state(), ApplicationAction::kWithdraw));
  application.set_state(StateAfter(ApplicationAction::kWithdraw));
  ReleaseApplicant(applicant);
  return absl::OkStatus();
}

bool ReleaseApplicant(v1::Organisation& applicant) {
  if (applicant.membership_state() != v1::Organisation::APPLICANT) return false;
  applicant.set_membership_state(v1::Organisation::NON_MEMBER);
  return true;
}

}  // namespace metrocap::membership
