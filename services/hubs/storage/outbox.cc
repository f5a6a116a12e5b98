#include "services/hubs/storage/outbox.h"

#include "common/query/order_by.h"
#include "common/status/status_macros.h"
#include "common/store/row_writer.h"
#include "services/hubs/storage/schemas.h"

namespace metrocap::hubs {

absl::StatusOr<std::vector<v1::Insight>> DueInsights(store::Transaction& tx, absl::Time now,
                                                     int limit) {
  const store::ResourceSchema& schema = HubsSchemas().insights;
  const std::string& column = schema.Find("nextDeliveryTime")->sql_name;
  store::ListQuery due;
  // Unset times are stored as 0 (store::ColumnKind::kTimestamp): nothing pending.
  due.filter = {column + " > 0 AND " + column + " <= ?", {absl::ToUnixMicros(now)}};
  ASSIGN_OR_RETURN(due.order, query::ParseOrderBy(schema, "nextDeliveryTime"));
  due.limit = limit;
  ASSIGN_OR_RETURN(store::ListResult page, tx.List(schema, due));
  std::vector<v1::Insight> insights(page.records.size());
  for (size_t i = 0; i < page.records.size(); ++i) {
    RETURN_IF_ERROR(store::DecodeRecord(page.records[i], &insights[i]));
  }
  return insights;
}

absl::StatusOr<int64_t> PendingInsights(store::Transaction& tx) {
  const store::ResourceSchema& schema = HubsSchemas().insights;
  const std::string& column = schema.Find("nextDeliveryTime")->sql_name;
  return tx.Count(schema, "", {column + " > 0", {}});
}

}  // namespace metrocap::hubs
