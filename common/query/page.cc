#include "common/query/page.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"

namespace metrocap::query {
namespace {

// Token layout, before base64url:
//   version (1 byte) | SHA-256(fingerprint) (32) | cursor [| total] | HMAC-SHA256 of all
//   before (32)
// cursor := count (1 byte), then per value either
//   'i' + 8-byte big-endian two's-complement int64, or 's' + 4-byte big-endian length + bytes.
// total := 't' + 8-byte big-endian int64, the first page's total_size; absent in tokens made
// without one (all tokens before it was added, which still decode).
constexpr char kVersion = 1;
constexpr size_t kDigestSize = 32;
constexpr size_t kMaxValues = 64;
// Above any cursor a 1 MiB request could lead to (its strings come from stored fields);
// bounds the work an attacker can ask of us.
constexpr size_t kMaxTokenLength = 2 * 1024 * 1024;

std::string Sha256(absl::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

std::string HmacSha256(absl::string_view key, absl::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  // A valid pointer even for an empty key: HMAC() gives a null key other meanings.
  static const char kEmpty = 0;
  const void* key_bytes = key.empty() ? &kEmpty : key.data();
  HMAC(EVP_sha256(), key_bytes, static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &mac_size);
  return std::string(reinterpret_cast<const char*>(mac), mac_size);
}

void AppendBigEndian(std::string& out, uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((value >> (8 * i)) & 0xff);
}

void AppendTotal(std::string& out, absl::optional<int64_t> total_size) {
  if (!total_size.has_value()) return;
  out += 't';
  AppendBigEndian(out, static_cast<uint64_t>(*total_size), 8);
}

void AppendCursor(std::string& out, const Cursor& cursor) {
  out += static_cast<char>(cursor.values.size());
  for (const store::SqlValue& value : cursor.values) {
    if (const int64_t* n = absl::get_if<int64_t>(&value)) {
      out += 'i';
      AppendBigEndian(out, static_cast<uint64_t>(*n), 8);
    } else {
      const std::string& s = absl::get<std::string>(value);
      out += 's';
      AppendBigEndian(out, s.size(), 4);
      out += s;
    }
  }
}

// Reads exactly one cursor, and the total that may follow it, from `data`, or nothing if
// anything is off.
class CursorReader {
 public:
  explicit CursorReader(absl::string_view data) : data_(data) {}

  std::optional<Cursor> Read(absl::optional<int64_t>* total_size) {
    std::optional<uint64_t> count = BigEndian(1);
    if (!count || *count > kMaxValues) return std::nullopt;
    Cursor cursor;
    for (uint64_t i = 0; i < *count; ++i) {
      std::optional<uint64_t> tag = BigEndian(1);
      if (tag == static_cast<uint64_t>('i')) {
        std::optional<uint64_t> n = BigEndian(8);
        if (!n) return std::nullopt;
        cursor.values.emplace_back(static_cast<int64_t>(*n));
      } else if (tag == static_cast<uint64_t>('s')) {
        std::optional<uint64_t> size = BigEndian(4);
        if (!size || *size > data_.size()) return std::nullopt;
        cursor.values.emplace_back(std::string(data_.substr(0, *size)));
        data_.remove_prefix(*size);
      } else {
        return std::nullopt;
      }
    }
    *total_size = absl::nullopt;
    if (!data_.empty()) {
      std::optional<uint64_t> tag = BigEndian(1);
      std::optional<uint64_t> total = BigEndian(8);
      if (tag != static_cast<uint64_t>('t') || !total) return std::nullopt;
      *total_size = static_cast<int64_t>(*total);
    }
    if (!data_.empty()) return std::nullopt;
    return cursor;
  }

 private:
  std::optional<uint64_t> BigEndian(size_t bytes) {
    if (data_.size() < bytes) return std::nullopt;
    uint64_t value = 0;
    for (size_t i = 0; i < bytes; ++i) value = (value << 8) | static_cast<unsigned char>(data_[i]);
    data_.remove_prefix(bytes);
    return value;
  }

  absl::string_view data_;
};

absl::Status InvalidToken() {
  return absl::InvalidArgumentError("pageToken is invalid or belongs to another query");
}

}  // namespace

absl::StatusOr<int> EffectivePageSize(int requested) {
  if (requested < 0) return absl::InvalidArgumentError("pageSize must not be negative");
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

std::string EncodePageToken(absl::string_view key, absl::string_view fingerprint,
                            const Cursor& cursor, absl::optional<int64_t> total_size) {
  std::string payload(1, kVersion);
  payload += Sha256(fingerprint);
  AppendCursor(payload, cursor);
  AppendTotal(payload, total_size);
  payload += HmacSha256(key, payload);
  return absl::WebSafeBase64Escape(payload);
}

absl::StatusOr<Cursor> DecodePageToken(absl::string_view key, absl::string_view fingerprint,
                                       absl::string_view token,
                                       absl::optional<int64_t>* total_size) {
  if (token.size() > kMaxTokenLength) return InvalidToken();
  std::string payload;
  // Re-encoding must give the token back: no padding, blanks or alternative spellings.
  if (!absl::WebSafeBase64Unescape(token, &payload) ||
      absl::WebSafeBase64Escape(payload) != token) {
    return InvalidToken();
  }
  if (payload.size() < 1 + kDigestSize + 1 + kDigestSize) return InvalidToken();
  absl::string_view signed_part(payload.data(), payload.size() - kDigestSize);
  std::string mac = HmacSha256(key, signed_part);
  if (CRYPTO_memcmp(mac.data(), payload.data() + signed_part.size(), kDigestSize) != 0) {
    return InvalidToken();
  }
  if (signed_part[0] != kVersion || signed_part.substr(1, kDigestSize) != Sha256(fingerprint)) {
    return InvalidToken();
  }
  absl::optional<int64_t> total;
  std::optional<Cursor> cursor = CursorReader(signed_part.substr(1 + kDigestSize)).Read(&total);
  if (!cursor) return InvalidToken();
  if (total_size != nullptr) *total_size = total;
  return *std::move(cursor);
}

}  // namespace metrocap::query
