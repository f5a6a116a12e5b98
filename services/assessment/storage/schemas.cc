#include "services/assessment/storage/schemas.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/query/order_by.h"
#include "common/status/status_macros.h"
#include "common/store/store.h"

namespace metrocap::assessment {
namespace {

// Rows read per round trip when collecting assessments or profile rows.
constexpr int kBatch = 500;

const query::Condition& Validated() {
  static const query::Condition* validated =
      new query::Condition{"state = ?", {std::string("VALIDATED")}};
  return *validated;
}

// Runs `each` on every record `list` selects (its limit is the page size), page by page.
absl::Status ForEachRecord(store::Transaction& tx, const store::ResourceSchema& schema,
                           store::ListQuery list,
                           const std::function<absl::Status(const store::Record&)>& each) {
  ASSIGN_OR_RETURN(list.order, query::ParseOrderBy(schema, ""));
  list.limit = kBatch;
  while (true) {
    ASSIGN_OR_RETURN(store::ListResult page, tx.List(schema, list));
    for (const store::Record& record : page.records) RETURN_IF_ERROR(each(record));
    if (!page.next) return absl::OkStatus();
    list.after = std::move(page.next);
  }
}

}  // namespace

const Schemas& AssessmentSchemas() {
  static const Schemas* schemas = [] {
    auto* s = new Schemas;
    s->frameworks =
        store::MakeSchema("frameworks", v1::Framework::descriptor(), {"displayName", "state"});
    s->assessments = store::MakeSchema("assessments", v1::Assessment::descriptor(),
                                       {"organisation", "framework", "state", "visibility",
                                        "periodStart", "periodEnd", "displayName", "validateTime"});
    s->profiles =
        store::MakeSchema("assessment_profiles", v1::Assessment::descriptor(), {"framework"});
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
  if (caller.role == membership::v1::Partner::PARTNER && !caller.grants.empty()) {
    std::vector<std::string> marks(caller.grants.size(), "?");
    readable.sql =
        absl::StrCat(readable.sql, " OR organisation IN (", absl::StrJoin(marks, ", "), ")");
    for (const std::string& grant : caller.grants) readable.params.push_back(grant);
  }
  return readable;
}

v1::Assessment ProfileRowOf(const v1::Assessment& assessment) {
  v1::Assessment row = assessment;
  row.clear_responses();
  row.clear_methods();
  row.mutable_profile()->clear_dimension_profiles();
  row.clear_etag();
  row.clear_create_time();
  row.clear_update_time();
  return row;
}

absl::Status SyncProfileRow(store::Transaction& tx, const v1::Assessment* before,
                            const v1::Assessment* after) {
  const store::ResourceSchema& profiles = AssessmentSchemas().profiles;
  if (before != nullptr && before->state() == v1::Assessment::VALIDATED) {
    ASSIGN_OR_RETURN(store::Record row, tx.Get(profiles, before->name()));
    RETURN_IF_ERROR(tx.Delete(profiles, before->name(), row.version));
  }
  if (after != nullptr && after->state() == v1::Assessment::VALIDATED) {
    RETURN_IF_ERROR(tx.Insert(profiles, after->name(), ProfileRowOf(*after)).status());
  }
  return absl::OkStatus();
}

absl::Status FillProfileRows(store::Store& store) {
  const Schemas& schemas = AssessmentSchemas();
  return store.RunInTransaction([&](store::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(int64_t validated, tx.Count(schemas.assessments, "", Validated()));
    ASSIGN_OR_RETURN(int64_t rows, tx.Count(schemas.profiles, "", {}));
    if (validated == rows) return absl::OkStatus();
    store::ListQuery list;
    list.filter = Validated();
    return ForEachRecord(tx, schemas.assessments, list, [&](const store::Record& record) {
      absl::StatusOr<store::Record> row = tx.Get(schemas.profiles, record.name);
      if (!absl::IsNotFound(row.status())) return row.status();
      v1::Assessment assessment;
      RETURN_IF_ERROR(store::DecodeRecord(record, &assessment));
      return tx.Insert(schemas.profiles, record.name, ProfileRowOf(assessment)).status();
    });
  });
}

absl::StatusOr<std::vector<v1::Assessment>> ListValidated(store::Transaction& tx,
                                                          absl::string_view framework,
                                                          absl::string_view parent) {
  store::ListQuery list;
  list.parent = std::string(parent);
  list.filter = {"framework = ?", {std::string(framework)}};
  std::vector<v1::Assessment> out;
  RETURN_IF_ERROR(ForEachRecord(
      tx, AssessmentSchemas().profiles, list, [&](const store::Record& record) -> absl::Status {
        if (out.emplace_back().ParseFromString(record.data)) {
          return absl::OkStatus();
        }
        return absl::InternalError(absl::StrCat("stored ", record.name, " does not parse"));
      }));
  return out;
}

}  // namespace metrocap::assessment
