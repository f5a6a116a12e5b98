// Membership applications and the board's decisions on them (the life of an application is
// in core/applications.h). A PARTNER granted the applicant may submit, sign and withdraw;
// deciding (:ratify, :reject) and deleting need an ADMIN.
#include "services/membership/core/applications.h"

#include "common/identity/access.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/membership/core/board.h"
#include "services/membership/core/validation.h"
#include "services/membership/service.h"
#include "services/membership/storage/schemas.h"

namespace metrocap::membership {
namespace {

using google::protobuf::Empty;
using identity::RequireAdmin;
using identity::RequireWriteFor;
using App = v1::MembershipApplication;

// ReleaseApplicant for an application about to be deleted, if it is still open, stored in
// `tx`. Returns the applicant's name when it was read (and perhaps changed), "" otherwise.
absl::StatusOr<std::string> ReleaseApplicantOf(store::Transaction& tx, const Schemas& schemas,
                                               const App& application) {
  if (!IsOpen(application)) return "";
  absl::StatusOr<v1::Organisation> applicant =
      resource::Get<v1::Organisation>(tx, schemas.organisations, application.applicant());
  if (absl::IsNotFound(applicant.status())) return "";
  RETURN_IF_ERROR(applicant.status());
  if (ReleaseApplicant(*applicant)) {
    RETURN_IF_ERROR(resource::Replace(tx, schemas.organisations, *std::move(applicant)).status());
  }
  return application.applicant();
}

// The first derived ID of `application` (core DerivedApplicationId) not yet taken in `tx`:
// a second application of one year gets its own ID instead of colliding with the first.
absl::StatusOr<std::string> FreeApplicationId(store::Transaction& tx, const App& application) {
  for (int attempt = 1; attempt <= kMaxApplicationIdAttempts; ++attempt) {
    std::string id = DerivedApplicationId(application, attempt);
    absl::StatusOr<store::Record> taken =
        tx.Get(MembershipSchemas().applications, "applications/" + id);
    if (absl::IsNotFound(taken.status())) return id;
    RETURN_IF_ERROR(taken.status());
  }
  return absl::AlreadyExistsError(
      absl::StrCat(application.applicant(), " already has ", kMaxApplicationIdAttempts,
                   " applications with derived IDs this year; give an applicationId"));
}

}  // namespace

resource::Declaration<App> MembershipService::ApplicationDeclaration() {
  resource::Declaration<App> d;
  d.collection = "applications";
  d.schema = &schemas_.applications;
  d.writable = resource::ForEveryCaller({});  // applications change only by their transitions
  d.may_write = resource::AdminOnly("applications");
  // Deleting an open application releases its applicant, in the same transaction.
  d.also_write = [this](const server::Call&, store::Transaction& tx, const App* before,
                        const App*) -> absl::StatusOr<resource::Declaration<App>::AfterCommit> {
    ASSIGN_OR_RETURN(std::string released, ReleaseApplicantOf(tx, schemas_, *before));
    if (released.empty()) return nullptr;
    return [this, released] { OrganisationChanged(released); };
  };
  return d;
}

grpc::Status MembershipService::GetApplication(grpc::ServerContext* context,
                                               const v1::GetApplicationRequest* request,
                                               App* response) {
  return applications_.Get(context, request, response);
}

grpc::Status MembershipService::ListApplications(grpc::ServerContext* context,
                                                 const v1::ListApplicationsRequest* request,
                                                 v1::ListApplicationsResponse* response) {
  return applications_.List(context, request, response);
}

// Not the declared Create: who may apply depends on the applicant (a field, not the name),
// the ID on the submit time the clock gives, and the applicant becomes an APPLICANT in the
// same transaction.
grpc::Status MembershipService::CreateApplication(grpc::ServerContext* context,
                                                  const v1::CreateApplicationRequest* request,
                                                  App* response) {
  return server::Serve(
      env_, context, "CreateApplication", [&](const server::Call& call) -> absl::Status {
        App application = request->application();
        RETURN_IF_ERROR(
            resource::CheckName("application.applicant", application.applicant(), "organisations"));
        RETURN_IF_ERROR(RequireWriteFor(call.caller, application.applicant()));
        RETURN_IF_ERROR(PrepareSubmission(application, clock_()));
        std::string requested_id = request->application_id();
        if (!requested_id.empty()) {
          ASSIGN_OR_RETURN(requested_id, resource::IdForCreate("applicationId", requested_id, ""));
        }
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
                  ASSIGN_OR_RETURN(int64_t open,
                                   CountOpenApplications(tx, application.applicant()));
                  RETURN_IF_ERROR(BecomeApplicant(*applicant, open));
                  RETURN_IF_ERROR(
                      resource::Replace(tx, schemas_.organisations, *applicant).status());
                  std::string id = requested_id;
                  if (id.empty()) {
                    ASSIGN_OR_RETURN(id, FreeApplicationId(tx, application));
                  }
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
  return applications_.Delete(context, request, response);
}

absl::StatusOr<App> MembershipService::Transition(const server::Call& call,
                                                  absl::string_view method,
                                                  const google::protobuf::Message& request,
                                                  const std::string& name, const std::string& etag,
                                                  const std::string& request_id,
                                                  const ApplicationStep& step) {
  absl::StatusOr<App> decided = resource::WriteOnce<App>(
      *store_, call, method, request, request_id,
      [&](store::Transaction& tx) -> absl::StatusOr<App> {
        ASSIGN_OR_RETURN(App application, resource::Get<App>(tx, schemas_.applications, name));
        RETURN_IF_ERROR(RequireWriteFor(call.caller, application.applicant()));
        RETURN_IF_ERROR(resource::CheckEtag(etag, application.etag(), name));
        ASSIGN_OR_RETURN(
            v1::Organisation applicant,
            resource::Get<v1::Organisation>(tx, schemas_.organisations, application.applicant()));
        const v1::Organisation before = applicant;
        RETURN_IF_ERROR(step(tx, application, applicant));
        if (!google::protobuf::util::MessageDifferencer::Equals(before, applicant)) {
          RETURN_IF_ERROR(resource::Replace(tx, schemas_.organisations, applicant).status());
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
        RETURN_IF_ERROR(resource::CheckName("name", request->name(), "applications"));
        absl::optional<google::protobuf::Timestamp> signed_at;
        if (request->has_sign_time()) signed_at = request->sign_time();
        ASSIGN_OR_RETURN(*response,
                         Transition(call, "SignApplicationForm", *request, request->name(),
                                    request->etag(), request->request_id(),
                                    [&](store::Transaction&, App& application, v1::Organisation&) {
                                      return SignForm(application, signed_at, clock_());
                                    }));
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::RatifyApplication(grpc::ServerContext* context,
                                                  const v1::RatifyApplicationRequest* request,
                                                  App* response) {
  return server::Serve(
      env_, context, "RatifyApplication", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(resource::CheckName("name", request->name(), "applications"));
        RETURN_IF_ERROR(RequireAdmin(call.caller, "decide on applications"));
        const v1::Decision& decision = request->decision();
        RETURN_IF_ERROR(ValidateDecision(decision, "decision."));
        ASSIGN_OR_RETURN(
            *response, Transition(call, "RatifyApplication", *request, request->name(),
                                  request->etag(), request->request_id(),
                                  [&](store::Transaction& tx, App& application,
                                      v1::Organisation& applicant) -> absl::Status {
                                    ASSIGN_OR_RETURN(
                                        std::vector<v1::BoardSeat> seats,
                                        ListSeatsActiveOn(tx, decision.decision_date()));
                                    return Ratify(application, decision,
                                                  CountVotingSeats(seats, decision.decision_date()),
                                                  applicant);
                                  }));
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::RejectApplication(grpc::ServerContext* context,
                                                  const v1::RejectApplicationRequest* request,
                                                  App* response) {
  return server::Serve(
      env_, context, "RejectApplication", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(resource::CheckName("name", request->name(), "applications"));
        RETURN_IF_ERROR(RequireAdmin(call.caller, "decide on applications"));
        absl::optional<v1::Decision> decision;
        if (request->has_decision()) {
          RETURN_IF_ERROR(ValidateDecision(request->decision(), "decision."));
          decision = request->decision();
        }
        ASSIGN_OR_RETURN(*response, Transition(call, "RejectApplication", *request, request->name(),
                                               request->etag(), request->request_id(),
                                               [&](store::Transaction&, App& application,
                                                   v1::Organisation& applicant) {
                                                 return Reject(application, decision, applicant);
                                               }));
        return absl::OkStatus();
      });
}

grpc::Status MembershipService::WithdrawApplication(grpc::ServerContext* context,
                                                    const v1::WithdrawApplicationRequest* request,
                                                    App* response) {
  return server::Serve(
      env_, context, "WithdrawApplication", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(resource::CheckName("name", request->name(), "applications"));
        ASSIGN_OR_RETURN(
            *response,
            Transition(call, "WithdrawApplication", *request, request->name(), request->etag(),
                       request->request_id(),
                       [&](store::Transaction&, App& application, v1::Organisation& applicant) {
                         return Withdraw(application, applicant);
                       }));
        return absl::OkStatus();
      });
}

}  // namespace metrocap::membership
