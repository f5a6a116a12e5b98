#include "services/membership/storage/schemas.h"

#include "metrocap/membership/v1/membership.pb.h"

namespace metrocap::membership {

const Schemas& MembershipSchemas() {
  static const Schemas* schemas = [] {
    using namespace ::metrocap::membership::v1;
    auto* s = new Schemas;
    s->regions = store::MakeSchema("regions", Region::descriptor(), {"displayName"});
    s->organisations =
        store::MakeSchema("organisations", Organisation::descriptor(),
                          {"displayName", "kind", "countryCode", "region", "population", "parent",
                           "membershipState", "memberSince"});
    s->board_seats =
        store::MakeSchema("board_seats", BoardSeat::descriptor(),
                          {"organisation", "personName", "role", "region", "termStart", "termEnd"});
    s->applications = store::MakeSchema(
        "applications", MembershipApplication::descriptor(),
        {"applicant", "state", "submitTime", "formSignTime", "decision.decisionDate"});
    s->partners = store::MakeSchema("partners", Partner::descriptor(),
                                    {"displayName", "organisation", "role", "grants"});
    // ApiKey.secret holds "sha256:<hex>" of the key in storage and is cleared on every read.
    s->api_keys =
        store::MakeSchema("api_keys", ApiKey::descriptor(), {"displayName", "state", "keyPrefix"});
    return s;
  }();
  return *schemas;
}

}  // namespace metrocap::membership
