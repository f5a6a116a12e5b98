#pragma once

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

}  // namespace metrocap::gateway
