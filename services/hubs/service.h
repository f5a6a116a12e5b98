#pragma once

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "common/cache/lookup_cache.h"
#include "common/resource/declared.h"
#include "common/resource/peer.h"
#include "common/server/call.h"
#include "common/store/store.h"
#include "metrocap/hubs/v1/hubs.grpc.pb.h"
#include "services/hubs/peers.h"
#include "services/hubs/storage/schemas.h"

namespace metrocap::hubs {

// The gRPC adapter of the hubs service: hubs, sessions, pilots and insights are declared
// resources (common/resource/declared.h) whose standard methods are one line each; the
// declarations (hubs.cc, sessions.cc, pilots.cc, insights.cc) hold what is particular: the
// host-grant write rule, the rules in core/, the reference checks against membership
// (organisations), assessment (capacities in the hub's framework) and roadmaps (a
// session's plan, its outcome and challenge codes, an insight's target roadmaps), run on
// every create and update (and for :replicate, on the replications) outside any
// transaction: a refusal writes nothing.
//
// Not yet here (docs/hubs.md, "Still to do"): the deliverer, GenerateProgressReport
// (UNIMPLEMENTED until the store can run its statement).
class HubService final : public v1::HubService::Service {
 public:
  using Clock = std::function<absl::Time()>;
  // `store` must be migrated with HubsSchemas(); it and `peers` must outlive the service.
  // `page_token_key` signs page tokens; replicas must share it.
  HubService(server::CallEnv env, store::Store* store, Peers* peers, std::string page_token_key,
             Clock clock = absl::Now, cache::CacheClient* cache = nullptr);

  grpc::Status GetHub(grpc::ServerContext*, const v1::GetHubRequest*, v1::Hub*) override;
  grpc::Status ListHubs(grpc::ServerContext*, const v1::ListHubsRequest*,
                        v1::ListHubsResponse*) override;
  grpc::Status CreateHub(grpc::ServerContext*, const v1::CreateHubRequest*, v1::Hub*) override;
  grpc::Status UpdateHub(grpc::ServerContext*, const v1::UpdateHubRequest*, v1::Hub*) override;
  grpc::Status DeleteHub(grpc::ServerContext*, const v1::DeleteHubRequest*,
                         google::protobuf::Empty*) override;

  grpc::Status GetSession(grpc::ServerContext*, const v1::GetSessionRequest*,
                          v1::Session*) override;
  grpc::Status ListSessions(grpc::ServerContext*, const v1::ListSessionsRequest*,
                            v1::ListSessionsResponse*) override;
  grpc::Status CreateSession(grpc::ServerContext*, const v1::CreateSessionRequest*,
                             v1::Session*) override;
  grpc::Status UpdateSession(grpc::ServerContext*, const v1::UpdateSessionRequest*,
                             v1::Session*) override;
  grpc::Status DeleteSession(grpc::ServerContext*, const v1::DeleteSessionRequest*,
                             google::protobuf::Empty*) override;

  grpc::Status GetPilot(grpc::ServerContext*, const v1::GetPilotRequest*, v1::Pilot*) override;
  grpc::Status ListPilots(grpc::ServerContext*, const v1::ListPilotsRequest*,
                          v1::ListPilotsResponse*) override;
  grpc::Status CreatePilot(grpc::ServerContext*, const v1::CreatePilotRequest*,
                           v1::Pilot*) override;
  grpc::Status UpdatePilot(grpc::ServerContext*, const v1::UpdatePilotRequest*,
                           v1::Pilot*) override;
  grpc::Status DeletePilot(grpc::ServerContext*, const v1::DeletePilotRequest*,
                           google::protobuf::Empty*) override;
  grpc::Status StartPilot(grpc::ServerContext*, const v1::StartPilotRequest*, v1::Pilot*) override;
  grpc::Status EvaluatePilot(grpc::ServerContext*, const v1::EvaluatePilotRequest*,
                             v1::Pilot*) override;
  grpc::Status ReplicatePilot(grpc::ServerContext*, const v1::ReplicatePilotRequest*,
                              v1::Pilot*) override;
  grpc::Status ScalePilot(grpc::ServerContext*, const v1::ScalePilotRequest*, v1::Pilot*) override;
  grpc::Status StopPilot(grpc::ServerContext*, const v1::StopPilotRequest*, v1::Pilot*) override;

  grpc::Status GetInsight(grpc::ServerContext*, const v1::GetInsightRequest*,
                          v1::Insight*) override;
  grpc::Status ListInsights(grpc::ServerContext*, const v1::ListInsightsRequest*,
                            v1::ListInsightsResponse*) override;
  grpc::Status CreateInsight(grpc::ServerContext*, const v1::CreateInsightRequest*,
                             v1::Insight*) override;
  grpc::Status UpdateInsight(grpc::ServerContext*, const v1::UpdateInsightRequest*,
                             v1::Insight*) override;
  grpc::Status DeleteInsight(grpc::ServerContext*, const v1::DeleteInsightRequest*,
                             google::protobuf::Empty*) override;
  grpc::Status PublishInsight(grpc::ServerContext*, const v1::PublishInsightRequest*,
                              v1::Insight*) override;

 private:
  resource::Declaration<v1::Hub> HubDeclaration() const;
  resource::Declaration<v1::Session> SessionDeclaration() const;
  resource::Declaration<v1::Pilot> PilotDeclaration() const;
  resource::Declaration<v1::Insight> InsightDeclaration() const;

  // Writes to a hub's content: ADMIN, or a PARTNER granted the host of the hub `hub`
  // (NOT_FOUND when the hub does not exist).
  absl::Status MayWriteHubContent(const identity::Caller& caller, absl::string_view hub) const;
  // INVALID_ARGUMENT naming `field[i]` for each capacity that is not one of the framework
  // of hub `hub` (its `framework`, or kDefaultFramework), and naming `field` when assessment
  // has no such framework; UNAVAILABLE when assessment cannot answer. Asks nothing when
  // `capacities` is empty.
  absl::Status CheckCapacities(
      const server::Call& call, absl::string_view field, absl::string_view hub,
      const google::protobuf::RepeatedPtrField<std::string>& capacities) const;
  // INVALID_ARGUMENT naming session.plan when roadmaps has no such plan, and each outcome
  // code the plan lacks (session.outcomeCodes[i]) and challenge code its taxonomy lacks
  // (session.challengeCodes[i]); UNAVAILABLE when roadmaps cannot answer.
  absl::Status CheckCodes(const server::Call& call, const v1::Session& session) const;

  store::Store* store_;
  Peers* peers_;
  Clock clock_;
  const Schemas& schemas_;
  resource::ServiceEnv shared_;
  resource::Resource<v1::Hub> hubs_;
  resource::Resource<v1::Session> sessions_;
  resource::Resource<v1::Pilot> pilots_;
  resource::Resource<v1::Insight> insights_;
};

}  // namespace metrocap::hubs
