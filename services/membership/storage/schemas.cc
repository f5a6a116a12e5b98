#include "services/membership/storage/schemas.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/query/order_by.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "common/store/row_writer.h"
#include "services/membership/core/applications.h"

namespace metrocap::membership {
namespace {

// Rows read per round trip when collecting every match of a condition.
constexpr int kBatch = 500;

// Every `T` of `schema` under `parent` ("" for all) matching `filter`, in name order.
template <typename T>
absl::StatusOr<std::vector<T>> ListAll(store::Transaction& tx, const store::ResourceSchema& schema,
                                       absl::string_view parent, query::Condition filter) {
  store::ListQuery list;
  list.parent = std::string(parent);
  list.filter = std::move(filter);
  ASSIGN_OR_RETURN(list.order, query::ParseOrderBy(schema, ""));
  list.limit = kBatch;
  std::vector<T> out;
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

// The value `date` has in a date column: the store's own encoding of google.type.Date.
std::string DateColumnValue(const google::type::Date& date) {
  v1::BoardSeat probe;
  *probe.mutable_term_start() = date;
  const store::Column* column = MembershipSchemas().board_seats.Find("termStart");
  return absl::get<std::string>(store::ExtractColumn(probe, *column));
}

}  // namespace

const Schemas& MembershipSchemas() {
  static const Schemas* schemas = [] {
    using namespace ::metrocap::membership::v1;
    auto* s = new Schemas;
    s->regions = store::MakeSchema("regions", Region::descriptor(), {"displayName"});
    s->organisations =
        store::MakeSchema("organisations", Organisation::descriptor(),
                          {"displayName", "kind", "countryCode", "region", "population", "parent",
                           "membershipState", "memberSince"});
    // The directory's list: one region's organisations of one kind by display name (the
    // console's members table, a partner paging through a region). The filter's equalities
    // lead, then the order with its name tiebreak, so the page and its keyset cursor
    // ((display_name, name) > (?, ?)) are one seek in the index and no sort, at any depth
    // (docs/membership.md, "Listing at scale").
    s->organisations.indexes.push_back({"region", "kind", "display_name", "name"});
    // The same list's totalSize, and the unfiltered one's, from the numbers per region and
    // kind the store keeps with every write, not a count of 62,500 (or 1,000,000) index
    // entries on every first page (docs/benchmarks.md, "Membership: listing at scale").
    s->organisations.count_by = {"region", "kind"};
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

query::Condition SeatsActiveOn(const google::type::Date& date) {
  // Unset dates are stored as "": no start never sits, no end runs on.
  std::string day = DateColumnValue(date);
  return query::Condition{
      "term_start != '' AND term_start <= ? AND (term_end = '' OR term_end > ?)", {day, day}};
}

absl::StatusOr<std::vector<v1::BoardSeat>> ListSeatsActiveOn(store::Transaction& tx,
                                                             const google::type::Date& date) {
  return ListAll<v1::BoardSeat>(tx, MembershipSchemas().board_seats, "", SeatsActiveOn(date));
}

absl::StatusOr<int64_t> CountReferences(store::Transaction& tx, const store::ResourceSchema& schema,
                                        absl::string_view field, absl::string_view name) {
  const store::Column* column = schema.Find(field);
  if (column == nullptr) {
    return absl::InternalError(absl::StrCat(schema.table, " has no indexed ", field));
  }
  // The filter compiler knows how each kind of column is kept (a side table for lists).
  const bool list = column->kind == store::ColumnKind::kStringList;
  const std::string quoted =
      absl::StrCat("\"", absl::StrReplaceAll(name, {{"\\", "\\\\"}, {"\"", "\\\""}}), "\"");
  ASSIGN_OR_RETURN(query::Condition refers,
                   query::CompileFilter(schema, absl::StrCat(field, list ? ":" : " = ", quoted)));
  return tx.Count(schema, "", refers);
}

absl::StatusOr<int64_t> CountOpenApplications(store::Transaction& tx, absl::string_view applicant) {
  query::Condition open{"applicant = ? AND state IN (", {std::string(applicant)}};
  std::vector<std::string> marks;
  for (v1::MembershipApplication::State state : OpenApplicationStates()) {
    marks.push_back("?");
    open.params.push_back(v1::MembershipApplication::State_Name(state));  // enum columns hold names
  }
  absl::StrAppend(&open.sql, absl::StrJoin(marks, ", "), ")");
  return tx.Count(MembershipSchemas().applications, "", open);
}

absl::StatusOr<std::vector<v1::ApiKey>> ListKeysOf(store::Transaction& tx,
                                                   absl::string_view partner) {
  return ListAll<v1::ApiKey>(tx, MembershipSchemas().api_keys, partner, {});
}

absl::StatusOr<std::vector<v1::ApiKey>> ListKeysWithPrefix(store::Transaction& tx,
                                                           absl::string_view prefix) {
  return ListAll<v1::ApiKey>(tx, MembershipSchemas().api_keys, "",
                             query::Condition{"key_prefix = ?", {std::string(prefix)}});
}

absl::Status RequireExists(store::Transaction& tx, const store::ResourceSchema& schema,
                           absl::string_view field, absl::string_view name) {
  absl::StatusOr<store::Record> record = tx.Get(schema, name);
  if (record.ok()) return absl::OkStatus();
  if (absl::IsNotFound(record.status())) {
    return InvalidField(field, absl::StrCat(name, " does not exist"));
  }
  return record.status();
}

}  // namespace metrocap::membership
