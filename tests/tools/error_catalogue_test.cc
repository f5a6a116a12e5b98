// The error catalogue: complete (every reason the code returns is in it), well formed, and
// docs/errors.md generated from it and current.
#include "tools/error_catalogue.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/reasons.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace metrocap::tools {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

bool IsUpperSnake(absl::string_view s) {
  if (s.empty() || !absl::ascii_isupper(s.front())) return false;
  for (char c : s) {
    if (!absl::ascii_isupper(c) && !absl::ascii_isdigit(c) && c != '_') return false;
  }
  return true;
}

TEST(ErrorCatalogueTest, EveryEntryIsUniqueUpperSnakeAndExplained) {
  std::set<std::string> seen;
  for (const ErrorReason& entry : ErrorReasons()) {
    EXPECT_TRUE(IsUpperSnake(entry.reason)) << entry.reason;
    EXPECT_TRUE(seen.insert(std::string(entry.reason)).second) << "twice: " << entry.reason;
    EXPECT_FALSE(entry.meaning.empty()) << entry.reason;
    EXPECT_FALSE(entry.client_action.empty()) << entry.reason;
    EXPECT_NE(entry.code, absl::StatusCode::kOk) << entry.reason;
  }
}

// An error without a specific reason carries its code's name (common/status/grpc_status.cc),
// so every code the suite returns has a generic entry, filed under that very code.
TEST(ErrorCatalogueTest, GenericReasonsAreFiledUnderTheirOwnCode) {
  for (absl::StatusCode code :
       {absl::StatusCode::kInvalidArgument, absl::StatusCode::kFailedPrecondition,
        absl::StatusCode::kOutOfRange, absl::StatusCode::kUnauthenticated,
        absl::StatusCode::kPermissionDenied, absl::StatusCode::kNotFound,
        absl::StatusCode::kAlreadyExists, absl::StatusCode::kAborted,
        absl::StatusCode::kResourceExhausted, absl::StatusCode::kCancelled,
        absl::StatusCode::kDeadlineExceeded, absl::StatusCode::kUnavailable,
        absl::StatusCode::kUnimplemented, absl::StatusCode::kInternal,
        absl::StatusCode::kUnknown}) {
    const ErrorReason* entry = FindErrorReason(CodeName(code));
    ASSERT_NE(entry, nullptr) << CodeName(code);
    EXPECT_EQ(entry->code, code);
  }
}

TEST(ErrorCatalogueTest, FindsReasonLiteralsInWithReasonCalls) {
  const std::string source = R"cc(
    return WithReason(absl::FailedPreconditionError(absl::StrCat("a (b", x, ") c,")),
                      "QUORUM_NOT_MET");
    absl::Status WithReason(absl::Status status, absl::string_view reason);
    out = WithReason(out, reason);
    return MyWithReason(status, "NOT_A_CALL_OF_OURS");
    // e.g. WithReason(status, "IN_A_COMMENT") is not a call
    return WithReason(absl::AbortedError("x // not a comment"), "SOMETHING_UNDOCUMENTED");
  )cc";
  EXPECT_THAT(ReasonsUsedIn(source),
              ElementsAre(Field(&ReasonUse::reason, "QUORUM_NOT_MET"),
                          Field(&ReasonUse::reason, "SOMETHING_UNDOCUMENTED")));
  EXPECT_EQ(ReasonsUsedIn(source)[0].line, 2);
  // The check below would report it: it is not in the catalogue.
  EXPECT_EQ(FindErrorReason("SOMETHING_UNDOCUMENTED"), nullptr);
}

TEST(ErrorCatalogueTest, EveryReasonTheCodeReturnsIsInTheCatalogue) {
  const std::filesystem::path root = METROCAP_SOURCE_DIR;
  int files = 0;
  int uses = 0;
  for (const char* dir : {"common", "services", "gateway", "tools"}) {
    if (!std::filesystem::exists(root / dir)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / dir)) {
      const std::string ext = entry.path().extension().string();
      if (!entry.is_regular_file() || (ext != ".cc" && ext != ".h")) continue;
      ++files;
      for (const ReasonUse& use : ReasonsUsedIn(ReadFile(entry.path()))) {
        ++uses;
        EXPECT_NE(FindErrorReason(use.reason), nullptr)
            << std::filesystem::relative(entry.path(), root).string() << ":" << use.line
            << " returns reason " << use.reason
            << ", which common/status/reasons.cc does not list: add it there (with its meaning "
               "and what a client should do), then rebuild errors-doc";
      }
    }
  }
  EXPECT_GT(files, 50);
  EXPECT_GT(uses, 10);  // the scan really finds the call sites
}

TEST(ErrorCatalogueTest, DocsErrorsMdIsGeneratedFromTheCatalogue) {
  const std::string checked_in =
      ReadFile(std::filesystem::path(METROCAP_SOURCE_DIR) / "docs" / "errors.md");
  EXPECT_TRUE(checked_in == ErrorCatalogueMarkdown())
      << "docs/errors.md is stale: run `cmake --build build --target errors-doc` (or "
         "`build/tools/metrocapctl errors > docs/errors.md`) and commit it";
}

}  // namespace
}  // namespace metrocap::tools
