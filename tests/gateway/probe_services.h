#pragma once

#include <cstdlib>
#include <memory>

#include "absl/status/statusor.h"
#include "gateway/core/route_table.h"
#include "google/protobuf/descriptor.h"
#include "metrocap/gatewaytest/v1/probe.pb.h"
#include "metrocap/membership/v1/membership.pb.h"

namespace metrocap::gateway {

// A service from the generated pool; touching a message of each file first makes sure the
// linker kept (and so registered) it.
inline const google::protobuf::ServiceDescriptor* Service(const char* full_name) {
  gatewaytest::v1::Thing::descriptor();
  membership::v1::Principal::descriptor();
  return google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(full_name);
}

// The routes of membership and of the probe service: the table the gateway's route, transcoder
// and OpenAPI tests and its fuzz targets run against.
inline absl::StatusOr<std::unique_ptr<RouteTable>> BuildProbeRouteTable() {
  // In this order: the fuzz corpora pick routes by their index in the table.
  return RouteTable::Build({Service("metrocap.membership.v1.MembershipService"),
                            Service("metrocap.gatewaytest.v1.ProbeService")});
}

// The same table built once for the process, for the fuzz targets: aborts when it cannot be
// built (libFuzzer then reports it).
inline const RouteTable& ProbeRouteTable() {
  static const RouteTable* table = [] {
    auto built = BuildProbeRouteTable();
    if (!built.ok()) std::abort();
    return built->release();
  }();
  return *table;
}

}  // namespace metrocap::gateway
