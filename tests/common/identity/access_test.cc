// The role checks: who may administer and who may write for an organisation.
#include "common/identity/access.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::identity {
namespace {

using ::metrocap::testing::IsOk;
using ::metrocap::testing::StatusIs;
using ::testing::HasSubstr;

const Caller kAdmin{"partners/secretariat", membership::v1::Partner::ADMIN, {}};
const Caller kPartner{"partners/milan-lab",
                      membership::v1::Partner::PARTNER,
                      {"organisations/metropolitan-city-of-milan"}};
const Caller kViewer{"partners/observer", membership::v1::Partner::VIEWER, {}};

TEST(RequireAdminTest, OnlyTheAdminPasses) {
  EXPECT_THAT(RequireAdmin(kAdmin, "publish frameworks"), IsOk());
  absl::Status refused = RequireAdmin(kPartner, "publish frameworks");
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kPermissionDenied,
                                HasSubstr("only an ADMIN may publish frameworks")));
  EXPECT_EQ(ReasonOf(refused), "ADMIN_REQUIRED");
  EXPECT_THAT(RequireAdmin(kViewer, "x"), StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(RequireWriteForTest, AdminAndGrantedPartnerPass) {
  EXPECT_THAT(RequireWriteFor(kAdmin, "organisations/city-of-tirana"), IsOk());
  EXPECT_THAT(RequireWriteFor(kPartner, "organisations/metropolitan-city-of-milan"), IsOk());
}

TEST(RequireWriteForTest, OthersAreRefusedNamingTheOrganisation) {
  absl::Status refused = RequireWriteFor(kPartner, "organisations/city-of-tirana");
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kPermissionDenied,
                                HasSubstr("partners/milan-lab may not write for "
                                          "organisations/city-of-tirana")));
  EXPECT_EQ(ReasonOf(refused), "NOT_GRANTED");
  // A grant means nothing without the PARTNER role, and nobody is anonymous-writable.
  const Caller viewer_with_grant{
      "partners/v", membership::v1::Partner::VIEWER, {"organisations/metropolitan-city-of-milan"}};
  for (const Caller& caller : {kViewer, viewer_with_grant, Caller{}}) {
    absl::Status status = RequireWriteFor(caller, "organisations/metropolitan-city-of-milan");
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied));
    EXPECT_EQ(ReasonOf(status), "NOT_GRANTED");
  }
}

}  // namespace
}  // namespace metrocap::identity
