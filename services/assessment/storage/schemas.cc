#include "services/assessment/storage/schemas.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/query/order_by.h"
#include "common/status/status_macros.h"
#include "common/store/row_writer.h"

namespace metrocap::assessment {
namespace {

// Rows read per round trip when collecting validated assessments.
constexpr int kBatch = 500;

}  // namespace

const Schemas& AssessmentSchemas() {
  static const Schemas* schemas = [] {
    auto* s = new Schemas;
    s->frameworks = store::MakeSchema("frameworks", v1::Framework::descriptor(),
                                      {"displayName", "state"});
    s->assessments = store::MakeSchema("assessments", v1::Assessment::descriptor(),
                                       {"organisation", "framework", "state", "visibility",
                                        "periodStart", "periodEnd", "displayName", "validateTime"});
    return s;
  }();
  return *schemas;
}

query::Condition ReadableBy(const identity::Caller& caller) {
  if (caller.IsAdmin()) return {};
  // Enum columns hold the value's name (store::ColumnKind::kEnum).
  query::Condition readable{"visibility = ?", {std::string("PUBLIC")}};
  if (caller.MayRead())
    readable = {"visibility IN (?, ?)", {std::string("NETWORK"), std::string("PUBLIC")}};
  if (caller.role == membership::v1::PARTNER && !caller.grants.empty()) {
    std::vector<std::string> marks(caller.grants.size(), "?");
    readable.sql =
        absl::StrCat(readable.sql, " OR organisation IN (", absl::StrJoin(marks, ", "), ")");
    for (const std::string& grant : caller.grants) readable.params.push_back(grant);
  }
  return readable;
}

absl::StatusOr<std::vector<v1::Assessment>> ListValidated(store::Transaction& tx,
                                                          absl::string_view framework,
                                                          absl::string_view parent) {
  const store::ResourceSchema& schema = AssessmentSchemas().assessments;
  store::ListQuery list;
  list.parent = std::string(parent);
  list.filter = {"framework = ? AND state = ?", {std::string(framework), std::string("VALIDATED")}};
  ASSIGN_OR_RETURN(list.order, query::ParseOrderBy(schema, ""));
  list.limit = kBatch;
  std::vector<v1::Assessment> out;
  while (true) {
    ASSIGN_OR_RETURN(store::ListResult page, tx.List(schema, list));
    for (const store::Record& record : page.records) {
      RETURN_IF_ERROR(store::DecodeRecord(record, &out.emplace_back()));
    }
    if (!page.next) break;
    list.after = std::move(page.next);
  }
  return out;
}

}  // namespace metrocap::assessment
