#include "tests/services/membership/service_fixture.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/membership/storage/schemas.h"

namespace metrocap::membership::testing {

Who Who::Admin() { return Who{}; }

Who Who::Principal(const std::string& partner, v1::Partner::Role role,
                   std::vector<std::string> grants) {
  Who who;
  who.kind = Kind::kPrincipal;
  who.caller = identity::Caller{partner, role, std::move(grants)};
  return who;
}

Who Who::Internal() {
  Who who;
  who.kind = Kind::kInternal;
  return who;
}

Who Who::Metadata(std::vector<std::pair<std::string, std::string>> entries) {
  Who who;
  who.kind = Kind::kMetadata;
  who.metadata = std::move(entries);
  return who;
}

void Who::Attach(grpc::ClientContext* context) const {
  switch (kind) {
    case Kind::kAdmin:
      context->AddMetadata("authorization", absl::StrCat("Bearer ", kAdminToken));
      break;
    case Kind::kPrincipal:
      identity::AttachIdentity(caller, identity::IdentityConfig{kInternalCredential, ""}, context);
      break;
    case Kind::kInternal:
      context->AddMetadata(identity::kCredentialKey, kInternalCredential);
      break;
    case Kind::kMetadata:
      for (const auto& [key, value] : metadata) context->AddMetadata(key, value);
      break;
  }
}

namespace {

google::rpc::Status DetailsOf(const grpc::Status& status) {
  google::rpc::Status details;
  if (!status.error_details().empty()) details.ParseFromString(status.error_details());
  return details;
}

}  // namespace

std::vector<Violation> ViolationsOf(const grpc::Status& status) {
  std::vector<Violation> out;
  const google::rpc::Status details = DetailsOf(status);
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (!any.Is<google::rpc::BadRequest>() || !any.UnpackTo(&bad_request)) continue;
    for (const auto& v : bad_request.field_violations()) {
      out.push_back(Violation{v.field(), v.description()});
    }
  }
  return out;
}

std::string ReasonOf(const grpc::Status& status) {
  const google::rpc::Status details = DetailsOf(status);
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

std::string Describe(const grpc::Status& status) {
  std::string out = absl::StrCat("code ", status.error_code(), " \"", status.error_message(), "\"");
  std::string reason = ReasonOf(status);
  if (!reason.empty()) absl::StrAppend(&out, " reason ", reason);
  for (const Violation& v : ViolationsOf(status)) {
    absl::StrAppend(&out, " [", v.field, ": ", v.description, "]");
  }
  return out;
}

void MembershipServiceFixture::SetUp() {
  // These tests are about behaviour, not durability (tests/integration has that), and a
  // synchronous=FULL commit costs an fsync: on tmpfs the suite runs ten times faster.
  METROCAP_REQUIRE_STORE_BACKEND(Backend());
  std::string base = access("/dev/shm", W_OK) == 0 ? "/dev/shm/" : ::testing::TempDir();
  std::string pattern = base + "membership-service-XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  dir_ = pattern;
  // SQLite: <dir_>/membership.db; PostgreSQL: a database of this test's own.
  auto store = Backend().Open(dir_, "membership");
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
  absl::Status migrated = store_->Migrate(MembershipSchemas().All());
  ASSERT_TRUE(migrated.ok()) << migrated;

  auto cache = cache::CacheClient::Create(cache::CacheConfig());
  ASSERT_TRUE(cache.ok()) << cache.status();
  cache_ = *std::move(cache);

  server::CallEnv env{"membership", {kInternalCredential, kAdminToken}};
  service_ = std::make_unique<MembershipService>(env, store_.get(), "page-token-key-for-tests",
                                                 cache_.get(), [this] { return now_; });
  server::ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.reflection = false;
  options.shutdown_grace = absl::Seconds(2);
  auto server = server::GrpcServer::Start("membership", options, {service_.get()});
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
  server_->SetServing(true);
  stub_ = v1::MembershipService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", server_->port()), grpc::InsecureChannelCredentials()));

  CreateRegion("europe", "Europe");
}

void MembershipServiceFixture::TearDown() {
  stub_.reset();
  server_.reset();  // drains before the service and the store go away
  service_.reset();
  cache_.reset();
  store_.reset();
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

v1::Region MembershipServiceFixture::CreateRegion(const std::string& id,
                                                  const std::string& display_name) {
  v1::CreateRegionRequest request;
  request.set_region_id(id);
  request.mutable_region()->set_display_name(display_name);
  auto reply = Call(&Stub::CreateRegion, request);
  EXPECT_THAT(reply.status, IsGrpcOk()) << "creating region " << id;
  return reply.value;
}

v1::Organisation MembershipServiceFixture::OrganisationDraft(const std::string& display_name,
                                                             const std::string& region) {
  v1::Organisation o;
  o.set_display_name(display_name);
  o.set_kind(v1::Organisation::CITY);
  o.set_country_code("ES");
  o.set_region(region);
  o.set_population(100000);
  return o;
}

v1::Organisation MembershipServiceFixture::CreateOrganisation(const std::string& id,
                                                              const v1::Organisation& draft) {
  v1::CreateOrganisationRequest request;
  request.set_organisation_id(id);
  *request.mutable_organisation() = draft;
  auto reply = Call(&Stub::CreateOrganisation, request);
  EXPECT_THAT(reply.status, IsGrpcOk()) << "creating organisation " << id;
  return reply.value;
}

v1::BoardSeat MembershipServiceFixture::CreateSeat(const std::string& id,
                                                   const std::string& organisation,
                                                   v1::BoardSeat::Role role,
                                                   const google::type::Date& term_start,
                                                   absl::optional<google::type::Date> term_end) {
  v1::CreateBoardSeatRequest request;
  request.set_board_seat_id(id);
  v1::BoardSeat* seat = request.mutable_board_seat();
  seat->set_organisation(organisation);
  seat->set_person_name("Holder of " + id);
  seat->set_title("Mayor");
  seat->set_role(role);
  seat->set_region("regions/europe");
  *seat->mutable_term_start() = term_start;
  if (term_end) *seat->mutable_term_end() = *term_end;
  auto reply = Call(&Stub::CreateBoardSeat, request);
  EXPECT_THAT(reply.status, IsGrpcOk()) << "creating seat " << id;
  return reply.value;
}

v1::MembershipApplication MembershipServiceFixture::Apply(const std::string& id,
                                                          const std::string& applicant) {
  v1::CreateApplicationRequest request;
  request.set_application_id(id);
  request.mutable_application()->set_applicant(applicant);
  auto reply = Call(&Stub::CreateApplication, request);
  EXPECT_THAT(reply.status, IsGrpcOk()) << "applying for " << applicant;
  return reply.value;
}

v1::Partner MembershipServiceFixture::CreatePartner(const std::string& id, v1::Partner::Role role,
                                                    std::vector<std::string> grants) {
  v1::CreatePartnerRequest request;
  request.set_partner_id(id);
  request.mutable_partner()->set_display_name("Partner " + id);
  request.mutable_partner()->set_role(role);
  for (std::string& grant : grants) request.mutable_partner()->add_grants(std::move(grant));
  auto reply = Call(&Stub::CreatePartner, request);
  EXPECT_THAT(reply.status, IsGrpcOk()) << "creating partner " << id;
  return reply.value;
}

v1::Organisation MembershipServiceFixture::GetOrganisation(const std::string& name) {
  v1::GetOrganisationRequest request;
  request.set_name(name);
  auto reply = Call(&Stub::GetOrganisation, request);
  EXPECT_THAT(reply.status, IsGrpcOk()) << "getting " << name;
  return reply.value;
}

v1::MembershipApplication MembershipServiceFixture::GetApplication(const std::string& name) {
  v1::GetApplicationRequest request;
  request.set_name(name);
  auto reply = Call(&Stub::GetApplication, request);
  EXPECT_THAT(reply.status, IsGrpcOk()) << "getting " << name;
  return reply.value;
}

int MembershipServiceFixture::CountRegions() {
  auto reply = Call(&Stub::ListRegions, v1::ListRegionsRequest());
  EXPECT_THAT(reply.status, IsGrpcOk());
  return reply.value.total_size();
}

int MembershipServiceFixture::CountOrganisations() {
  auto reply = Call(&Stub::ListOrganisations, v1::ListOrganisationsRequest());
  EXPECT_THAT(reply.status, IsGrpcOk());
  return reply.value.total_size();
}

int MembershipServiceFixture::CountBoardSeats() {
  auto reply = Call(&Stub::ListBoardSeats, v1::ListBoardSeatsRequest());
  EXPECT_THAT(reply.status, IsGrpcOk());
  return reply.value.total_size();
}

int MembershipServiceFixture::CountApplications() {
  auto reply = Call(&Stub::ListApplications, v1::ListApplicationsRequest());
  EXPECT_THAT(reply.status, IsGrpcOk());
  return reply.value.total_size();
}

int MembershipServiceFixture::CountPartners() {
  auto reply = Call(&Stub::ListPartners, v1::ListPartnersRequest());
  EXPECT_THAT(reply.status, IsGrpcOk());
  return reply.value.total_size();
}

METROCAP_ON_EVERY_STORE_BACKEND(MembershipServiceTest);

}  // namespace metrocap::membership::testing
