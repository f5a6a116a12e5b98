#include "services/hubs/storage/schemas.h"

#include "metrocap/hubs/v1/hubs.pb.h"

namespace metrocap::hubs {

const Schemas& HubsSchemas() {
  static const Schemas* schemas = [] {
    auto* s = new Schemas;
    s->hubs = store::MakeSchema("hubs", v1::Hub::descriptor(),
                                {"displayName", "kind", "host", "framework", "themes"});
    s->sessions =
        store::MakeSchema("sessions", v1::Session::descriptor(),
                          {"startTime", "endTime", "format", "mode", "plan", "hub", "title",
                           "participants", "organisers", "alliances", "outcomeCodes",
                           "challengeCodes", "capacities", "outcomeScope"});
    // The progress report's per-day counts (storage/report_query.h).
    s->sessions.counters.push_back(
        {"sessions__report_days",
         {{"plan"}, {"hub"}, {"day", /*integer=*/true}, {"section"}, {"value"}},
         {"activity_count", "organised_count"}});
    // The report's session names read from the index alone (report_query.h).
    s->sessions.indexes.push_back({"plan", "start_time", "collection_parent", "name"});
    s->pilots = store::MakeSchema(
        "pilots", v1::Pilot::descriptor(),
        {"state", "lead", "hub", "title", "partners", "replications", "capacities"});
    s->insights = store::MakeSchema("insights", v1::Insight::descriptor(),
                                    {"state", "source", "hub", "publishTime", "nextDeliveryTime",
                                     "targetRoadmaps", "capacities"});
    return s;
  }();
  return *schemas;
}

}  // namespace metrocap::hubs
