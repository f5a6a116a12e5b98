// Every TEST_P of AssessmentServiceTest (service_test.cc, organisation_check_test.cc) on
// SQLite and on PostgreSQL.
#include "tests/services/assessment/service_fixture.h"

namespace metrocap::assessment::testing {

INSTANTIATE_TEST_SUITE_P(Backends, AssessmentServiceTest,
                         ::testing::ValuesIn(::metrocap::testing::AllStoreBackends()),
                         ::metrocap::testing::StoreBackendName);

}  // namespace metrocap::assessment::testing
