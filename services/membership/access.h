#pragma once

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/identity/caller.h"
#include "common/resource/crud.h"
#include "common/status/errors.h"
#include "common/store/store.h"

// Checks the membership adapter applies before touching data.
namespace metrocap::membership {

inline absl::Status RequireAdmin(const identity::Caller& caller, absl::string_view action) {
  if (caller.IsAdmin()) return absl::OkStatus();
  return WithReason(absl::PermissionDeniedError(absl::StrCat("only an ADMIN may ", action)),
                    "ADMIN_REQUIRED");
}

inline absl::Status RequireWriteFor(const identity::Caller& caller,
                                    absl::string_view organisation) {
  if (caller.MayWriteFor(organisation)) return absl::OkStatus();
  return WithReason(absl::PermissionDeniedError(
                        absl::StrCat(caller.principal, " may not write for ", organisation)),
                    "NOT_GRANTED");
}

// Organisations are network data: every authenticated role may read one. Checked on the
// value a read returns, whether it came from the store or a cache, so that a rule added
// here holds for cached values as well. PERMISSION_DENIED otherwise.
inline absl::Status RequireMayRead(const identity::Caller& caller,
                                   const membership::v1::Organisation& organisation) {
  if (caller.MayRead()) return absl::OkStatus();
  return WithReason(absl::PermissionDeniedError(
                        absl::StrCat(caller.principal, " may not read ", organisation.name())),
                    "NOT_ALLOWED");
}

// INVALID_ARGUMENT naming `field` unless `name` exists in `schema`'s table.
inline absl::Status RequireExists(store::Transaction& tx, const store::ResourceSchema& schema,
                                  absl::string_view field, absl::string_view name) {
  absl::StatusOr<store::Record> record = tx.Get(schema, name);
  if (record.ok()) return absl::OkStatus();
  if (absl::IsNotFound(record.status())) {
    return InvalidField(field, absl::StrCat(name, " does not exist"));
  }
  return record.status();
}

}  // namespace metrocap::membership
