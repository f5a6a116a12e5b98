#include "services/membership/api_key_secrets.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "openssl/rand.h"
#include "openssl/sha.h"

namespace metrocap::membership {
namespace {

constexpr char kKeyScheme[] = "mck_";
constexpr char kStoredHashScheme[] = "sha256:";

std::string RandomHex(int bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), bytes);
  return absl::BytesToHexString(raw);
}

}  // namespace

std::string NewKeyPrefix() { return kKeyScheme + RandomHex(4); }

std::string NewKeySecret(absl::string_view prefix) {
  return absl::StrCat(prefix, "_", RandomHex(20));
}

std::string PrefixOfKey(absl::string_view key) {
  if (!absl::StartsWith(key, kKeyScheme) || key.size() != 4 + 8 + 1 + 40 || key[12] != '_') {
    return "";
  }
  return std::string(key.substr(0, 12));
}

std::string KeyDigest(absl::string_view key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

std::string StoredHashOfKey(absl::string_view key) {
  return absl::StrCat(kStoredHashScheme, KeyDigest(key));
}

std::string DigestOfStoredHash(absl::string_view stored) {
  if (!absl::ConsumePrefix(&stored, kStoredHashScheme)) return "";
  return std::string(stored);
}

}  // namespace metrocap::membership
