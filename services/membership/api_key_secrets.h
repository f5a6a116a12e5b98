#pragma once

#include <string>

#include "absl/strings/string_view.h"

// API key secrets: how they are made, and the digests that stand for them. The store keeps
// only "sha256:<digest>" and the api-keys cache is keyed by the digest, so no copy of a
// secret outlives the request that carried it.
namespace metrocap::membership {

// A new key prefix, "mck_<8 hex>" (ApiKey.key_prefix, shown to humans and indexed).
std::string NewKeyPrefix();
// A new secret under `prefix`: "<prefix>_<40 hex>", 160 random bits after the prefix.
std::string NewKeySecret(absl::string_view prefix);

// The prefix of a well-formed key ("mck_<8 hex>_<40 hex>" -> "mck_<8 hex>"), "" otherwise.
std::string PrefixOfKey(absl::string_view key);

// The lowercase hex SHA-256 of the whole key: its name in the api-keys cache.
std::string KeyDigest(absl::string_view key);
// What the store keeps in ApiKey.secret: "sha256:" + KeyDigest(key).
std::string StoredHashOfKey(absl::string_view key);
// The digest inside a stored hash, "" when `stored` is not one.
std::string DigestOfStoredHash(absl::string_view stored);

}  // namespace metrocap::membership
