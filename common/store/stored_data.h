#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/store/schema.h"

namespace metrocap::store {

// How a record's message is kept in its table's `data` column: its protobuf bytes as they
// are, or, for a schema with `compress` set, the byte 0 followed by a zstd frame of them.
// A protobuf encoding never starts with byte 0 (that would be field number 0, which is
// invalid) and the empty message is no bytes at all, so the marker cannot be taken for a
// message stored as it is: rows written before a schema was compressed, or after it no
// longer is, read back the same, with no migration.

// The bytes to store under `schema` for a message whose protobuf bytes are `bytes`.
std::string StoredData(const ResourceSchema& schema, absl::string_view bytes);

// Turns `data` read from the column of record `name` back into the message's protobuf
// bytes, in place. INTERNAL when a compressed value does not decompress (a broken
// invariant, not bad input).
absl::Status ReadStoredData(absl::string_view name, std::string& data);

}  // namespace metrocap::store
