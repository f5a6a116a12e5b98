#pragma once

#include <string>
#include <vector>

#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/assessment/core/fixtures.h"
#include "tests/services/service_env.h"

namespace metrocap::assessment::testing {

using ::metrocap::testing::AdminCaller;
using ::metrocap::testing::PartnerCaller;
using ::metrocap::testing::Service;
using ::metrocap::testing::ServiceEnv;
using ::metrocap::testing::ViewerCaller;

inline constexpr char kMilan[] = "organisations/milan";
inline constexpr char kBarcelona[] = "organisations/barcelona";
inline constexpr char kTirana[] = "organisations/tirana";
inline constexpr char kGzm[] = "organisations/gzm";

// Membership with a region and four organisations; assessment with frameworks/test
// (TestFramework()) created and published; both stores on the backend the test is
// instantiated for (service_fixture.cc instantiates every TEST_P of this suite on each).
class AssessmentServiceTest : public ::testing::TestWithParam<::metrocap::testing::StoreBackend> {
 protected:
  void SetUp() override {
    METROCAP_REQUIRE_STORE_BACKEND(GetParam());
    absl::Status started = env_.Start();
    ASSERT_TRUE(started.ok()) << started;
    for (const char* id : {"milan", "barcelona", "tirana", "gzm"}) {
      absl::Status added = env_.AddOrganisation(id);
      ASSERT_TRUE(added.ok()) << added;
    }
    v1::Framework framework = TestFramework();
    framework.clear_name();
    framework.clear_state();
    ASSERT_TRUE(CreateFramework("test", framework).ok());
    ASSERT_TRUE(Publish("frameworks/test").ok());
  }

  absl::StatusOr<v1::Framework> CreateFramework(const std::string& id, const v1::Framework& f,
                                                const identity::Caller& caller = AdminCaller()) {
    v1::CreateFrameworkRequest request;
    request.set_framework_id(id);
    *request.mutable_framework() = f;
    v1::Framework out;
    grpc::Status status = env_.assessment().CreateFramework(env_.As(caller).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  absl::StatusOr<v1::Framework> Publish(const std::string& name) {
    v1::PublishFrameworkRequest request;
    request.set_name(name);
    v1::Framework out;
    grpc::Status status =
        env_.assessment().PublishFramework(env_.As(AdminCaller()).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  // An assessment against frameworks/test with one response per (indicator, score).
  static v1::Assessment Draft(const std::vector<std::pair<std::string, double>>& responses,
                              v1::Assessment::Visibility visibility = v1::Assessment::NETWORK) {
    v1::Assessment a;
    a.set_framework("frameworks/test");
    a.set_visibility(visibility);
    for (const auto& [indicator, score] : responses) {
      *a.add_responses() = MakeResponse(indicator, score, v1::Assessment::INTERVIEW);
    }
    return a;
  }

  absl::StatusOr<v1::Assessment> Create(const identity::Caller& caller,
                                        const std::string& organisation, const std::string& id,
                                        const v1::Assessment& assessment) {
    v1::CreateAssessmentRequest request;
    request.set_parent(organisation);
    request.set_assessment_id(id);
    *request.mutable_assessment() = assessment;
    v1::Assessment out;
    grpc::Status status = env_.assessment().CreateAssessment(env_.As(caller).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  absl::StatusOr<v1::Assessment> Submit(const identity::Caller& caller, const std::string& name) {
    v1::SubmitAssessmentRequest request;
    request.set_name(name);
    v1::Assessment out;
    grpc::Status status = env_.assessment().SubmitAssessment(env_.As(caller).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  absl::StatusOr<v1::Assessment> Validate(const identity::Caller& caller, const std::string& name) {
    v1::ValidateAssessmentRequest request;
    request.set_name(name);
    v1::Assessment out;
    grpc::Status status =
        env_.assessment().ValidateAssessment(env_.As(caller).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  // Creates, submits and validates (as ADMIN) an assessment; returns it validated.
  absl::StatusOr<v1::Assessment> CreateValidated(const std::string& organisation,
                                                 const std::string& id,
                                                 const v1::Assessment& assessment) {
    absl::StatusOr<v1::Assessment> created = Create(AdminCaller(), organisation, id, assessment);
    if (!created.ok()) return created.status();
    absl::StatusOr<v1::Assessment> submitted = Submit(AdminCaller(), created->name());
    if (!submitted.ok()) return submitted.status();
    return Validate(AdminCaller(), created->name());
  }

  absl::StatusOr<v1::ListAssessmentsResponse> List(const identity::Caller& caller,
                                                   const std::string& parent,
                                                   const std::string& filter = "") {
    v1::ListAssessmentsRequest request;
    request.set_parent(parent);
    request.set_filter(filter);
    request.set_page_size(1000);
    v1::ListAssessmentsResponse out;
    grpc::Status status = env_.assessment().ListAssessments(env_.As(caller).get(), request, &out);
    if (!status.ok()) return FromGrpcStatus(status);
    return out;
  }

  // Membership and assessment.
  ServiceEnv env_{GetParam(), Service::kAssessment};
};

}  // namespace metrocap::assessment::testing
