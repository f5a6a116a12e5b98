#include "gateway/core/http_errors.h"

#include "absl/strings/str_cat.h"
#include "common/status/grpc_status.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace metrocap::gateway {

int HttpStatusFor(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::DATA_LOSS:
    default:
      return 500;
  }
}

grpc::Status ForCallers(const grpc::Status& status) {
  if (status.ok()) return status;
  const grpc::StatusCode code = status.error_code();
  const bool from_service = !status.error_details().empty();
  std::string message;
  switch (code) {
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::DATA_LOSS:
      message = "internal error";
      break;
    case grpc::StatusCode::UNAVAILABLE:
      if (!from_service) message = "the service is unavailable; retry later";
      break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      if (!from_service) message = "the deadline expired before the service answered";
      break;
    case grpc::StatusCode::CANCELLED:
      if (!from_service) message = "the call was cancelled";
      break;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      if (!from_service) message = "a limit was exceeded";
      break;
    case grpc::StatusCode::UNIMPLEMENTED:
      if (!from_service) message = "the method is not implemented";
      break;
    default:
      break;
  }
  if (message.empty()) return status;
  if (!from_service)
    return GatewayError(absl::Status(static_cast<absl::StatusCode>(code), message));
  google::rpc::Status details;
  if (details.ParseFromString(status.error_details())) {
    details.set_message(message);
    return grpc::Status(code, message, details.SerializeAsString());
  }
  return grpc::Status(code, message);
}

std::string StatusJson(const grpc::Status& status) {
  google::rpc::Status body;
  if (!status.error_details().empty()) body.ParseFromString(status.error_details());
  body.set_code(static_cast<int>(status.error_code()));
  body.set_message(status.error_message());
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  if (google::protobuf::util::MessageToJsonString(body, &json, options).ok()) return json;
  // A detail of a type this binary does not know cannot be printed: drop those.
  google::rpc::Status printable;
  printable.set_code(body.code());
  printable.set_message(body.message());
  for (const auto& detail : body.details()) {
    google::rpc::Status one;
    *one.add_details() = detail;
    std::string ignored;
    if (google::protobuf::util::MessageToJsonString(one, &ignored, options).ok()) {
      *printable.add_details() = detail;
    }
  }
  json.clear();
  if (google::protobuf::util::MessageToJsonString(printable, &json, options).ok()) return json;
  return absl::StrCat("{\"code\":", body.code(), ",\"message\":\"internal error\"}");
}

grpc::Status GatewayError(const absl::Status& status) {
  // Make sure the detail types are registered for printing even if nothing else uses them.
  google::rpc::ErrorInfo::descriptor();
  google::rpc::BadRequest::descriptor();
  return ToGrpcStatus(status);
}

}  // namespace metrocap::gateway
