#include "services/assessment/organisations.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"

namespace metrocap::assessment {
namespace {

absl::Status Unavailable(absl::string_view why) {
  return WithReason(
      absl::UnavailableError(absl::StrCat("membership cannot confirm the organisation: ", why)),
      "MEMBERSHIP_UNAVAILABLE");
}

}  // namespace

MembershipDirectory::MembershipDirectory(std::shared_ptr<grpc::ChannelInterface> channel,
                                         identity::IdentityConfig identity,
                                         MembershipDirectoryOptions options,
                                         cache::LookupCache* cache)
    : stub_(membership::v1::MembershipService::NewStub(channel)),
      identity_(std::move(identity)),
      options_(options),
      cache_(cache) {}

void MembershipDirectory::Forget(absl::string_view organisation) {
  cache_->Invalidate(organisation);
}

absl::Status MembershipDirectory::CheckExists(const server::Call& call,
                                              absl::string_view organisation) {
  return cache::GetOrLoadMessage<membership::v1::Organisation>(
             *cache_, organisation, [&] { return Ask(call, organisation); })
      .status();
}

absl::StatusOr<membership::v1::Organisation> MembershipDirectory::Ask(
    const server::Call& call, absl::string_view organisation) {
  grpc::ClientContext context;
  call.Propagate(identity_, &context, options_.timeout);
  membership::v1::GetOrganisationRequest request;
  request.set_name(std::string(organisation));
  membership::v1::Organisation answer;
  grpc::Status status = stub_->GetOrganisation(&context, request, &answer);
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return answer;
    case grpc::StatusCode::NOT_FOUND:
      return WithReason(
          absl::NotFoundError(absl::StrCat(organisation, " is not an organisation in membership")),
          "ORGANISATION_NOT_FOUND");
    case grpc::StatusCode::PERMISSION_DENIED:
      return FromGrpcStatus(status);
    case grpc::StatusCode::UNAUTHENTICATED:
      // Services trust each other through the internal credential; membership refusing it
      // is a deployment error that no retry by the caller will fix.
      return Unavailable(
          "it refused this service's credential (METROCAP_INTERNAL_CREDENTIAL must match)");
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return Unavailable("it did not answer in time");
    default:
      return Unavailable(status.error_message().empty()
                             ? absl::StrCat("status ", status.error_code())
                             : status.error_message());
  }
}

}  // namespace metrocap::assessment
