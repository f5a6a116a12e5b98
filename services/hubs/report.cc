// HubService: GenerateProgressReport. The counting runs in hubs' own store as one read-only
// statement over indexed columns and side tables (storage/report_query.h); the plan's codes
// and titles and its taxonomy's challenges come from roadmaps once per report, and the
// counted organisations' display names from membership, all through the shared caches.
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"
#include "services/hubs/core/progress_report.h"
#include "services/hubs/service.h"
#include "services/hubs/storage/report_query.h"

namespace metrocap::hubs {
namespace {

// Every code of `plan` by level, and every challenge of `taxonomy` (null: none).
ReportCodes CodesOf(const roadmaps::v1::Plan& plan, const roadmaps::v1::Taxonomy* taxonomy) {
  ReportCodes codes;
  for (const roadmaps::v1::ActionLine& line : plan.action_lines()) {
    codes.action_lines.push_back({line.code(), line.title()});
    for (const roadmaps::v1::PlanAction& action : line.actions()) {
      codes.actions.push_back({action.code(), action.title()});
      for (const roadmaps::v1::Deliverable& deliverable : action.deliverables()) {
        codes.deliverables.push_back({deliverable.code(), deliverable.title()});
      }
    }
  }
  if (taxonomy != nullptr) {
    for (const roadmaps::v1::Challenge& challenge : taxonomy->challenges()) {
      codes.challenges.push_back({challenge.code(), challenge.title()});
    }
  }
  return codes;
}

}  // namespace

absl::StatusOr<ReportCodes> HubService::ReportCodesFor(const server::Call& call,
                                                       absl::string_view plan_name) const {
  ASSIGN_OR_RETURN(roadmaps::v1::Plan plan, peers_->plans.Get(call, std::string(plan_name)));
  if (plan.taxonomy().empty()) return CodesOf(plan, nullptr);
  ASSIGN_OR_RETURN(roadmaps::v1::Taxonomy taxonomy, peers_->taxonomies.Get(call, plan.taxonomy()));
  return CodesOf(plan, &taxonomy);
}

grpc::Status HubService::GenerateProgressReport(grpc::ServerContext* context,
                                                const v1::GenerateProgressReportRequest* request,
                                                v1::GenerateProgressReportResponse* response) {
  return server::Serve(
      shared_.call, context, "GenerateProgressReport",
      [&](const server::Call& call) -> absl::Status {
        ASSIGN_OR_RETURN(ReportPeriod period, ValidateReportRequest(*request));
        ASSIGN_OR_RETURN(ReportCodes codes, ReportCodesFor(call, request->plan()));
        const std::vector<std::string> hubs(request->hubs().begin(), request->hubs().end());
        ASSIGN_OR_RETURN(std::unique_ptr<store::Transaction> tx,
                         store_->Begin(store::Store::Access::kReadOnly));
        ASSIGN_OR_RETURN(ProgressTally tally, CountProgress(*tx, request->plan(), period, hubs));
        tx.reset();
        // An organisation membership no longer knows keeps its count without a display name.
        std::map<std::string, std::string> display_names;
        for (const auto& [organisation, engagement] : tally.organisations) {
          absl::StatusOr<membership::v1::Organisation> found =
              peers_->organisations.Get(call, organisation);
          if (found.ok()) {
            display_names[organisation] = found->display_name();
          } else if (!absl::IsNotFound(found.status())) {
            return found.status();
          }
        }
        *response = AssembleReport(*request, codes, tally, display_names);
        return absl::OkStatus();
      });
}

}  // namespace metrocap::hubs
