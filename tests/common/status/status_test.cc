// The one status mapping: what a client of any metrocap service sees on the wire, and the
// way back for services calling each other.
#include "absl/status/status.h"

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "common/status/status_macros.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace metrocap {
namespace {

using ::metrocap::testing::IsOk;
using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

// The details a client finds in grpc-status-details-bin, unpacked.
struct WireDetails {
  google::rpc::Status status;
  std::vector<google::rpc::ErrorInfo> infos;
  std::vector<google::rpc::BadRequest> bad_requests;
  int unknown = 0;
};

WireDetails Unpack(const grpc::Status& status) {
  WireDetails out;
  EXPECT_TRUE(out.status.ParseFromString(status.error_details()));
  for (const auto& any : out.status.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad_request;
    if (any.Is<google::rpc::ErrorInfo>()) {
      EXPECT_TRUE(any.UnpackTo(&info));
      out.infos.push_back(info);
    } else if (any.Is<google::rpc::BadRequest>()) {
      EXPECT_TRUE(any.UnpackTo(&bad_request));
      out.bad_requests.push_back(bad_request);
    } else {
      ++out.unknown;
    }
  }
  return out;
}

auto Violation(const std::string& field, const std::string& description) {
  return ::testing::AllOf(Field(&FieldViolation::field, field),
                          Field(&FieldViolation::description, description));
}

TEST(InvalidFieldTest, NamesTheFieldAndCarriesOneViolation) {
  absl::Status status = InvalidField("organisation.countryCode", "must be ISO 3166-1 alpha-2");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               "organisation.countryCode: must be ISO 3166-1 alpha-2"));
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(Violation("organisation.countryCode", "must be ISO 3166-1 alpha-2")));
  EXPECT_EQ(ReasonOf(status), "");
}

TEST(InvalidFieldTest, SeveralFieldsAreJoinedInOrder) {
  absl::Status status =
      InvalidFields({{"displayName", "is required"}, {"population", "must not be negative"}});
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               "displayName: is required; population: must not be negative"));
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(Violation("displayName", "is required"),
                          Violation("population", "must not be negative")));
}

TEST(WithReasonTest, AttachesReasonAndKeepsViolations) {
  absl::Status status = WithReason(InvalidField("seat.term", "ends before it starts"), "BAD_TERM");
  EXPECT_EQ(ReasonOf(status), "BAD_TERM");
  EXPECT_THAT(FieldViolationsOf(status),
              ElementsAre(Violation("seat.term", "ends before it starts")));
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(WithReasonTest, OkStaysOkWithoutPayload) {
  absl::Status status = WithReason(absl::OkStatus(), "ANYTHING");
  EXPECT_OK(status);
  EXPECT_EQ(ReasonOf(status), "");
}

TEST(WithReasonTest, PlainStatusHasNoReasonNorViolations) {
  absl::Status status = absl::NotFoundError("organisations/x does not exist");
  EXPECT_EQ(ReasonOf(status), "");
  EXPECT_TRUE(FieldViolationsOf(status).empty());
}

TEST(ToGrpcStatusTest, OkMapsToOkWithoutDetails) {
  grpc::Status status = ToGrpcStatus(absl::OkStatus());
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::OK);
  EXPECT_TRUE(status.error_details().empty());
  EXPECT_OK(FromGrpcStatus(grpc::Status::OK));
}

TEST(ToGrpcStatusTest, ReasonDomainAndViolationsAreInTheDetails) {
  absl::Status original =
      WithReason(InvalidFields({{"organisation.region", "regions/atlantis does not exist"},
                                {"organisation.kind", "is required"}}),
                 "UNKNOWN_REGION");
  grpc::Status wire = ToGrpcStatus(original);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(wire.error_message(), original.message());

  WireDetails details = Unpack(wire);
  EXPECT_EQ(details.status.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(details.status.message(), original.message());
  EXPECT_EQ(details.unknown, 0);
  ASSERT_EQ(details.infos.size(), 1u);
  EXPECT_EQ(details.infos[0].reason(), "UNKNOWN_REGION");
  EXPECT_EQ(details.infos[0].domain(), "metrocap.io");
  ASSERT_EQ(details.bad_requests.size(), 1u);
  ASSERT_EQ(details.bad_requests[0].field_violations_size(), 2);
  EXPECT_EQ(details.bad_requests[0].field_violations(0).field(), "organisation.region");
  EXPECT_EQ(details.bad_requests[0].field_violations(0).description(),
            "regions/atlantis does not exist");
  EXPECT_EQ(details.bad_requests[0].field_violations(1).field(), "organisation.kind");
  EXPECT_EQ(details.bad_requests[0].field_violations(1).description(), "is required");
}

TEST(ToGrpcStatusTest, WithoutReasonTheCodeNameIsTheReasonAndNoBadRequest) {
  grpc::Status wire = ToGrpcStatus(absl::NotFoundError("organisations/x does not exist"));
  WireDetails details = Unpack(wire);
  ASSERT_EQ(details.infos.size(), 1u);
  EXPECT_EQ(details.infos[0].reason(), "NOT_FOUND");
  EXPECT_EQ(details.infos[0].domain(), "metrocap.io");
  EXPECT_TRUE(details.bad_requests.empty());
}

TEST(RoundTripTest, KeepsCodeMessageReasonAndViolations) {
  absl::Status original = WithReason(
      InvalidFields({{"application.form", "must be signed"}, {"application.region", "unknown"}}),
      "FORM_UNSIGNED");
  absl::Status back = FromGrpcStatus(ToGrpcStatus(original));
  EXPECT_THAT(back, StatusIs(absl::StatusCode::kInvalidArgument, std::string(original.message())));
  EXPECT_EQ(ReasonOf(back), "FORM_UNSIGNED");
  EXPECT_THAT(FieldViolationsOf(back), ElementsAre(Violation("application.form", "must be signed"),
                                                   Violation("application.region", "unknown")));
}

TEST(RoundTripTest, DefaultReasonIsNotReattached) {
  absl::Status back = FromGrpcStatus(ToGrpcStatus(absl::AbortedError("etag is stale")));
  EXPECT_THAT(back, StatusIs(absl::StatusCode::kAborted, "etag is stale"));
  EXPECT_EQ(ReasonOf(back), "");
  EXPECT_TRUE(FieldViolationsOf(back).empty());
}

TEST(FromGrpcStatusTest, StatusWithoutOrWithGarbageDetailsKeepsCodeAndMessage) {
  EXPECT_THAT(FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused")),
              StatusIs(absl::StatusCode::kUnavailable, "connection refused"));
  absl::Status garbage = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::INTERNAL, "boom", std::string("\xff\xff\xff\x01", 4)));
  EXPECT_THAT(garbage, StatusIs(absl::StatusCode::kInternal, "boom"));
  EXPECT_EQ(ReasonOf(garbage), "");
}

TEST(FromGrpcStatusTest, ReadsDetailsWrittenByAnotherServer) {
  google::rpc::Status rpc;
  rpc.set_code(static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION));
  rpc.set_message("quorum not met");
  google::rpc::ErrorInfo info;
  info.set_reason("QUORUM_NOT_MET");
  info.set_domain("metrocap.io");
  rpc.add_details()->PackFrom(info);
  absl::Status back = FromGrpcStatus(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                                  "quorum not met", rpc.SerializeAsString()));
  EXPECT_THAT(back, StatusIs(absl::StatusCode::kFailedPrecondition, "quorum not met"));
  EXPECT_EQ(ReasonOf(back), "QUORUM_NOT_MET");
}

// Every canonical code keeps its number across the mapping, is named in ErrorInfo and
// comes back unchanged.
class EveryCodeTest : public ::testing::TestWithParam<int> {};

TEST_P(EveryCodeTest, MapsToTheSameGrpcCodeAndBack) {
  auto code = static_cast<absl::StatusCode>(GetParam());
  absl::Status original(code, "message for this code");
  grpc::Status wire = ToGrpcStatus(original);
  EXPECT_EQ(static_cast<int>(wire.error_code()), GetParam());
  EXPECT_EQ(wire.error_message(), "message for this code");
  WireDetails details = Unpack(wire);
  ASSERT_EQ(details.infos.size(), 1u);
  EXPECT_EQ(details.infos[0].reason(), CodeName(code));
  EXPECT_EQ(details.infos[0].domain(), "metrocap.io");
  EXPECT_THAT(FromGrpcStatus(wire), StatusIs(code, "message for this code"));
}

INSTANTIATE_TEST_SUITE_P(Codes, EveryCodeTest, ::testing::Range(1, 17),
                         [](const ::testing::TestParamInfo<int>& info) {
                           return CodeName(static_cast<absl::StatusCode>(info.param));
                         });

TEST(CodeNameTest, UpperSnakeNames) {
  EXPECT_EQ(CodeName(absl::StatusCode::kOk), "OK");
  EXPECT_EQ(CodeName(absl::StatusCode::kInvalidArgument), "INVALID_ARGUMENT");
  EXPECT_EQ(CodeName(absl::StatusCode::kAlreadyExists), "ALREADY_EXISTS");
  EXPECT_EQ(CodeName(absl::StatusCode::kFailedPrecondition), "FAILED_PRECONDITION");
  EXPECT_EQ(CodeName(absl::StatusCode::kUnauthenticated), "UNAUTHENTICATED");
}

// The macros every layer uses.
absl::Status FailsWhen(bool fail) {
  RETURN_IF_ERROR(fail ? absl::InternalError("first") : absl::OkStatus());
  return absl::NotFoundError("reached the end");
}

absl::StatusOr<int> Doubled(absl::StatusOr<int> input) {
  ASSIGN_OR_RETURN(int value, std::move(input));
  return value * 2;
}

TEST(StatusMacrosTest, ReturnIfErrorReturnsTheFirstError) {
  EXPECT_THAT(FailsWhen(true), StatusIs(absl::StatusCode::kInternal, "first"));
  EXPECT_THAT(FailsWhen(false), StatusIs(absl::StatusCode::kNotFound));
}

TEST(StatusMacrosTest, AssignOrReturnAssignsOrPropagates) {
  ASSERT_OK_AND_ASSIGN(int doubled, Doubled(21));
  EXPECT_EQ(doubled, 42);
  EXPECT_THAT(Doubled(absl::OutOfRangeError("too big")),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("too big")));
  EXPECT_THAT(Doubled(3), IsOk());
}

// Errors echo bounded text whatever the input, so they fit gRPC's 8 KiB metadata limit and
// a client sees INVALID_ARGUMENT, not RESOURCE_EXHAUSTED.
TEST(BoundedErrorsTest, HugeInputsStayTheErrorTheyAre) {
  const std::string name = "organisations/" + std::string(100000, 'x');
  std::vector<FieldViolation> many;
  for (int i = 0; i < 200; ++i) many.push_back({name, absl::StrCat(name, " is not valid")});
  for (const absl::Status& status :
       {InvalidField("name", absl::StrCat(name, " is not a valid name")),
        absl::NotFoundError(absl::StrCat(name, " does not exist")), InvalidFields(many)}) {
    grpc::Status wire = ToGrpcStatus(status);
    EXPECT_EQ(static_cast<absl::StatusCode>(wire.error_code()), status.code());
    EXPECT_LE(wire.error_message().size(), kMaxErrorMessageBytes);
    // Percent-encoded message (at most 3 bytes a byte) plus base64 details: under 8 KiB.
    EXPECT_LT(wire.error_message().size() * 3 + wire.error_details().size() * 4 / 3 + 64, 8192u);
    absl::Status back = FromGrpcStatus(wire);
    EXPECT_EQ(back.code(), status.code());
    EXPECT_THAT(back.message(), HasSubstr("organisations/xxx"));
  }
  std::vector<FieldViolation> kept =
      FieldViolationsOf(FromGrpcStatus(ToGrpcStatus(InvalidFields(many))));
  ASSERT_FALSE(kept.empty());
  EXPECT_LE(kept[0].description.size(), kMaxViolationDescriptionBytes);
  EXPECT_LE(kept[0].field.size(), kMaxViolationFieldBytes);
}

TEST(BoundedErrorsTest, CutsOnACharacterBoundary) {
  EXPECT_EQ(BoundedText("short", 10), "short");
  EXPECT_EQ(BoundedText("abcdefghij", 8), "abcde\xe2\x80\xa6");
  // "é" is two bytes; a cut inside it keeps neither byte.
  EXPECT_EQ(BoundedText("aaaa\xc3\xa9zzzzzz", 8), "aaaa\xe2\x80\xa6");
  EXPECT_EQ(BoundedText("aaa\xc3\xa9zzzzzz", 8), "aaa\xc3\xa9\xe2\x80\xa6");
}

}  // namespace
}  // namespace metrocap
