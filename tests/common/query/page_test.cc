#include "common/query/page.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <random>
#include <string>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::query {
namespace {

using ::testing::ElementsAre;

constexpr absl::string_view kKey = "page-token-key-for-tests";
constexpr absl::string_view kQuery = "organisations||kind = CITY|population desc|partners/acme";
constexpr absl::string_view kInvalid = "pageToken is invalid or belongs to another query";

void ExpectInvalid(const absl::StatusOr<Cursor>& decoded) {
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(decoded.status().message(), kInvalid);
}

TEST(PageSizeTest, DefaultsAndLimits) {
  EXPECT_EQ(*EffectivePageSize(0), 50);
  EXPECT_EQ(*EffectivePageSize(1), 1);
  EXPECT_EQ(*EffectivePageSize(50), 50);
  EXPECT_EQ(*EffectivePageSize(1000), 1000);
  EXPECT_EQ(*EffectivePageSize(1001), 1000);
  EXPECT_EQ(*EffectivePageSize(2147483647), 1000);
  for (int negative : {-1, -50, -2147483647 - 1}) {
    absl::StatusOr<int> size = EffectivePageSize(negative);
    ASSERT_FALSE(size.ok());
    EXPECT_EQ(size.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(size.status().message(), "pageSize must not be negative");
  }
}

Cursor AwkwardCursor() {
  std::string binary("a\0b\xff\"\\,|", 8);
  return Cursor{{int64_t{0}, int64_t{-1}, int64_t{INT64_MIN}, int64_t{INT64_MAX}, std::string(),
                 binary, std::string(70000, 'x'), std::string("Zürich")}};
}

TEST(PageTokenTest, RoundTripsIntegersAndArbitraryStrings) {
  Cursor cursor = AwkwardCursor();
  std::string token = EncodePageToken(kKey, kQuery, cursor);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  absl::StatusOr<Cursor> decoded = DecodePageToken(kKey, kQuery, token);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->values, cursor.values);
}

TEST(PageTokenTest, TypicalCursorRoundTrips) {
  Cursor cursor{{std::string("CITY"), int64_t{3200000}, std::string("organisations/milan")}};
  std::string token = EncodePageToken(kKey, kQuery, cursor);
  EXPECT_LT(token.size(), 200u);
  absl::StatusOr<Cursor> decoded = DecodePageToken(kKey, kQuery, token);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_THAT(decoded->values,
              ElementsAre(store::SqlValue(std::string("CITY")), store::SqlValue(int64_t{3200000}),
                          store::SqlValue(std::string("organisations/milan"))));
  EXPECT_TRUE(DecodePageToken(kKey, kQuery, EncodePageToken(kKey, kQuery, Cursor{})).ok());
}

TEST(PageTokenTest, OtherFingerprintIsRejected) {
  std::string token = EncodePageToken(kKey, kQuery, Cursor{{std::string("organisations/a")}});
  ExpectInvalid(
      DecodePageToken(kKey, "organisations||kind = CITY|population|partners/acme", token));
  ExpectInvalid(DecodePageToken(kKey, "", token));
}

TEST(PageTokenTest, OtherKeyIsRejected) {
  std::string token = EncodePageToken(kKey, kQuery, Cursor{{std::string("organisations/a")}});
  ExpectInvalid(DecodePageToken("another-key", kQuery, token));
  ExpectInvalid(DecodePageToken("", kQuery, token));
}

TEST(PageTokenTest, EveryTamperedByteIsRejected) {
  std::string token = EncodePageToken(kKey, kQuery, Cursor{{int64_t{42}, std::string("o/a")}});
  std::string raw;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(token, &raw));
  for (size_t i = 0; i < raw.size(); ++i) {
    for (unsigned char flip : {0x01, 0x80, 0xff}) {
      std::string tampered = raw;
      tampered[i] = static_cast<char>(tampered[i] ^ flip);
      ExpectInvalid(DecodePageToken(kKey, kQuery, absl::WebSafeBase64Escape(tampered)));
    }
  }
  ExpectInvalid(DecodePageToken(kKey, kQuery, absl::WebSafeBase64Escape(raw.substr(1))));
  ExpectInvalid(DecodePageToken(kKey, kQuery, absl::WebSafeBase64Escape(raw + "x")));
  ExpectInvalid(
      DecodePageToken(kKey, kQuery, absl::WebSafeBase64Escape(raw.substr(0, raw.size() - 1))));
}

TEST(PageTokenTest, GarbageIsRejected) {
  std::string token = EncodePageToken(kKey, kQuery, Cursor{{std::string("o/a")}});
  for (std::string garbage :
       {std::string(), std::string("="), std::string("not a token"), std::string("!!!!"),
        std::string("AAAA"), std::string(std::string(200, 'A')), token + "=",
        token + "==", " " + token, token + "\n", token.substr(0, token.size() - 1), token + "A",
        std::string(70000, 'A'), std::string(3 << 20, 'A'), std::string("\0\0\0", 3)}) {
    ExpectInvalid(DecodePageToken(kKey, kQuery, garbage));
  }
  // The standard alphabet's '+' and '/' are not base64url.
  std::string standard = token;
  for (char& c : standard) c = c == '-' ? '+' : c == '_' ? '/' : c;
  if (standard != token) ExpectInvalid(DecodePageToken(kKey, kQuery, standard));
}

TEST(PageTokenTest, RandomBytesNeverCrash) {
  std::mt19937 random(7);
  for (int i = 0; i < 5000; ++i) {
    std::string bytes(random() % 120, '\0');
    for (char& c : bytes) c = static_cast<char>(random());
    ExpectInvalid(DecodePageToken(kKey, kQuery, absl::WebSafeBase64Escape(bytes)));
  }
}

TEST(PageTokenTest, CarriesTheFirstPagesTotalWhenGivenOne) {
  Cursor cursor = AwkwardCursor();
  for (int64_t total : {int64_t{0}, int64_t{1}, int64_t{1000000}, int64_t{INT64_MAX}}) {
    absl::optional<int64_t> carried;
    absl::StatusOr<Cursor> decoded =
        DecodePageToken(kKey, kQuery, EncodePageToken(kKey, kQuery, cursor, total), &carried);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(decoded->values, cursor.values);
    EXPECT_EQ(carried, total);
  }
  // A token made without one (as every token was before totals rode along) carries none.
  absl::optional<int64_t> carried = 7;
  ASSERT_TRUE(DecodePageToken(kKey, kQuery, EncodePageToken(kKey, kQuery, cursor), &carried).ok());
  EXPECT_EQ(carried, absl::nullopt);
}

// A token laid out as page.cc does (version | SHA-256(fingerprint) | cursor | HMAC), so a
// correctly signed token can carry malformed cursor bytes: only a key holder could make
// one, but the decoder must still not trust the lengths or tags inside.
std::string SignedToken(absl::string_view cursor_bytes) {
  std::string payload(1, '\x01');
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(kQuery.data()), kQuery.size(), digest);
  payload.append(reinterpret_cast<const char*>(digest), sizeof(digest));
  payload.append(cursor_bytes.data(), cursor_bytes.size());
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), kKey.data(), static_cast<int>(kKey.size()),
       reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), mac, &mac_size);
  payload.append(reinterpret_cast<const char*>(mac), mac_size);
  return absl::WebSafeBase64Escape(payload);
}

TEST(PageTokenTest, SignedButMalformedCursorIsRejected) {
  // The layout above is the real one: a well-formed cursor decodes.
  absl::StatusOr<Cursor> good = DecodePageToken(
      kKey, kQuery, SignedToken(std::string("\x02i\0\0\0\0\0\0\0\x05s\0\0\0\x01z", 16)));
  ASSERT_TRUE(good.ok()) << good.status();
  EXPECT_THAT(good->values,
              ElementsAre(store::SqlValue(int64_t{5}), store::SqlValue(std::string("z"))));

  for (std::string bad : {
           std::string(),                                      // no count
           std::string("\x01", 1),                             // value missing
           std::string("\x01x\0\0\0\0\0\0\0\x05", 10),         // unknown tag
           std::string("\x01i\0\0\0", 5),                      // short integer
           std::string("\x01s\0\0\0\x09z", 7),                 // string past the end
           std::string("\x01s\xff\xff\xff\xffz", 7),           // huge length
           std::string("\x01s\0\0\0\x01zz", 8),                // trailing bytes
           std::string("\x00\x00", 2),                         // trailing after empty
           std::string("\x00t\0\0\0\0\0\0\0", 9),              // short total
           std::string("\x00u\0\0\0\0\0\0\0\x01", 10),         // unknown tag after cursor
           std::string("\x00t\0\0\0\0\0\0\0\x01z", 11),        // trailing after total
           std::string("\x41", 1) + std::string(65 * 9, 'i'),  // more than 64 values
       }) {
    ExpectInvalid(DecodePageToken(kKey, kQuery, SignedToken(bad)));
  }
}

}  // namespace
}  // namespace metrocap::query
