#pragma once

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/identity/access.h"
#include "common/identity/caller.h"
#include "common/resource/crud.h"
#include "common/status/errors.h"
#include "common/store/store.h"

// Checks the membership adapter applies before touching data.
namespace metrocap::membership {

// The role checks every service shares (ADMIN_REQUIRED, NOT_GRANTED).
using identity::RequireAdmin;
using identity::RequireWriteFor;

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
