// Log lines are JSON whatever the bytes they carry: every value goes through json::Quote.
#include <string>

#include "absl/strings/str_cat.h"
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
  Flush();
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

// Request lines are buffered: they reach stderr on Flush(), or before the next event line, in
// the order they were logged.
TEST(LogLineTest, BufferedRequestLinesKeepTheirOrderBeforeAnEvent) {
  ::testing::internal::CaptureStderr();
  Request({"test", "First", "", "", absl::StatusCode::kOk, absl::Milliseconds(1)});
  Request({"test", "Second", "", "", absl::StatusCode::kOk, absl::Milliseconds(1)});
  Event("info", "test", "third");
  std::string output = ::testing::internal::GetCapturedStderr();

  std::vector<std::string> lines = absl::StrSplit(output, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << output;
  EXPECT_NE(lines[0].find("\"First\""), std::string::npos) << output;
  EXPECT_NE(lines[1].find("\"Second\""), std::string::npos) << output;
  EXPECT_NE(lines[2].find("\"third\""), std::string::npos) << output;
}

// With a sample of N, one successful fast call in N is logged; failed calls and calls as
// slow as the threshold always are.
TEST(LogLineTest, SamplingKeepsEveryFailureAndEverySlowCall) {
  SetAccessLogPolicy({/*success_sample=*/3, /*slow_call=*/absl::Milliseconds(100)});
  ::testing::internal::CaptureStderr();
  for (int i = 0; i < 9; ++i) {
    Request({"test", "Fast", "", "", absl::StatusCode::kOk, absl::Milliseconds(1)});
  }
  Request({"test", "Failed", "", "", absl::StatusCode::kNotFound, absl::Milliseconds(1)});
  Request({"test", "Failed", "", "", absl::StatusCode::kInternal, absl::Milliseconds(1)});
  Request({"test", "Slow", "", "", absl::StatusCode::kOk, absl::Milliseconds(100)});
  Flush();
  std::string output = ::testing::internal::GetCapturedStderr();
  SetAccessLogPolicy({});

  auto count = [&](absl::string_view method) {
    int n = 0;
    for (absl::string_view line : absl::StrSplit(output, '\n', absl::SkipEmpty())) {
      if (line.find(absl::StrCat("\"method\":\"", method, "\"")) != absl::string_view::npos) ++n;
    }
    return n;
  };
  EXPECT_EQ(count("Fast"), 3) << output;
  EXPECT_EQ(count("Failed"), 2) << output;
  EXPECT_EQ(count("Slow"), 1) << output;
}

}  // namespace
}  // namespace metrocap::log
