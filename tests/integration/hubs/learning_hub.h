#pragma once

#include <string>

#include "metrocap/hubs/v1/hubs.grpc.pb.h"
#include "tests/integration/cache/component_process.h"

namespace metrocap::testing {

// Creates hubs/learning-hub-chengdu, hosted by organisations/chengdu (which membership must
// have), and its PEER_LEARNING session net-zero-community, through the hubs component
// `service` as the bootstrap admin of `admin_token`: what the multi-process tests of hubs
// start from. Returns the first failure.
inline grpc::Status CreateLearningHubWithSession(hubs::v1::HubService::Stub& service,
                                                 const std::string& admin_token) {
  hubs::v1::CreateHubRequest hub;
  hub.set_hub_id("learning-hub-chengdu");
  hub.mutable_hub()->set_display_name("Metropolis Learning Hub Chengdu");
  hub.mutable_hub()->set_kind(hubs::v1::Hub::LEARNING_HUB);
  hub.mutable_hub()->set_host("organisations/chengdu");
  hubs::v1::Hub created_hub;
  grpc::Status status = service.CreateHub(AsBootstrapAdmin(admin_token).get(), hub, &created_hub);
  if (!status.ok()) return status;
  hubs::v1::CreateSessionRequest session;
  session.set_parent("hubs/learning-hub-chengdu");
  session.set_session_id("net-zero-community");
  session.mutable_session()->set_title("Creating a Net Zero Community");
  session.mutable_session()->set_format(hubs::v1::Session::PEER_LEARNING);
  hubs::v1::Session created_session;
  return service.CreateSession(AsBootstrapAdmin(admin_token).get(), session, &created_session);
}

}  // namespace metrocap::testing
