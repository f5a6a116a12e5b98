#include "services/assessment/organisations.h"

namespace metrocap::assessment {

MembershipDirectory::MembershipDirectory(std::shared_ptr<grpc::ChannelInterface> channel,
                                         identity::IdentityConfig identity,
                                         MembershipDirectoryOptions options,
                                         cache::LookupCache* cache)
    : organisations_({"membership", "organisation", std::move(identity), options.timeout}, cache,
                     [stub = std::shared_ptr<membership::v1::MembershipService::Stub>(
                          membership::v1::MembershipService::NewStub(channel))](
                         grpc::ClientContext* context, const std::string& name,
                         membership::v1::Organisation* out) {
                       membership::v1::GetOrganisationRequest request;
                       request.set_name(name);
                       return stub->GetOrganisation(context, request, out);
                     }) {}

void MembershipDirectory::Forget(absl::string_view organisation) {
  organisations_.Forget(organisation);
}

absl::Status MembershipDirectory::CheckExists(const server::Call& call,
                                              absl::string_view organisation) {
  return organisations_.Get(call, organisation).status();
}

}  // namespace metrocap::assessment
