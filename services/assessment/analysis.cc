// AssessmentService: comparison and peer matching over the latest VALIDATED assessments.
// What the caller may not read is left out and named, never used (core/comparison.h).
#include "absl/strings/str_cat.h"
#include "common/resource/crud.h"
#include "common/resource/names.h"
#include "common/status/errors.h"
#include "common/status/status_macros.h"
#include "services/assessment/core/access.h"
#include "services/assessment/core/comparison.h"
#include "services/assessment/service.h"

namespace metrocap::assessment {
namespace {

constexpr int kMaxComparedOrganisations = 1000;

}  // namespace

grpc::Status AssessmentService::CompareAssessments(grpc::ServerContext* context,
                                                   const v1::CompareAssessmentsRequest* request,
                                                   v1::CompareAssessmentsResponse* response) {
  return server::Serve(
      shared_.call, context, "CompareAssessments", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(resource::CheckName("framework", request->framework(), "frameworks"));
        if (request->organisations_size() > kMaxComparedOrganisations) {
          return InvalidField("organisations", absl::StrCat("at most ", kMaxComparedOrganisations,
                                                            " organisations can be compared"));
        }
        for (int i = 0; i < request->organisations_size(); ++i) {
          RETURN_IF_ERROR(resource::CheckName(absl::StrCat("organisations[", i, "]"),
                                              request->organisations(i), "organisations"));
        }
        ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                         shared_.store->Begin(store::Store::Access::kReadOnly));
        ASSIGN_OR_RETURN(
            v1::Framework framework,
            resource::Get<v1::Framework>(*tx, schemas_.frameworks, request->framework()));
        // Every assessment read stays alive in `assessments` while the standings point into it.
        std::vector<std::vector<v1::Assessment>> assessments;
        std::vector<Standing> standings;
        if (request->organisations().empty()) {
          ASSIGN_OR_RETURN(assessments.emplace_back(), ListValidated(*tx, framework.name(), ""));
          standings = LatestByOrganisation(assessments.back());
        } else {
          assessments.reserve(request->organisations_size());
          for (const std::string& organisation : request->organisations()) {
            ASSIGN_OR_RETURN(assessments.emplace_back(),
                             ListValidated(*tx, framework.name(), organisation));
            std::vector<Standing> latest = LatestByOrganisation(assessments.back());
            standings.push_back(latest.empty() ? Standing{organisation, nullptr} : latest.front());
          }
        }
        *response = Compare(framework, standings, call.caller);
        return absl::OkStatus();
      });
}

grpc::Status AssessmentService::SuggestPeers(grpc::ServerContext* context,
                                             const v1::SuggestPeersRequest* request,
                                             v1::SuggestPeersResponse* response) {
  return server::Serve(
      shared_.call, context, "SuggestPeers", [&](const server::Call& call) -> absl::Status {
        RETURN_IF_ERROR(assessments_.pattern().CheckName("name", request->name()));
        if (request->max_peers() < 0) return InvalidField("maxPeers", "must not be negative");
        ASSIGN_OR_RETURN(v1::Assessment assessment,
                         assessments_.LoadReadable(call, request->name()));
        ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                         shared_.store->Begin(store::Store::Access::kReadOnly));
        ASSIGN_OR_RETURN(std::vector<v1::Assessment> validated,
                         ListValidated(*tx, assessment.framework(), ""));
        *response = assessment::SuggestPeers(assessment, LatestByOrganisation(validated),
                                             call.caller, request->max_peers());
        return absl::OkStatus();
      });
}

}  // namespace metrocap::assessment
