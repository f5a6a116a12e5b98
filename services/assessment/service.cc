#include "services/assessment/service.h"

namespace metrocap::assessment {

AssessmentService::AssessmentService(server::CallEnv env, store::Store* store,
                                     OrganisationDirectory* organisations,
                                     std::string page_token_key, Clock clock,
                                     cache::CacheClient* cache)
    : organisations_(organisations),
      clock_(std::move(clock)),
      schemas_(AssessmentSchemas()),
      shared_{std::move(env), store, std::move(page_token_key), cache},
      frameworks_(FrameworkDeclaration(), &shared_),
      assessments_(AssessmentDeclaration(), &shared_) {}

}  // namespace metrocap::assessment
