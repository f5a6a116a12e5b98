// Board seats and membership applications: the board's terms and its decisions.
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/time_util.h"
#include "services/membership/access.h"
#include "services/membership/core/rules.h"
#include "services/membership/service.h"

namespace metrocap::membership {
namespace {

using google::protobuf::Empty;
using App = v1::MembershipApplication;

const std::vector<std::string> kBoardSeatWritable = {
    "organisation", "person_name", "title", "role", "region", "term_start", "term_end"};

std::string DateText(const google::type::Date& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(), date.day());
}

// Seats whose term covers `date` (term_end exclusive), in SQL over the indexed columns.
query::Condition ActiveOn(const google::type::Date& date) {
  std::string day = DateText(date);
  return query::Condition{
      "term_start != '' AND term_start <= ? AND (term_end = '' OR term_end > ?)", {day, day}};
}

// An organisation whose open application ends without admitting it (rejected, withdrawn
// or deleted) is no longer an APPLICANT.
absl::Status ReleaseApplicant(store::Transaction& tx, const Schemas& schemas,
                              v1::Organisation applicant) {
  if (applicant.membership_state() != v1::Organisation::APPLICANT) return absl::OkStatus();
  applicant.set_membership_state(v1::Organisation::NON_MEMBER);
  return resource::Replace(tx, schemas.organisations, std::move(applicant)).status();
}

// ReleaseApplicant for an application about to be deleted, if it is still open. Returns
// the applicant's name when it was read (and perhaps changed), "" otherwise.
absl::StatusOr<std::string> ReleaseApplicantOf(store::Transaction& tx, const Schemas& schemas,
                                               const App& application) {
  if (application.state() != App::SUBMITTED && application.state() != App::FORM_SIGNED) return "";
  absl::StatusOr<v1::Organisation> applicant =
      resource::Get<v1::Organisation>(tx, schemas.organisations, application.applicant());
  if (absl::IsNotFound(applicant.status())) return "";
  RETURN_IF_ERROR(applicant.status());
  RETURN_IF_ERROR(ReleaseApplicant(tx, schemas, *std::move(applicant)));
  return application.applicant();
}

}  // namespace

grpc::Status MembershipService::GetBoardSeat(grpc::ServerContext* context,
                                             const v1::GetBoardSeatRequest* request,
                                             v1::BoardSeat* response) {
  return server::Serve(env_, context, "GetBoardSeat", [&](const server::Call&) -> absl::Status {
    RETURN_IF_ERROR(resource::CheckName("name", request->name(), "boardSeats"));
    ASSIGN_OR_RETURN(*response,
                     resource::Load<v1::BoardSeat>(*store_, schemas_.board_seats, request->name()));
    return absl::OkStatus();
  });
}

grpc::Status MembershipService::ListBoardSeats(grpc::ServerContext* context,
                                               const v1::ListBoardSeatsRequest* request,
                                               v1::ListBoardSeatsResponse* response) {
  return server::Serve(
      env_, context, "ListBoardSeats", [&](const server::Call& call) -> absl::Status {
        query::Condition extra;
        if (request->has_active_on()) {
          if (!IsValidDate(request->active_on())) {
            return InvalidField("activeOn", "is not a valid calendar date");
          }
          extra = ActiveOn(request->active_on());
        }
        return resource::ListInto(*store_, schemas_.board_seats, resource::ParamsOf(*request),
                                  extra, page_token_key_, call.caller.principal,
                                  response->mutable_board_seats(), response);
      });
}

grpc::Status MembershipService::CreateBoardSeat(grpc::ServerContext* context,
                                                const v1::CreateBoardSeatRequest* request,
                                                v1::BoardSeat* response) {
  return server::Serve(
      env_, context, "CreateBoardSeat", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "create board seats"));
        const v1::BoardSeat& seat = request->board_seat();
        RETURN_IF_ERROR(ValidateBoardSeat(seat, "boardSeat."));
        ASSIGN_OR_RETURN(
            std::string id,
            resource::IdForCreate("boardSeatId", request->board_seat_id(), seat.person_name()));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::BoardSeat>(
                *store_, call, "CreateBoardSeat", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::BoardSeat> {
                  RETURN_IF_ERROR(RequireExists(tx, schemas_.organisations,
                                                "boardSeat.organisation", seat.organisation()));
                  RETURN_IF_ERROR(
                      RequireExists(tx, schemas_.regions, "boardSeat.region", seat.region()));
                  return resource::Insert(tx, schemas_.board_seats, "boardSeats/" + id, seat);
                }));
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::UpdateBoardSeat(grpc::ServerContext* context,
                                                const v1::UpdateBoardSeatRequest* request,
                                                v1::BoardSeat* response) {
  return server::Serve(
      env_, context, "UpdateBoardSeat", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "update board seats"));
        const std::string& name = request->board_seat().name();
        RETURN_IF_ERROR(resource::CheckName("boardSeat.name", name, "boardSeats"));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<v1::BoardSeat>(
                *store_, call, "UpdateBoardSeat", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<v1::BoardSeat> {
                  ASSIGN_OR_RETURN(v1::BoardSeat current,
                                   resource::Get<v1::BoardSeat>(tx, schemas_.board_seats, name));
                  RETURN_IF_ERROR(
                      resource::CheckEtag(request->board_seat().etag(), current.etag(), name));
                  RETURN_IF_ERROR(resource::ApplyUpdateMask(
                      request->board_seat(), request->update_mask(), kBoardSeatWritable, &current));
                  RETURN_IF_ERROR(ValidateBoardSeat(current, "boardSeat."));
                  RETURN_IF_ERROR(RequireExists(tx, schemas_.organisations,
                                                "boardSeat.organisation", current.organisation()));
                  RETURN_IF_ERROR(
                      RequireExists(tx, schemas_.regions, "boardSeat.region", current.region()));
                  return resource::Replace(tx, schemas_.board_seats, current);
                }));
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::DeleteBoardSeat(grpc::ServerContext* context,
                                                const v1::DeleteBoardSeatRequest* request,
                                                Empty* response) {
  return server::Serve(
      env_, context, "DeleteBoardSeat", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "delete board seats"));
        const std::string& name = request->name();
        RETURN_IF_ERROR(resource::CheckName("name", name, "boardSeats"));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<Empty>(
                *store_, call, "DeleteBoardSeat", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<Empty> {
                  ASSIGN_OR_RETURN(v1::BoardSeat current,
                                   resource::Get<v1::BoardSeat>(tx, schemas_.board_seats, name));
                  RETURN_IF_ERROR(resource::CheckEtag(request->etag(), current.etag(), name));
                  RETURN_IF_ERROR(
                      tx.Delete(schemas_.board_seats, name, *store::ParseEtag(current.etag())));
                  return Empty();
                }));
        return absl::OkStatus();
      });
}

// Applications.

grpc::Status MembershipService::GetApplication(grpc::ServerContext* context,
                                               const v1::GetApplicationRequest* request,
                                               App* response) {
  return server::Serve(env_, context, "GetApplication", [&](const server::Call&) -> absl::Status {
    RETURN_IF_ERROR(resource::CheckName("name", request->name(), "applications"));
    ASSIGN_OR_RETURN(*response,
                     resource::Load<App>(*store_, schemas_.applications, request->name()));
    return absl::OkStatus();
  });
}

grpc::Status MembershipService::ListApplications(grpc::ServerContext* context,
                                                 const v1::ListApplicationsRequest* request,
                                                 v1::ListApplicationsResponse* response) {
  return server::Serve(env_, context, "ListApplications", [&](const server::Call& call) {
    return resource::ListInto(*store_, schemas_.applications, resource::ParamsOf(*request), {},
                              page_token_key_, call.caller.principal,
                              response->mutable_applications(), response);
  });
}

grpc::Status MembershipService::CreateApplication(grpc::ServerContext* context,
                                                  const v1::CreateApplicationRequest* request,
                                                  App* response) {
  return server::Serve(
      env_, context, "CreateApplication", [&](const server::Call& call) -> absl::Status {
        App application = request->application();
        RETURN_IF_ERROR(
            resource::CheckName("application.applicant", application.applicant(), "organisations"));
        RETURN_IF_ERROR(RequireWriteFor(call.caller, application.applicant()));
        if (application.state() != App::STATE_UNSPECIFIED &&
            application.state() != App::SUBMITTED) {
          return InvalidField("application.state", "a new application is always SUBMITTED");
        }
        if (application.has_decision()) {
          return InvalidField("application.decision", "is set by :ratify or :reject");
        }
        if (application.note().size() > 2000) {
          return InvalidField("application.note", "must be at most 2000 characters");
        }
        if (!application.has_submit_time()) {
          *application.mutable_submit_time() =
              google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
                  absl::ToUnixMicros(absl::Now()));
        }
        application.set_state(App::SUBMITTED);
        application.clear_form_sign_time();
        std::string applicant_id =
            application.applicant().substr(std::string("organisations/").size());
        std::string derived = absl::StrCat(
            applicant_id.substr(0, 57), "-",
            absl::FormatTime("%Y", absl::FromUnixSeconds(application.submit_time().seconds()),
                             absl::UTCTimeZone()));
        ASSIGN_OR_RETURN(std::string id, resource::IdForCreate("applicationId",
                                                               request->application_id(), derived));
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<App>(
                *store_, call, "CreateApplication", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<App> {
                  absl::StatusOr<v1::Organisation> applicant = resource::Get<v1::Organisation>(
                      tx, schemas_.organisations, application.applicant());
                  if (absl::IsNotFound(applicant.status())) {
                    return InvalidField("application.applicant",
                                        absl::StrCat(application.applicant(), " does not exist"));
                  }
                  RETURN_IF_ERROR(applicant.status());
                  if (applicant->membership_state() == v1::Organisation::ACTIVE) {
                    return WithReason(absl::FailedPreconditionError(absl::StrCat(
                                          application.applicant(), " is already an ACTIVE member")),
                                      "ALREADY_MEMBER");
                  }
                  ASSIGN_OR_RETURN(
                      int64_t open,
                      tx.Count(schemas_.applications, "",
                               query::Condition{"applicant = ? AND (state = ? OR state = ?)",
                                                {application.applicant(), std::string("SUBMITTED"),
                                                 std::string("FORM_SIGNED")}}));
                  if (open > 0) {
                    return WithReason(
                        absl::FailedPreconditionError(absl::StrCat(
                            application.applicant(), " already has an open application")),
                        "APPLICATION_OPEN");
                  }
                  applicant->set_membership_state(v1::Organisation::APPLICANT);
                  RETURN_IF_ERROR(
                      resource::Replace(tx, schemas_.organisations, *applicant).status());
                  return resource::Insert(tx, schemas_.applications, "applications/" + id,
                                          application);
                }));
        OrganisationChanged(application.applicant());
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::DeleteApplication(grpc::ServerContext* context,
                                                  const v1::DeleteApplicationRequest* request,
                                                  Empty* response) {
  return server::Serve(
      env_, context, "DeleteApplication", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(RequireAdmin(call.caller, "delete applications"));
        const std::string& name = request->name();
        RETURN_IF_ERROR(resource::CheckName("name", name, "applications"));
        std::string released;  // the applicant ReleaseApplicantOf read, if any
        ASSIGN_OR_RETURN(
            *response,
            resource::WriteOnce<Empty>(
                *store_, call, "DeleteApplication", *request, request->request_id(),
                [&](store::Transaction& tx) -> absl::StatusOr<Empty> {
                  ASSIGN_OR_RETURN(App current,
                                   resource::Get<App>(tx, schemas_.applications, name));
                  RETURN_IF_ERROR(resource::CheckEtag(request->etag(), current.etag(), name));
                  ASSIGN_OR_RETURN(released, ReleaseApplicantOf(tx, schemas_, current));
                  RETURN_IF_ERROR(
                      tx.Delete(schemas_.applications, name, *store::ParseEtag(current.etag())));
                  return Empty();
                }));
        if (!released.empty()) OrganisationChanged(released);
        return absl::OkStatus();
      });
}

absl::StatusOr<App> MembershipService::Transition(
    const server::Call& call, absl::string_view method, const google::protobuf::Message& request,
    const std::string& name, const std::string& etag, const std::string& request_id,
    int action_value, const v1::Decision* decision, const google::protobuf::Timestamp* when) {
  auto action = static_cast<ApplicationAction>(action_value);
  RETURN_IF_ERROR(resource::CheckName("name", name, "applications"));
  if (action == ApplicationAction::kRatify || action == ApplicationAction::kReject) {
    RETURN_IF_ERROR(RequireAdmin(call.caller, "decide on applications"));
  }
  if (action == ApplicationAction::kRatify || decision != nullptr) {
    RETURN_IF_ERROR(ValidateDecision(decision ? *decision : v1::Decision(), "decision."));
  }
  absl::StatusOr<App> decided = resource::WriteOnce<App>(
      *store_, call, method, request, request_id,
      [&](store::Transaction& tx) -> absl::StatusOr<App> {
        ASSIGN_OR_RETURN(App application, resource::Get<App>(tx, schemas_.applications, name));
        RETURN_IF_ERROR(RequireWriteFor(call.caller, application.applicant()));
        RETURN_IF_ERROR(resource::CheckEtag(etag, application.etag(), name));
        RETURN_IF_ERROR(CheckTransition(application.state(), action));
        ASSIGN_OR_RETURN(
            v1::Organisation applicant,
            resource::Get<v1::Organisation>(tx, schemas_.organisations, application.applicant()));
        application.set_state(StateAfter(action));
        if (decision != nullptr) *application.mutable_decision() = *decision;
        switch (action) {
          case ApplicationAction::kSignForm:
            *application.mutable_form_sign_time() =
                when != nullptr ? *when
                                : google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
                                      absl::ToUnixMicros(absl::Now()));
            break;
          case ApplicationAction::kRatify: {
            query::Condition voting = ActiveOn(decision->decision_date());
            voting.sql += " AND role != ?";
            voting.params.push_back(std::string("REGIONAL_SECRETARY"));
            ASSIGN_OR_RETURN(int64_t seats, tx.Count(schemas_.board_seats, "", voting));
            RETURN_IF_ERROR(CheckQuorum(*decision, static_cast<int>(seats)));
            applicant.set_membership_state(v1::Organisation::ACTIVE);
            *applicant.mutable_member_since() = decision->decision_date();
            RETURN_IF_ERROR(resource::Replace(tx, schemas_.organisations, applicant).status());
            break;
          }
          case ApplicationAction::kReject:
          case ApplicationAction::kWithdraw:
            RETURN_IF_ERROR(ReleaseApplicant(tx, schemas_, std::move(applicant)));
            break;
        }
        return resource::Replace(tx, schemas_.applications, application);
      });
  // Ratify, reject and withdraw may change the applicant; signing does not, but
  // invalidating once more costs less than a rule about which step changed what.
  if (decided.ok()) OrganisationChanged(decided->applicant());
  return decided;
}

grpc::Status MembershipService::SignApplicationForm(grpc::ServerContext* context,
                                                    const v1::SignApplicationFormRequest* request,
                                                    App* response) {
  return server::Serve(
      env_, context, "SignApplicationForm", [&](const server::Call& call) -> absl::Status {
        ASSIGN_OR_RETURN(
            *response,
            Transition(call, "SignApplicationForm", *request, request->name(), request->etag(),
                       request->request_id(), static_cast<int>(ApplicationAction::kSignForm),
                       nullptr, request->has_sign_time() ? &request->sign_time() : nullptr));
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::RatifyApplication(grpc::ServerContext* context,
                                                  const v1::RatifyApplicationRequest* request,
                                                  App* response) {
  return server::Serve(
      env_, context, "RatifyApplication", [&](const server::Call& call) -> absl::Status {
        ASSIGN_OR_RETURN(*response, Transition(call, "RatifyApplication", *request, request->name(),
                                               request->etag(), request->request_id(),
                                               static_cast<int>(ApplicationAction::kRatify),
                                               &request->decision(), nullptr));
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::RejectApplication(grpc::ServerContext* context,
                                                  const v1::RejectApplicationRequest* request,
                                                  App* response) {
  return server::Serve(
      env_, context, "RejectApplication", [&](const server::Call& call) -> absl::Status {
        ASSIGN_OR_RETURN(
            *response,
            Transition(call, "RejectApplication", *request, request->name(), request->etag(),
                       request->request_id(), static_cast<int>(ApplicationAction::kReject),
                       request->has_decision() ? &request->decision() : nullptr, nullptr));
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::WithdrawApplication(grpc::ServerContext* context,
                                                    const v1::WithdrawApplicationRequest* request,
                                                    App* response) {
  return server::Serve(
      env_, context, "WithdrawApplication", [&](const server::Call& call) -> absl::Status {
        ASSIGN_OR_RETURN(
            *response,
            Transition(call, "WithdrawApplication", *request, request->name(), request->etag(),
                       request->request_id(), static_cast<int>(ApplicationAction::kWithdraw),
                       nullptr, nullptr));
        return absl::OkStatus();
      });
}

}  // namespace metrocap::membership
