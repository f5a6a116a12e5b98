#include "tools/error_catalogue.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/status/errors.h"
#include "common/status/reasons.h"
#include "gateway/core/http_errors.h"

namespace metrocap::tools {
namespace {

// A table cell: a pipe would end the cell early.
std::string Cell(absl::string_view text) { return absl::StrReplaceAll(text, {{"|", "\\|"}}); }

// The position just past the string literal starting at `begin` (a '"').
size_t SkipLiteral(absl::string_view text, size_t begin) {
  size_t i = begin + 1;
  while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
  return i + 1;
}

// `source` with every // comment blanked out (newlines kept, so line numbers hold).
std::string WithoutLineComments(absl::string_view source) {
  std::string out(source);
  for (size_t i = 0; i < out.size();) {
    if (out[i] == '"') {
      i = SkipLiteral(out, i);
    } else if (out.compare(i, 2, "//") == 0) {
      for (; i < out.size() && out[i] != '\n'; ++i) out[i] = ' ';
    } else {
      ++i;
    }
  }
  return out;
}

}  // namespace

std::string ErrorCatalogueMarkdown() {
  std::string out =
      "# Error reasons\n\n"
      "<!-- Generated from common/status/reasons.cc: `metrocapctl errors > docs/errors.md`\n"
      "     (build target errors-doc). tests/tools/error_catalogue_test.cc fails when this\n"
      "     file is stale or when the code uses a reason missing from the catalogue. -->\n\n"
      "Every error is a `google.rpc.Status` whose details hold a `google.rpc.ErrorInfo` with\n"
      "domain `metrocap.io` and one of the reasons below (and, for bad fields, a\n"
      "`google.rpc.BadRequest` naming each field). Branch on `reason`, not on the message:\n"
      "messages are for people and may change, reasons are part of the `v1` contract (see\n"
      "[versioning](versioning.md)). A new reason is added to this list before any code may\n"
      "return it.\n\n"
      "| reason | gRPC code | HTTP | meaning | what a client should do |\n"
      "|---|---|---|---|---|\n";
  for (const ErrorReason& entry : ErrorReasons()) {
    absl::StrAppend(&out, "| `", entry.reason, "` | ", CodeName(entry.code), " | ",
                    gateway::HttpStatusFor(static_cast<grpc::StatusCode>(entry.code)), " | ",
                    Cell(entry.meaning), " | ", Cell(entry.client_action), " |\n");
  }
  return out;
}

std::vector<ReasonUse> ReasonsUsedIn(absl::string_view commented_source) {
  const std::string code = WithoutLineComments(commented_source);
  const absl::string_view source = code;
  std::vector<ReasonUse> uses;
  constexpr absl::string_view kCall = "WithReason(";
  for (size_t at = source.find(kCall); at != absl::string_view::npos;
       at = source.find(kCall, at + kCall.size())) {
    if (at > 0 && (absl::ascii_isalnum(source[at - 1]) || source[at - 1] == '_')) continue;
    // Walk to the call's closing parenthesis, remembering where its last top-level
    // argument starts; literals may hold parentheses and commas.
    int depth = 1;
    size_t i = at + kCall.size();
    size_t last_argument = i;
    while (i < source.size() && depth > 0) {
      char c = source[i];
      if (c == '"') {
        i = SkipLiteral(source, i);
        continue;
      }
      if (c == '(') ++depth;
      if (c == ')') --depth;
      if (c == ',' && depth == 1) last_argument = i + 1;
      ++i;
    }
    if (depth != 0) break;
    absl::string_view argument =
        absl::StripAsciiWhitespace(source.substr(last_argument, i - 1 - last_argument));
    if (argument.size() < 2 || argument.front() != '"' || argument.back() != '"') continue;
    int line = 1;
    for (size_t j = 0; j < at; ++j) line += source[j] == '\n';
    uses.push_back({std::string(argument.substr(1, argument.size() - 2)), line});
  }
  return uses;
}

}  // namespace metrocap::tools
