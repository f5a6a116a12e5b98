// Log lines are JSON whatever the bytes they carry: every value goes through json::Quote.
#include <string>

#include "absl/strings/str_split.h"
#include "common/log/log.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace metrocap::log {
namespace {

TEST(LogLineTest, EveryByteValueKeepsTheLineValidJson) {
  std::string all;
  for (int byte = 0; byte < 256; ++byte) all.push_back(static_cast<char>(byte));
  const std::string invalid = "\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80\xe2\x82";

  ::testing::internal::CaptureStderr();
  Event("info", "test", all, {{invalid, all}});
  Request({"test", all, invalid, all, absl::StatusCode::kInvalidArgument, absl::Milliseconds(3)});
  std::string output = ::testing::internal::GetCapturedStderr();

  std::vector<std::string> lines = absl::StrSplit(output, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 2u) << output;
  for (const std::string& line : lines) {
    google::protobuf::Struct parsed;
    auto status = google::protobuf::util::JsonStringToMessage(line, &parsed);
    EXPECT_TRUE(status.ok()) << status << "\n" << line;
  }
  google::protobuf::Struct event;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(lines[0], &event).ok());
  EXPECT_EQ(event.fields().at("message").string_value().substr(0, 128), all.substr(0, 128));
}

}  // namespace
}  // namespace metrocap::log
