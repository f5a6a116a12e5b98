#pragma once

// An in-process membership service for the gRPC tests: a temporary store, a fixed clock, the real
// server bootstrap on 127.0.0.1:0 and the generated client, plus the callers a test needs
// (the bootstrap ADMIN token, and PARTNER/VIEWER principals forwarded with the internal
// credential, exactly as the gateway will forward them).
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "absl/types/optional.h"
#include "common/cache/lookup_cache.h"
#include "common/identity/caller.h"
#include "common/server/server.h"
#include "common/store/store.h"
#include "gmock/gmock.h"
#include "google/type/date.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "metrocap/membership/v1/membership.grpc.pb.h"
#include "services/membership/service.h"
#include "tests/services/membership/core/fixtures.h"
#include "tests/support/store_backends.h"

namespace grpc {
// Lets gtest print a grpc::Status as its code and message instead of its bytes.
inline void PrintTo(const Status& status, std::ostream* os) {
  *os << "grpc::Status(" << status.error_code() << ", \"" << status.error_message() << "\")";
}
}  // namespace grpc

namespace metrocap::membership::testing {

using Stub = v1::MembershipService::Stub;

inline constexpr char kAdminToken[] = "admin-token-for-membership-tests";
inline constexpr char kInternalCredential[] = "internal-credential-for-membership-tests";
// What the service's clock reads unless a test moves it (MembershipServiceFixture::now_):
// 2022-04-15T05:20:00.250Z.
inline const absl::Time kNow = absl::FromUnixMillis(1650000000250);

// Who makes a call.
struct Who {
  enum class Kind { kAdmin, kPrincipal, kInternal, kMetadata };
  Kind kind = Kind::kAdmin;
  identity::Caller caller;                                    // kPrincipal
  std::vector<std::pair<std::string, std::string>> metadata;  // kMetadata, sent verbatim

  // The bootstrap admin: `authorization: Bearer <admin token>`.
  static Who Admin();
  // A principal forwarded by the gateway: the internal credential plus
  // x-metrocap-principal-bin, through identity::AttachIdentity.
  static Who Principal(const std::string& partner, v1::Partner::Role role,
                       std::vector<std::string> grants = {});
  static Who Viewer(const std::string& partner = "partners/viewer") {
    return Principal(partner, v1::Partner::VIEWER);
  }
  static Who Partner(const std::string& partner, std::vector<std::string> grants) {
    return Principal(partner, v1::Partner::PARTNER, std::move(grants));
  }
  // The gateway itself: the internal credential without a principal.
  static Who Internal();
  // Exactly these metadata entries (none at all for an anonymous caller).
  static Who Metadata(std::vector<std::pair<std::string, std::string>> entries);

  void Attach(grpc::ClientContext* context) const;
};

// The outcome of one call.
template <typename T>
struct Reply {
  grpc::Status status;
  T value;
  bool ok() const { return status.ok(); }
};

// The google.rpc.BadRequest field violations and the google.rpc.ErrorInfo reason carried
// in a status's binary details.
struct Violation {
  std::string field;
  std::string description;
};
std::vector<Violation> ViolationsOf(const grpc::Status& status);
std::string ReasonOf(const grpc::Status& status);
std::string Describe(const grpc::Status& status);

MATCHER_P(HasCode, code, "has gRPC code " + ::testing::PrintToString(code)) {
  *result_listener << "status is " << Describe(arg);
  return arg.error_code() == code;
}

MATCHER(IsGrpcOk, "is OK") {
  *result_listener << "status is " << Describe(arg);
  return arg.ok();
}

// INVALID_ARGUMENT with a BadRequest field violation for `field`.
MATCHER_P(IsBadField, field, std::string("INVALID_ARGUMENT naming ") + field) {
  *result_listener << "status is " << Describe(arg);
  if (arg.error_code() != grpc::StatusCode::INVALID_ARGUMENT) return false;
  for (const Violation& v : ViolationsOf(arg)) {
    if (v.field == field) return true;
  }
  return false;
}

using ::metrocap::testing::StoreBackend;

// The service on a fresh store of Backend(): the base of every fixture here. Most tests use
// MembershipServiceTest, which runs each test on every store backend.
class MembershipServiceFixture : public ::testing::Test {
 protected:
  // Skips the test when the backend cannot run here (fails it in CI).
  void SetUp() override;
  void TearDown() override;
  virtual const StoreBackend& Backend() const = 0;

  template <typename Response, typename Request>
  Reply<Response> Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                    Response*),
                       const Request& request, const Who& who = Who::Admin()) {
    grpc::ClientContext context;
    who.Attach(&context);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    Reply<Response> reply;
    reply.status = (stub_.get()->*method)(&context, request, &reply.value);
    return reply;
  }

  // Writers that expect success (a failure is reported and an empty message returned).
  v1::Region CreateRegion(const std::string& id, const std::string& display_name);
  static v1::Organisation OrganisationDraft(const std::string& display_name,
                                            const std::string& region = "regions/europe");
  v1::Organisation CreateOrganisation(const std::string& id, const v1::Organisation& draft);
  v1::Organisation CreateOrganisation(const std::string& id) {
    return CreateOrganisation(id, OrganisationDraft("Organisation " + id));
  }
  v1::BoardSeat CreateSeat(const std::string& id, const std::string& organisation,
                           v1::BoardSeat::Role role, const google::type::Date& term_start,
                           absl::optional<google::type::Date> term_end);
  v1::MembershipApplication Apply(const std::string& id, const std::string& applicant);
  v1::Partner CreatePartner(const std::string& id, v1::Partner::Role role,
                            std::vector<std::string> grants = {});

  // Readers (as ADMIN).
  v1::Organisation GetOrganisation(const std::string& name);
  v1::MembershipApplication GetApplication(const std::string& name);
  // total_size of an unfiltered List.
  int CountRegions();
  int CountOrganisations();
  int CountBoardSeats();
  int CountApplications();
  int CountPartners();

  // The service's clock: submit, form-sign and revoke times.
  absl::Time now_ = kNow;
  std::string dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<cache::CacheClient> cache_;  // in-process only, as with no Redis configured
  std::unique_ptr<MembershipService> service_;
  std::unique_ptr<server::GrpcServer> server_;
  std::unique_ptr<Stub> stub_;
};

// Each test on SQLite and on PostgreSQL: TEST_P, and once per fixture class
// METROCAP_ON_EVERY_STORE_BACKEND(Fixture). Names end in /SQLite or /PostgreSQL.
class MembershipServiceTest : public MembershipServiceFixture,
                              public ::testing::WithParamInterface<StoreBackend> {
 protected:
  const StoreBackend& Backend() const override { return GetParam(); }
};

#define METROCAP_ON_EVERY_STORE_BACKEND(fixture)                                         \
  INSTANTIATE_TEST_SUITE_P(Backends, fixture,                                            \
                           ::testing::ValuesIn(::metrocap::testing::AllStoreBackends()), \
                           ::metrocap::testing::StoreBackendName)

}  // namespace metrocap::membership::testing
