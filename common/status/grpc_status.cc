#include "common/status/grpc_status.h"

#include "common/status/errors.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace metrocap {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const std::string message = BoundedText(status.message(), kMaxErrorMessageBytes);
  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(status.code()));
  rpc_status.set_message(message);

  google::rpc::ErrorInfo info;
  std::string reason = ReasonOf(status);
  info.set_reason(reason.empty() ? CodeName(status.code()) : reason);
  info.set_domain("metrocap.io");
  rpc_status.add_details()->PackFrom(info);

  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  if (!violations.empty()) {
    google::rpc::BadRequest bad_request;
    for (const FieldViolation& v : violations) {
      google::rpc::BadRequest::FieldViolation fv;
      fv.set_field(BoundedText(v.field, kMaxViolationFieldBytes));
      fv.set_description(BoundedText(v.description, kMaxViolationDescriptionBytes));
      if (bad_request.ByteSizeLong() + fv.ByteSizeLong() > kMaxViolationBytes) break;
      *bad_request.add_field_violations() = std::move(fv);
    }
    rpc_status.add_details()->PackFrom(bad_request);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), message,
                      rpc_status.SerializeAsString());
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status rpc_status;
  if (status.error_details().empty() || !rpc_status.ParseFromString(status.error_details())) {
    return out;
  }
  std::vector<FieldViolation> violations;
  std::string reason;
  for (const auto& any : rpc_status.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&info)) {
      reason = info.reason();
    } else if (any.UnpackTo(&bad_request)) {
      for (const auto& fv : bad_request.field_violations()) {
        violations.push_back(FieldViolation{fv.field(), fv.description()});
      }
    }
  }
  if (!violations.empty()) {
    absl::Status with_fields = InvalidFields(violations);
    out = absl::Status(out.code(), out.message());
    out.SetPayload("type.googleapis.com/google.rpc.BadRequest",
                   *with_fields.GetPayload("type.googleapis.com/google.rpc.BadRequest"));
  }
  if (!reason.empty() && reason != CodeName(out.code())) out = WithReason(out, reason);
  return out;
}

}  // namespace metrocap
