#include "gateway/core/http_errors.h"

#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(HttpErrorsTest, CanonicalMapping) {
  const std::pair<grpc::StatusCode, int> table[] = {
      {grpc::StatusCode::OK, 200},
      {grpc::StatusCode::CANCELLED, 499},
      {grpc::StatusCode::UNKNOWN, 500},
      {grpc::StatusCode::INVALID_ARGUMENT, 400},
      {grpc::StatusCode::DEADLINE_EXCEEDED, 504},
      {grpc::StatusCode::NOT_FOUND, 404},
      {grpc::StatusCode::ALREADY_EXISTS, 409},
      {grpc::StatusCode::PERMISSION_DENIED, 403},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, 429},
      {grpc::StatusCode::FAILED_PRECONDITION, 400},
      {grpc::StatusCode::ABORTED, 409},
      {grpc::StatusCode::OUT_OF_RANGE, 400},
      {grpc::StatusCode::UNIMPLEMENTED, 501},
      {grpc::StatusCode::INTERNAL, 500},
      {grpc::StatusCode::UNAVAILABLE, 503},
      {grpc::StatusCode::DATA_LOSS, 500},
      {grpc::StatusCode::UNAUTHENTICATED, 401},
  };
  for (const auto& [code, http] : table) EXPECT_EQ(HttpStatusFor(code), http) << code;
}

TEST(HttpErrorsTest, ServiceStatusKeepsMessageAndDetails) {
  grpc::Status status = ToGrpcStatus(InvalidField("organisation.countryCode", "not ISO 3166"));
  grpc::Status shown = ForCallers(status);
  EXPECT_EQ(shown.error_message(), status.error_message());
  std::string json = StatusJson(shown);
  EXPECT_THAT(json, HasSubstr(R"("code":3)"));
  EXPECT_THAT(json, HasSubstr(R"("@type":"type.googleapis.com/google.rpc.ErrorInfo")"));
  EXPECT_THAT(json, HasSubstr(R"("domain":"metrocap.io")"));
  EXPECT_THAT(json, HasSubstr(R"("@type":"type.googleapis.com/google.rpc.BadRequest")"));
  EXPECT_THAT(json, HasSubstr(R"("field":"organisation.countryCode")"));
}

TEST(HttpErrorsTest, ReasonIsKept) {
  grpc::Status status =
      ToGrpcStatus(WithReason(absl::FailedPreconditionError("quorum"), "QUORUM_NOT_MET"));
  EXPECT_THAT(StatusJson(ForCallers(status)), HasSubstr(R"("reason":"QUORUM_NOT_MET")"));
}

TEST(HttpErrorsTest, InternalTextNeverLeaks) {
  grpc::Status from_service = ToGrpcStatus(absl::InternalError("sqlite: disk I/O at /var/x.db"));
  std::string json = StatusJson(ForCallers(from_service));
  EXPECT_THAT(json, Not(HasSubstr("sqlite")));
  EXPECT_THAT(json, HasSubstr("internal error"));

  grpc::Status channel(grpc::StatusCode::UNAVAILABLE,
                       "failed to connect to all addresses; last error: ipv4:127.0.0.1:50051");
  grpc::Status shown = ForCallers(channel);
  EXPECT_EQ(shown.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(shown.error_message(), Not(HasSubstr("127.0.0.1")));
  EXPECT_THAT(StatusJson(shown), HasSubstr(R"("reason":"UNAVAILABLE")"));

  grpc::Status deadline(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded");
  EXPECT_THAT(ForCallers(deadline).error_message(), HasSubstr("deadline expired"));
}

TEST(HttpErrorsTest, GatewayErrorsCarryDetails) {
  std::string json = StatusJson(GatewayError(absl::NotFoundError("no route for GET /v1/x")));
  EXPECT_THAT(json, HasSubstr(R"("code":5)"));
  EXPECT_THAT(json, HasSubstr(R"("reason":"NOT_FOUND")"));
}

}  // namespace
}  // namespace metrocap::gateway
