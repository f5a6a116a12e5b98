#pragma once

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "common/cache/lookup_cache.h"
#include "common/resource/declared.h"
#include "common/server/call.h"
#include "common/store/store.h"
#include "metrocap/assessment/v1/assessment.grpc.pb.h"
#include "services/assessment/organisations.h"
#include "services/assessment/storage/schemas.h"

namespace metrocap::assessment {

// The gRPC adapter of the assessment service: frameworks and assessments are declared
// resources (common/resource/declared.h) whose standard methods are one line each; the
// declarations (frameworks.cc, assessments.cc) hold what is particular: authorisation, the
// rules in core/, the organisation check against membership. Every method runs through
// server::Serve (identity, logging, the one status mapping).
class AssessmentService final : public v1::AssessmentService::Service {
 public:
  using Clock = std::function<absl::Time()>;

  // `store` must be migrated with AssessmentSchemas(); it, `organisations` and `cache` must
  // outlive the service. `page_token_key` signs page tokens; replicas must share it. Framework
  // writes invalidate cache::kFrameworksCache in `cache` (null: no shared cache).
  AssessmentService(server::CallEnv env, store::Store* store, OrganisationDirectory* organisations,
                    std::string page_token_key, Clock clock = absl::Now,
                    cache::CacheClient* cache = nullptr);

  grpc::Status GetFramework(grpc::ServerContext*, const v1::GetFrameworkRequest*,
                            v1::Framework*) override;
  grpc::Status ListFrameworks(grpc::ServerContext*, const v1::ListFrameworksRequest*,
                              v1::ListFrameworksResponse*) override;
  grpc::Status CreateFramework(grpc::ServerContext*, const v1::CreateFrameworkRequest*,
                               v1::Framework*) override;
  grpc::Status UpdateFramework(grpc::ServerContext*, const v1::UpdateFrameworkRequest*,
                               v1::Framework*) override;
  grpc::Status DeleteFramework(grpc::ServerContext*, const v1::DeleteFrameworkRequest*,
                               google::protobuf::Empty*) override;
  grpc::Status PublishFramework(grpc::ServerContext*, const v1::PublishFrameworkRequest*,
                                v1::Framework*) override;

  grpc::Status GetAssessment(grpc::ServerContext*, const v1::GetAssessmentRequest*,
                             v1::Assessment*) override;
  grpc::Status ListAssessments(grpc::ServerContext*, const v1::ListAssessmentsRequest*,
                               v1::ListAssessmentsResponse*) override;
  grpc::Status CreateAssessment(grpc::ServerContext*, const v1::CreateAssessmentRequest*,
                                v1::Assessment*) override;
  grpc::Status UpdateAssessment(grpc::ServerContext*, const v1::UpdateAssessmentRequest*,
                                v1::Assessment*) override;
  grpc::Status DeleteAssessment(grpc::ServerContext*, const v1::DeleteAssessmentRequest*,
                                google::protobuf::Empty*) override;
  grpc::Status SubmitAssessment(grpc::ServerContext*, const v1::SubmitAssessmentRequest*,
                                v1::Assessment*) override;
  grpc::Status ValidateAssessment(grpc::ServerContext*, const v1::ValidateAssessmentRequest*,
                                  v1::Assessment*) override;

  grpc::Status CompareAssessments(grpc::ServerContext*, const v1::CompareAssessmentsRequest*,
                                  v1::CompareAssessmentsResponse*) override;
  grpc::Status SuggestPeers(grpc::ServerContext*, const v1::SuggestPeersRequest*,
                            v1::SuggestPeersResponse*) override;

 private:
  resource::Declaration<v1::Framework> FrameworkDeclaration() const;
  resource::Declaration<v1::Assessment> AssessmentDeclaration() const;

  OrganisationDirectory* organisations_;
  Clock clock_;
  const Schemas& schemas_;
  resource::ServiceEnv shared_;
  resource::Resource<v1::Framework> frameworks_;
  resource::Resource<v1::Assessment> assessments_;
};

}  // namespace metrocap::assessment
