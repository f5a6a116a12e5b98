#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/identity/caller.h"
#include "common/query/filter.h"
#include "common/store/schema.h"
#include "common/store/store.h"
#include "metrocap/assessment/v1/assessment.pb.h"

namespace metrocap::assessment {

// The assessment resources as the store keeps them, with the fields List can filter and
// order by. Assessment.organisation is set by the service from the name on every write,
// so the visibility condition below can rely on it.
struct Schemas {
  store::ResourceSchema frameworks;
  store::ResourceSchema assessments;
  // One row per VALIDATED assessment, under the assessment's own name, holding only what
  // comparison reads (ProfileRowOf), indexed by framework: whole-network comparisons read
  // these small rows instead of parsing every stored assessment with its responses. Kept in
  // the transaction of each assessment write (SyncProfileRow).
  store::ResourceSchema profiles;

  std::vector<const store::ResourceSchema*> All() const {
    return {&frameworks, &assessments, &profiles};
  }
};

const Schemas& AssessmentSchemas();

// The assessments `caller` may read, as a condition over the assessments table: the SQL
// twin of core MayRead (tests/services/assessment/service_test.cc checks they agree). Empty
// for an ADMIN (everything).
query::Condition ReadableBy(const identity::Caller& caller);

// What a profile row holds of `assessment`: what comparison reads (name, organisation,
// framework, period, state, visibility, the overall profile, validate time) and the other
// small fields; not the responses, the methods, the per-dimension profiles (five times the
// overall one), the etag or the times: the fewer bytes and messages, the cheaper the read.
v1::Assessment ProfileRowOf(const v1::Assessment& assessment);

// Brings the profile rows in `tx` in line with a write of one assessment from `before` to
// `after` (either null for a Create or a Delete): a row exactly while it is VALIDATED.
absl::Status SyncProfileRow(store::Transaction& tx, const v1::Assessment* before,
                            const v1::Assessment* after);

// Writes the profile row of every VALIDATED assessment that lacks one, in one transaction:
// a database from before the profile rows upgrades on the service's start. Cheap when
// nothing is missing (two counts).
absl::Status FillProfileRows(store::Store& store);

// Every VALIDATED assessment against `framework`, of the organisation `parent`
// ("organisations/x") or of all organisations when `parent` is empty, read from the profile
// rows in pages within `tx`, as ProfileRowOf gives them, in name order.
absl::StatusOr<std::vector<v1::Assessment>> ListValidated(store::Transaction& tx,
                                                          absl::string_view framework,
                                                          absl::string_view parent);

}  // namespace metrocap::assessment
