#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/cache/lookup_cache.h"
#include "common/resource/declared.h"
#include "common/server/call.h"
#include "common/store/store.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "services/membership/storage/schemas.h"

namespace metrocap::membership {

// The gRPC adapter of the membership service. Every resource is declared
// (common/resource/declared.h) and gets its standard methods from the declaration, one line
// each; the declarations hold what is particular (access, the rules in core/, references,
// the caches a write invalidates). One file per resource: regions.cc, organisations.cc,
// board_seats.cc, applications.cc, partners.cc, api_keys.cc; the shared lookups in
// service.cc. Every method runs through server::Serve (identity, logging, status mapping).
//
// Organisations and API keys are shared lookups: GetOrganisation and LookupApiKey read
// through the process's cache (cache::kOrganisationsCache, cache::kApiKeysCache), and
// every write that changes what they answer invalidates the keys it touched once its
// transaction has committed, before it answers (service.cc).
// GetOrganisation, the hottest read (the gateway and the other services ask it for every
// caller's organisation), is on gRPC's callback API (server::ServeUnary): a cache hit is
// answered on gRPC's own thread. Every other method is on the sync API.
class MembershipService final : public v1::MembershipService::WithCallbackMethod_GetOrganisation<
                                    v1::MembershipService::Service> {
 public:
  using Clock = std::function<absl::Time()>;

  // `store` must be migrated with MembershipSchemas() and outlive the service.
  // `page_token_key` signs page tokens; replicas must share it. `cache` is the process's
  // one cache client (it must outlive the service); without one the service keeps an
  // in-process client of its own, which is exact for a single replica. `clock` stamps
  // submit, form-sign and revoke times.
  MembershipService(server::CallEnv env, store::Store* store, std::string page_token_key,
                    cache::CacheClient* cache = nullptr, Clock clock = absl::Now);

  grpc::Status GetRegion(grpc::ServerContext*, const v1::GetRegionRequest*, v1::Region*) override;
  grpc::Status ListRegions(grpc::ServerContext*, const v1::ListRegionsRequest*,
                           v1::ListRegionsResponse*) override;
  grpc::Status CreateRegion(grpc::ServerContext*, const v1::CreateRegionRequest*,
                            v1::Region*) override;
  grpc::Status UpdateRegion(grpc::ServerContext*, const v1::UpdateRegionRequest*,
                            v1::Region*) override;
  grpc::Status DeleteRegion(grpc::ServerContext*, const v1::DeleteRegionRequest*,
                            google::protobuf::Empty*) override;

  grpc::ServerUnaryReactor* GetOrganisation(grpc::CallbackServerContext*,
                                            const v1::GetOrganisationRequest*,
                                            v1::Organisation*) override;
  grpc::Status ListOrganisations(grpc::ServerContext*, const v1::ListOrganisationsRequest*,
                                 v1::ListOrganisationsResponse*) override;
  grpc::Status CreateOrganisation(grpc::ServerContext*, const v1::CreateOrganisationRequest*,
                                  v1::Organisation*) override;
  grpc::Status UpdateOrganisation(grpc::ServerContext*, const v1::UpdateOrganisationRequest*,
                                  v1::Organisation*) override;
  grpc::Status DeleteOrganisation(grpc::ServerContext*, const v1::DeleteOrganisationRequest*,
                                  google::protobuf::Empty*) override;

  grpc::Status GetBoardSeat(grpc::ServerContext*, const v1::GetBoardSeatRequest*,
                            v1::BoardSeat*) override;
  grpc::Status ListBoardSeats(grpc::ServerContext*, const v1::ListBoardSeatsRequest*,
                              v1::ListBoardSeatsResponse*) override;
  grpc::Status CreateBoardSeat(grpc::ServerContext*, const v1::CreateBoardSeatRequest*,
                               v1::BoardSeat*) override;
  grpc::Status UpdateBoardSeat(grpc::ServerContext*, const v1::UpdateBoardSeatRequest*,
                               v1::BoardSeat*) override;
  grpc::Status DeleteBoardSeat(grpc::ServerContext*, const v1::DeleteBoardSeatRequest*,
                               google::protobuf::Empty*) override;

  grpc::Status GetApplication(grpc::ServerContext*, const v1::GetApplicationRequest*,
                              v1::MembershipApplication*) override;
  grpc::Status ListApplications(grpc::ServerContext*, const v1::ListApplicationsRequest*,
                                v1::ListApplicationsResponse*) override;
  grpc::Status CreateApplication(grpc::ServerContext*, const v1::CreateApplicationRequest*,
                                 v1::MembershipApplication*) override;
  grpc::Status DeleteApplication(grpc::ServerContext*, const v1::DeleteApplicationRequest*,
                                 google::protobuf::Empty*) override;
  grpc::Status SignApplicationForm(grpc::ServerContext*, const v1::SignApplicationFormRequest*,
                                   v1::MembershipApplication*) override;
  grpc::Status RatifyApplication(grpc::ServerContext*, const v1::RatifyApplicationRequest*,
                                 v1::MembershipApplication*) override;
  grpc::Status RejectApplication(grpc::ServerContext*, const v1::RejectApplicationRequest*,
                                 v1::MembershipApplication*) override;
  grpc::Status WithdrawApplication(grpc::ServerContext*, const v1::WithdrawApplicationRequest*,
                                   v1::MembershipApplication*) override;

  grpc::Status GetPartner(grpc::ServerContext*, const v1::GetPartnerRequest*,
                          v1::Partner*) override;
  grpc::Status ListPartners(grpc::ServerContext*, const v1::ListPartnersRequest*,
                            v1::ListPartnersResponse*) override;
  grpc::Status CreatePartner(grpc::ServerContext*, const v1::CreatePartnerRequest*,
                             v1::Partner*) override;
  grpc::Status UpdatePartner(grpc::ServerContext*, const v1::UpdatePartnerRequest*,
                             v1::Partner*) override;
  grpc::Status DeletePartner(grpc::ServerContext*, const v1::DeletePartnerRequest*,
                             google::protobuf::Empty*) override;

  grpc::Status GetApiKey(grpc::ServerContext*, const v1::GetApiKeyRequest*, v1::ApiKey*) override;
  grpc::Status ListApiKeys(grpc::ServerContext*, const v1::ListApiKeysRequest*,
                           v1::ListApiKeysResponse*) override;
  grpc::Status CreateApiKey(grpc::ServerContext*, const v1::CreateApiKeyRequest*,
                            v1::ApiKey*) override;
  grpc::Status DeleteApiKey(grpc::ServerContext*, const v1::DeleteApiKeyRequest*,
                            google::protobuf::Empty*) override;
  grpc::Status RevokeApiKey(grpc::ServerContext*, const v1::RevokeApiKeyRequest*,
                            v1::ApiKey*) override;
  grpc::Status LookupApiKey(grpc::ServerContext*, const v1::LookupApiKeyRequest*,
                            v1::Principal*) override;

 private:
  // The application transitions (:signForm, :ratify, :reject, :withdraw) share one path:
  // load the application and its applicant, check the caller and the etag, apply `step`
  // (a core/applications.h transition), store both.
  using ApplicationStep = std::function<absl::Status(
      store::Transaction&, v1::MembershipApplication&, v1::Organisation& applicant)>;
  absl::StatusOr<v1::MembershipApplication> Transition(
      const server::Call& call, absl::string_view method, const google::protobuf::Message& request,
      const std::string& name, const std::string& etag, const std::string& request_id,
      const ApplicationStep& step);

  // The declarations (one per resource file).
  resource::Declaration<v1::Region> RegionDeclaration() const;
  resource::Declaration<v1::Organisation> OrganisationDeclaration() const;
  resource::Declaration<v1::BoardSeat> BoardSeatDeclaration() const;
  resource::Declaration<v1::MembershipApplication> ApplicationDeclaration();
  resource::Declaration<v1::Partner> PartnerDeclaration();
  resource::Declaration<v1::ApiKey> ApiKeyDeclaration();

  // Shared lookups (service.cc).
  // The organisation called `name`, through the organisations cache. NOT_FOUND when absent.
  absl::StatusOr<v1::Organisation> ReadOrganisation(const std::string& name);
  // The principal an API key stands for, through the api-keys cache. UNAUTHENTICATED for
  // a malformed, unknown or revoked key, or a key whose partner is gone.
  absl::StatusOr<v1::Principal> ResolveApiKey(absl::string_view secret);
  absl::StatusOr<v1::Principal> PrincipalFromStore(absl::string_view secret);
  // After a committed write (never inside its transaction): drop what every replica
  // holds for `organisation`, or for these API key digests.
  void OrganisationChanged(absl::string_view organisation);
  void ApiKeysChanged(const std::vector<std::string>& digests);

  server::CallEnv env_;
  store::Store* store_;
  std::string page_token_key_;
  Clock clock_;
  const Schemas& schemas_;
  std::unique_ptr<cache::CacheClient> own_cache_;  // only when none was given
  cache::LookupCache* organisations_cache_;
  cache::LookupCache* api_keys_cache_;
  resource::ServiceEnv shared_;
  resource::Resource<v1::Region> regions_;
  resource::Resource<v1::Organisation> organisations_;
  resource::Resource<v1::BoardSeat> board_seats_;
  resource::Resource<v1::MembershipApplication> applications_;
  resource::Resource<v1::Partner> partners_;
  resource::Resource<v1::ApiKey> api_keys_;
};

}  // namespace metrocap::membership
