#include "common/json/json_string.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace metrocap::json {
namespace {

constexpr char kReplacement[] = "\xef\xbf\xbd";

// What a JSON parser reads back from Quote(text); fails the test when it does not parse.
std::string ParsedBack(absl::string_view text) {
  std::string quoted = Quote(text);
  google::protobuf::Value value;
  auto status = google::protobuf::util::JsonStringToMessage(quoted, &value);
  EXPECT_TRUE(status.ok()) << status << " for " << quoted;
  EXPECT_EQ(value.kind_case(), google::protobuf::Value::kStringValue) << quoted;
  EXPECT_TRUE(IsUtf8(quoted)) << quoted;
  return value.string_value();
}

TEST(QuoteTest, EveryByteValueAloneIsValidJson) {
  for (int byte = 0; byte < 256; ++byte) {
    std::string one(1, static_cast<char>(byte));
    SCOPED_TRACE(absl::StrCat("byte ", byte));
    std::string back = ParsedBack(one);
    // ASCII comes back as it was; every other lone byte starts no UTF-8 sequence.
    EXPECT_EQ(back, byte < 0x80 ? one : std::string(kReplacement));
  }
}

TEST(QuoteTest, EveryByteValueInsideTextIsValidJson) {
  for (int byte = 0; byte < 256; ++byte) {
    std::string text = absl::StrCat("a", std::string(1, static_cast<char>(byte)), "z\"\\");
    SCOPED_TRACE(absl::StrCat("byte ", byte));
    ParsedBack(text);
  }
}

TEST(QuoteTest, ControlCharactersAreUnicodeEscapes) {
  EXPECT_EQ(Quote(std::string("\n\r\t\0\x1f\x7f", 6)),
            "\"\\u000a\\u000d\\u0009\\u0000\\u001f\\u007f\"");
  EXPECT_EQ(Quote("say \"hi\" \\ o/"), "\"say \\\"hi\\\" \\\\ o/\"");
}

TEST(QuoteTest, ValidUtf8PassesThrough) {
  const std::string text = "Zürich – 東京 😀";
  EXPECT_EQ(Quote(text), "\"" + text + "\"");
  EXPECT_EQ(ParsedBack(text), text);
}

TEST(QuoteTest, EachByteOfAnInvalidSequenceBecomesOneReplacementCharacter) {
  struct Case {
    std::string bytes;
    int replacements;
  };
  const Case cases[] = {
      {"\x80", 1},              // a lone continuation byte
      {"\xc0\xaf", 2},          // an overlong '/'
      {"\xe0\x80\xaf", 3},      // an overlong three-byte form
      {"\xed\xa0\x80", 3},      // a UTF-16 surrogate
      {"\xf4\x90\x80\x80", 4},  // above U+10FFFF
      {"\xe2\x82", 2},          // truncated
      {"\xff\xfe", 2},          // never valid
      {"\xf0\x9f\x98", 3},      // a truncated emoji
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(absl::CEscape(c.bytes));
    EXPECT_FALSE(IsUtf8(c.bytes));
    std::string expected;
    for (int i = 0; i < c.replacements; ++i) expected += kReplacement;
    EXPECT_EQ(ParsedBack("<" + c.bytes + ">"), "<" + expected + ">");
  }
}

TEST(IsUtf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsUtf8(""));
  EXPECT_TRUE(IsUtf8("plain"));
  EXPECT_TRUE(IsUtf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  EXPECT_TRUE(IsUtf8(std::string("\0", 1)));
}

}  // namespace
}  // namespace metrocap::json
