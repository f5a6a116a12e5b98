#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "common/status/errors.h"
#include "metrocap/hubs/v1/hubs.pb.h"

namespace metrocap::hubs {

// The field paths of a status's violations, in order.
inline std::vector<std::string> BadFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : FieldViolationsOf(status))
    fields.push_back(violation.field);
  return fields;
}

// A report's code rows as (code, activityCount) pairs.
inline std::vector<std::pair<std::string, int>> Rows(
    const google::protobuf::RepeatedPtrField<v1::CodeCount>& rows) {
  std::vector<std::pair<std::string, int>> out;
  for (const v1::CodeCount& row : rows) out.emplace_back(row.code(), row.activity_count());
  return out;
}

// A progress report request for `plan` over January-April 2022 (the seed report's period).
inline v1::GenerateProgressReportRequest JanuaryToApril2022(const std::string& plan) {
  v1::GenerateProgressReportRequest request;
  request.set_plan(plan);
  request.mutable_start_date()->set_year(2022);
  request.mutable_start_date()->set_month(1);
  request.mutable_start_date()->set_day(1);
  request.mutable_end_date()->set_year(2022);
  request.mutable_end_date()->set_month(4);
  request.mutable_end_date()->set_day(30);
  return request;
}

}  // namespace metrocap::hubs
