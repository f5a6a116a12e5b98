#pragma once

#include "common/store/schema.h"
#include "metrocap/membership/v1/membership.pb.h"

namespace metrocap::query::testing {

inline store::ResourceSchema OrganisationSchema() {
  return store::MakeSchema("organisations", membership::v1::Organisation::descriptor(),
                           {"displayName", "kind", "countryCode", "region", "population", "parent",
                            "membershipState", "memberSince"});
}

inline store::ResourceSchema PartnerSchema() {
  return store::MakeSchema("partners", membership::v1::Partner::descriptor(), {"role", "grants"});
}

// The membership API has no bool field yet; a hand-made column covers the kind.
inline store::ResourceSchema SchemaWithBool() {
  store::ResourceSchema schema = OrganisationSchema();
  schema.columns.push_back(store::Column{"verified", "verified", store::ColumnKind::kBool});
  return schema;
}

}  // namespace metrocap::query::testing
