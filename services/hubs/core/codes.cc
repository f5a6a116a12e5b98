#include "services/hubs/core/codes.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace metrocap::hubs {
namespace {

// Reads a positive integer without leading zeros, of at most 4 digits, from the front of
// `text`; 0 (and `text` untouched) when there is none.
int TakeNumber(absl::string_view& text) {
  size_t digits = 0;
  while (digits < text.size() && absl::ascii_isdigit(text[digits])) ++digits;
  if (digits == 0 || digits > 4 || text[0] == '0') return 0;
  int n = 0;
  for (size_t i = 0; i < digits; ++i) n = n * 10 + (text[i] - '0');
  text.remove_prefix(digits);
  return n;
}

// Takes `letter` followed by a number from the front of `text`.
int TakeLevel(absl::string_view& text, char letter) {
  if (text.empty() || text[0] != letter) return 0;
  absl::string_view rest = text.substr(1);
  int n = TakeNumber(rest);
  if (n != 0) text = rest;
  return n;
}

struct ChallengeParts {
  int theme = 0;
  int challenge = 0;
};

absl::optional<ChallengeParts> ParseChallengeCode(absl::string_view code) {
  ChallengeParts parts;
  parts.theme = TakeNumber(code);
  if (parts.theme == 0 || code.empty() || code[0] != '.') return absl::nullopt;
  code.remove_prefix(1);
  parts.challenge = TakeNumber(code);
  if (parts.challenge == 0 || !code.empty()) return absl::nullopt;
  return parts;
}

// Orders parsed codes before unparsed ones, parsed ones by `key`, the rest by text.
template <typename Parsed, typename Key>
bool CodeLess(absl::string_view a, absl::string_view b, Parsed parse, Key key) {
  auto pa = parse(a);
  auto pb = parse(b);
  if (pa && pb) return key(*pa) < key(*pb);
  if (pa.has_value() != pb.has_value()) return pa.has_value();
  return a < b;
}

}  // namespace

absl::optional<PlanCodeParts> ParsePlanCode(absl::string_view code) {
  PlanCodeParts parts;
  parts.line = TakeLevel(code, 'L');
  if (parts.line == 0) return absl::nullopt;
  if (!code.empty()) {
    parts.action = TakeLevel(code, 'A');
    if (parts.action == 0) return absl::nullopt;
  }
  if (!code.empty()) {
    parts.deliverable = TakeLevel(code, 'D');
    if (parts.deliverable == 0 || !code.empty()) return absl::nullopt;
  }
  return parts;
}

bool IsChallengeCode(absl::string_view code) { return ParseChallengeCode(code).has_value(); }

bool PlanCodeLess(absl::string_view a, absl::string_view b) {
  // An absent level is 0, so a line sorts before its actions and an action before its
  // deliverables.
  return CodeLess(a, b, ParsePlanCode, [](const PlanCodeParts& p) {
    return std::make_tuple(p.line, p.action, p.deliverable);
  });
}

bool ChallengeCodeLess(absl::string_view a, absl::string_view b) {
  return CodeLess(a, b, ParseChallengeCode,
                  [](const ChallengeParts& p) { return std::make_tuple(p.theme, p.challenge); });
}

std::vector<std::string> OutcomeScope(
    const google::protobuf::RepeatedPtrField<std::string>& codes) {
  std::vector<std::string> scope;
  for (const std::string& code : codes) {
    absl::optional<PlanCodeParts> parts = ParsePlanCode(code);
    if (!parts) continue;
    scope.push_back(absl::StrCat("L", parts->line));
    if (parts->action != 0) scope.push_back(absl::StrCat("L", parts->line, "A", parts->action));
    if (parts->deliverable != 0) scope.push_back(code);
  }
  std::sort(scope.begin(), scope.end(),
            [](const std::string& a, const std::string& b) { return PlanCodeLess(a, b); });
  scope.erase(std::unique(scope.begin(), scope.end()), scope.end());
  return scope;
}

}  // namespace metrocap::hubs
