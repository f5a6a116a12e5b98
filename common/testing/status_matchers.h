#pragma once

#include <ostream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::testing {

inline const absl::Status& GetStatus(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// Matches an OK absl::Status or absl::StatusOr.
MATCHER(IsOk, "is OK") {
  const absl::Status& status = GetStatus(arg);
  if (!status.ok()) *result_listener << "status is " << status;
  return status.ok();
}

// Matches a status with `code` (and, optionally, a message matching `message_matcher`).
MATCHER_P(StatusIs, code, "has status code " + ::testing::PrintToString(code)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher, "has status code and message") {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code &&
         ::testing::Matches(message_matcher)(std::string(status.message()));
}

}  // namespace metrocap::testing

#define METROCAP_TEST_CONCAT_INNER(a, b) a##b
#define METROCAP_TEST_CONCAT(a, b) METROCAP_TEST_CONCAT_INNER(a, b)

// `ASSERT_OK_AND_ASSIGN(auto x, F());` fails the test unless F() is OK, else assigns.
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  METROCAP_ASSERT_OK_AND_ASSIGN_IMPL(METROCAP_TEST_CONCAT(statusor_, __LINE__), lhs, expr)
#define METROCAP_ASSERT_OK_AND_ASSIGN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                                       \
  ASSERT_TRUE(statusor.ok()) << statusor.status();              \
  lhs = std::move(statusor).value()

#define EXPECT_OK(expr) EXPECT_THAT((expr), ::metrocap::testing::IsOk())
#define ASSERT_OK(expr) ASSERT_THAT((expr), ::metrocap::testing::IsOk())
