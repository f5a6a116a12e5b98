// The REST path's JSON rendering of one GetOrganisation reply (an organisation as membership
// answers it: eight fields, two timestamps), by protobuf's printer (util::MessageToJsonString,
// what the gateway used before) and by gateway/core/proto_json (what it uses now).
// Run: build/bench/gateway/gateway_json_bench (figures in docs/benchmarks.md, issue #17).
#include <string>

#include "benchmark/benchmark.h"
#include "gateway/core/proto_json.h"
#include "google/protobuf/util/json_util.h"
#include "metrocap/membership/v1/membership.pb.h"

namespace metrocap::gateway {
namespace {

membership::v1::Organisation Milan() {
  membership::v1::Organisation organisation;
  organisation.set_name("organisations/milan");
  organisation.set_display_name("Città metropolitana di Milano");
  organisation.set_kind(membership::v1::Organisation::METROPOLITAN_AREA);
  organisation.set_country_code("IT");
  organisation.set_region("regions/europe");
  organisation.set_population(3214630);
  organisation.set_etag("\"1\"");
  organisation.mutable_create_time()->set_seconds(1765100000);
  organisation.mutable_update_time()->set_seconds(1765100001);
  organisation.mutable_update_time()->set_nanos(120000000);
  return organisation;
}

void BM_ProtobufPrinter(benchmark::State& state) {
  const membership::v1::Organisation organisation = Milan();
  for (auto _ : state) {
    std::string json;
    benchmark::DoNotOptimize(google::protobuf::util::MessageToJsonString(organisation, &json));
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_ProtobufPrinter);

void BM_PrintJson(benchmark::State& state) {
  const membership::v1::Organisation organisation = Milan();
  for (auto _ : state) {
    std::string json;
    benchmark::DoNotOptimize(PrintJson(organisation, &json));
    benchmark::DoNotOptimize(json);
  }
}
BENCHMARK(BM_PrintJson);

}  // namespace
}  // namespace metrocap::gateway

BENCHMARK_MAIN();
