#pragma once

#include <vector>

#include "common/store/schema.h"

namespace metrocap::hubs {

// The hubs resources as the store keeps them, with the fields List can filter and order by
// (and that the progress report and the deliverer query). Repeated strings are kept in side
// tables (`<table>__<column>(name, value)`, primary key (value, name), indexed by name).
//
// Sessions: startTime, endTime, format, mode, plan, hub and title in columns; participants,
// organisers, alliances, outcomeCodes, challengeCodes, capacities and outcomeScope (the
// codes the report counts, derived on every write) in side tables. An unset startTime is
// stored as 0, so a report over a period containing 1970-01-01T00:00:00Z would count
// undated sessions; the network's reports never reach back that far.
//
// Sessions also keep the progress report's per-day counts in the counter table
// `sessions__report_days` (plan, hub, day, section, value) -> (activity_count,
// organised_count), maintained with every session write (storage/report_query.h).
//
// Insights: nextDeliveryTime (the earliest due PENDING delivery; 0 when none) is how the
// deliverer finds its work with an index range scan.
struct Schemas {
  store::ResourceSchema hubs;
  store::ResourceSchema sessions;
  store::ResourceSchema pilots;
  store::ResourceSchema insights;

  std::vector<const store::ResourceSchema*> All() const {
    return {&hubs, &sessions, &pilots, &insights};
  }
};

const Schemas& HubsSchemas();

}  // namespace metrocap::hubs
