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

  std::vector<const store::ResourceSchema*> All() const { return {&frameworks, &assessments}; }
};

const Schemas& AssessmentSchemas();

// The assessments `caller` may read, as a condition over the assessments table: the SQL
// twin of core MayRead (tests/services/assessment/service_test.cc checks they agree). Empty
// for an ADMIN (everything).
query::Condition ReadableBy(const identity::Caller& caller);

// Every VALIDATED assessment against `framework`, of the organisation `parent`
// ("organisations/x") or of all organisations when `parent` is empty, read in pages within
// `tx`. Only the fields comparison needs are filled in: name, organisation, framework,
// period, state, visibility, profile and validate time — no responses, no etag.
absl::StatusOr<std::vector<v1::Assessment>> ListValidated(store::Transaction& tx,
                                                          absl::string_view framework,
                                                          absl::string_view parent);

}  // namespace metrocap::assessment
