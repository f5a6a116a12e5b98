#include "common/status/errors.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/rpc/code.pb.h"
#include "google/rpc/error_details.pb.h"

namespace metrocap {
namespace {

constexpr char kBadRequestUrl[] = "type.googleapis.com/google.rpc.BadRequest";
constexpr char kErrorInfoUrl[] = "type.googleapis.com/google.rpc.ErrorInfo";

}  // namespace

std::string BoundedText(absl::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  constexpr absl::string_view kEllipsis = "\xe2\x80\xa6";  // U+2026
  size_t keep = max_bytes - kEllipsis.size();
  // Back up over continuation bytes so no character is cut in half.
  while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xc0) == 0x80) --keep;
  return absl::StrCat(text.substr(0, keep), kEllipsis);
}

absl::Status InvalidField(absl::string_view field, absl::string_view description) {
  return InvalidFields({FieldViolation{std::string(field), std::string(description)}});
}

absl::Status InvalidFields(const std::vector<FieldViolation>& violations) {
  google::rpc::BadRequest bad_request;
  std::vector<std::string> parts;
  for (const FieldViolation& v : violations) {
    auto* fv = bad_request.add_field_violations();
    fv->set_field(BoundedText(v.field, kMaxViolationFieldBytes));
    fv->set_description(BoundedText(v.description, kMaxViolationDescriptionBytes));
    parts.push_back(absl::StrCat(fv->field(), ": ", fv->description()));
  }
  absl::Status status =
      absl::InvalidArgumentError(BoundedText(absl::StrJoin(parts, "; "), kMaxErrorMessageBytes));
  status.SetPayload(kBadRequestUrl, absl::Cord(bad_request.SerializeAsString()));
  return status;
}

absl::Status WithReason(absl::Status status, absl::string_view reason) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain("metrocap.io");
  status.SetPayload(kErrorInfoUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  absl::optional<absl::Cord> payload = status.GetPayload(kBadRequestUrl);
  google::rpc::BadRequest bad_request;
  if (payload && bad_request.ParseFromString(std::string(*payload))) {
    for (const auto& fv : bad_request.field_violations()) {
      out.push_back(FieldViolation{fv.field(), fv.description()});
    }
  }
  return out;
}

std::string ReasonOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kErrorInfoUrl);
  google::rpc::ErrorInfo info;
  if (payload && info.ParseFromString(std::string(*payload))) return info.reason();
  return "";
}

std::string CodeName(absl::StatusCode code) {
  return google::rpc::Code_Name(static_cast<google::rpc::Code>(code));
}

}  // namespace metrocap
