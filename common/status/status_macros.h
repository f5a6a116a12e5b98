#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the enclosing function when `expr` (an absl::Status) is not OK.
#define RETURN_IF_ERROR(expr)                            \
  do {                                                   \
    ::absl::Status metrocap_status_ = (expr);            \
    if (!metrocap_status_.ok()) return metrocap_status_; \
  } while (0)

#define METROCAP_CONCAT_INNER(a, b) a##b
#define METROCAP_CONCAT(a, b) METROCAP_CONCAT_INNER(a, b)

// `ASSIGN_OR_RETURN(auto x, F());` assigns the value of an absl::StatusOr or returns its
// status from the enclosing function.
#define ASSIGN_OR_RETURN(lhs, expr) \
  METROCAP_ASSIGN_OR_RETURN_IMPL(METROCAP_CONCAT(metrocap_statusor_, __LINE__), lhs, expr)

#define METROCAP_ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                                   \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = std::move(statusor).value()
