#include "services/roadmaps/core/codes.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/violations.h"
#include "services/roadmaps/core/dates.h"

namespace metrocap::roadmaps {
namespace {

constexpr size_t kMaxDisplayName = 200;
constexpr size_t kMaxDescription = 2000;
constexpr size_t kMaxTitle = 500;
constexpr size_t kMaxCodeNumberDigits = 6;

// Consumes a positive integer without leading zeros from the front of `rest`.
absl::optional<int> TakeNumber(absl::string_view& rest) {
  size_t digits = 0;
  while (digits < rest.size() && absl::ascii_isdigit(rest[digits])) ++digits;
  if (digits == 0 || digits > kMaxCodeNumberDigits || rest[0] == '0') return absl::nullopt;
  int value = 0;
  for (size_t i = 0; i < digits; ++i) value = value * 10 + (rest[i] - '0');
  rest.remove_prefix(digits);
  return value;
}

// Consumes `letter` followed by a number.
absl::optional<int> TakeLetterNumber(absl::string_view& rest, char letter) {
  if (rest.empty() || rest[0] != letter) return absl::nullopt;
  rest.remove_prefix(1);
  return TakeNumber(rest);
}

// Checks one code: its shape (`shape_ok`, described by `expected`) and that it is new in
// `seen`.
void CheckCode(Violations& out, const std::string& field, const std::string& code, bool shape_ok,
               absl::string_view expected, absl::flat_hash_set<std::string>& seen) {
  if (code.empty()) {
    out.Add(field, "is required");
  } else if (!shape_ok) {
    out.Add(field, absl::StrCat("\"", code, "\" must be ", expected));
  } else if (!seen.insert(code).second) {
    out.Add(field, absl::StrCat("\"", code, "\" is used twice"));
  }
}

bool IsLineCode(absl::string_view code) {
  auto shape = ParsePlanCode(code);
  return shape && shape->action == 0;
}

// True when `code` is `parent` followed by `letter` and a number.
bool Extends(absl::string_view code, absl::string_view parent, char letter) {
  if (code.size() <= parent.size() || code.substr(0, parent.size()) != parent) return false;
  absl::string_view rest = code.substr(parent.size());
  return TakeLetterNumber(rest, letter).has_value() && rest.empty();
}

void CheckDeliverables(Violations& out, const v1::PlanAction& action, const std::string& at,
                       bool action_ok, absl::flat_hash_set<std::string>& seen) {
  if (action.deliverables_size() > kMaxDeliverablesPerAction) {
    out.Add(at + "deliverables", absl::StrCat("must have at most ", kMaxDeliverablesPerAction));
    return;
  }
  for (int d = 0; d < action.deliverables_size(); ++d) {
    const v1::Deliverable& deliverable = action.deliverables(d);
    const std::string deliverable_at = absl::StrCat(at, "deliverables[", d, "].");
    // A deliverable under a badly coded action is reported once, on the action.
    bool shape_ok = !action_ok || Extends(deliverable.code(), action.code(), 'D');
    CheckCode(out, deliverable_at + "code", deliverable.code(), shape_ok,
              absl::StrCat("its action's code ", action.code(), " followed by D<n>"), seen);
    out.RequireText(deliverable_at + "title", deliverable.title(), kMaxTitle);
  }
}

void CheckActions(Violations& out, const v1::ActionLine& line, const std::string& at, bool line_ok,
                  absl::flat_hash_set<std::string>& seen) {
  if (line.actions_size() > kMaxActionsPerLine) {
    out.Add(at + "actions", absl::StrCat("must have at most ", kMaxActionsPerLine));
    return;
  }
  for (int a = 0; a < line.actions_size(); ++a) {
    const v1::PlanAction& action = line.actions(a);
    const std::string action_at = absl::StrCat(at, "actions[", a, "].");
    bool shape_ok = !line_ok || Extends(action.code(), line.code(), 'A');
    CheckCode(out, action_at + "code", action.code(), shape_ok,
              absl::StrCat("its action line's code ", line.code(), " followed by A<n>"), seen);
    out.RequireText(action_at + "title", action.title(), kMaxTitle);
    CheckDeliverables(out, action, action_at, line_ok && shape_ok && !action.code().empty(), seen);
  }
}

}  // namespace

absl::optional<PlanCodeShape> ParsePlanCode(absl::string_view code) {
  PlanCodeShape shape;
  auto line = TakeLetterNumber(code, 'L');
  if (!line) return absl::nullopt;
  shape.line = *line;
  if (code.empty()) return shape;
  auto action = TakeLetterNumber(code, 'A');
  if (!action) return absl::nullopt;
  shape.action = *action;
  if (code.empty()) return shape;
  auto deliverable = TakeLetterNumber(code, 'D');
  if (!deliverable || !code.empty()) return absl::nullopt;
  shape.deliverable = *deliverable;
  return shape;
}

absl::optional<TaxonomyCodeShape> ParseTaxonomyCode(absl::string_view code) {
  TaxonomyCodeShape shape;
  auto theme = TakeNumber(code);
  if (!theme) return absl::nullopt;
  shape.theme = *theme;
  if (code.empty()) return shape;
  if (code[0] != '.') return absl::nullopt;
  code.remove_prefix(1);
  auto challenge = TakeNumber(code);
  if (!challenge || !code.empty()) return absl::nullopt;
  shape.challenge = *challenge;
  return shape;
}

absl::Status ValidatePlan(const v1::Plan& plan, absl::string_view prefix) {
  Violations out(prefix);
  out.RequireText("displayName", plan.display_name(), kMaxDisplayName);
  out.OptionalText("description", plan.description(), kMaxDescription);
  auto start = CheckDate(out, "startDate", plan.start_date(), false);
  auto end = CheckDate(out, "endDate", plan.end_date(), false);
  CheckOrder(out, "endDate", "startDate", start, end);
  if (plan.action_lines_size() > kMaxActionLines) {
    out.Add("actionLines", absl::StrCat("must have at most ", kMaxActionLines));
    return out.ToStatus();
  }
  absl::flat_hash_set<std::string> seen;
  for (int l = 0; l < plan.action_lines_size(); ++l) {
    const v1::ActionLine& line = plan.action_lines(l);
    const std::string at = absl::StrCat("actionLines[", l, "].");
    bool line_ok = IsLineCode(line.code());
    CheckCode(out, at + "code", line.code(), line_ok, "L<n>", seen);
    out.RequireText(at + "title", line.title(), kMaxTitle);
    CheckActions(out, line, at, line_ok, seen);
  }
  return out.ToStatus();
}

absl::Status ValidateTaxonomy(const v1::Taxonomy& taxonomy, absl::string_view prefix) {
  Violations out(prefix);
  out.RequireText("displayName", taxonomy.display_name(), kMaxDisplayName);
  out.OptionalText("description", taxonomy.description(), kMaxDescription);
  if (taxonomy.themes_size() > kMaxThemes) {
    out.Add("themes", absl::StrCat("must have at most ", kMaxThemes));
  }
  if (taxonomy.challenges_size() > kMaxChallenges) {
    out.Add("challenges", absl::StrCat("must have at most ", kMaxChallenges));
  }
  if (!out.empty()) return out.ToStatus();
  absl::flat_hash_set<std::string> seen;
  absl::flat_hash_set<int> themes;
  for (int t = 0; t < taxonomy.themes_size(); ++t) {
    const v1::Theme& theme = taxonomy.themes(t);
    const std::string at = absl::StrCat("themes[", t, "].");
    auto shape = ParseTaxonomyCode(theme.code());
    bool shape_ok = shape && shape->challenge == 0;
    CheckCode(out, at + "code", theme.code(), shape_ok, "<n>", seen);
    if (shape_ok) themes.insert(shape->theme);
    out.RequireText(at + "title", theme.title(), kMaxTitle);
  }
  for (int c = 0; c < taxonomy.challenges_size(); ++c) {
    const v1::Challenge& challenge = taxonomy.challenges(c);
    const std::string at = absl::StrCat("challenges[", c, "].");
    auto shape = ParseTaxonomyCode(challenge.code());
    bool shape_ok = shape && shape->challenge != 0;
    CheckCode(out, at + "code", challenge.code(), shape_ok, "<theme>.<n>", seen);
    if (shape_ok && !themes.contains(shape->theme)) {
      out.Add(at + "code", absl::StrCat("\"", challenge.code(), "\" belongs to theme ",
                                        shape->theme, ", which the taxonomy does not have"));
    }
    out.RequireText(at + "title", challenge.title(), kMaxTitle);
  }
  return out.ToStatus();
}

PlanCodes::PlanCodes(const v1::Plan& plan) : plan_(plan) {
  for (int l = 0; l < plan.action_lines_size(); ++l) {
    const v1::ActionLine& line = plan.action_lines(l);
    index_.emplace(line.code(), Position{l, -1, -1});
    for (int a = 0; a < line.actions_size(); ++a) {
      const v1::PlanAction& action = line.actions(a);
      index_.emplace(action.code(), Position{l, a, -1});
      for (int d = 0; d < action.deliverables_size(); ++d) {
        index_.emplace(action.deliverables(d).code(), Position{l, a, d});
      }
    }
  }
}

absl::StatusOr<v1::PlanCode> PlanCodes::Resolve(absl::string_view code) const {
  if (!ParsePlanCode(code)) {
    return InvalidField("code", absl::StrCat("\"", code,
                                             "\" is not a plan code (L<n>, L<n>A<n> "
                                             "or L<n>A<n>D<n>)"));
  }
  auto found = index_.find(code);
  if (found == index_.end()) {
    return WithReason(absl::NotFoundError(absl::StrCat(plan_.name(), " has no code ", code)),
                      "PLAN_CODE_NOT_FOUND");
  }
  const Position& at = found->second;
  v1::PlanCode out;
  out.set_plan(plan_.name());
  out.set_code(std::string(code));
  auto add_step = [&out](const std::string& step_code, const std::string& title) {
    v1::CodeStep* step = out.add_path();
    step->set_code(step_code);
    step->set_title(title);
    out.set_title(title);
  };
  const v1::ActionLine& line = plan_.action_lines(at.line);
  add_step(line.code(), line.title());
  out.set_level(v1::PlanCode::ACTION_LINE);
  if (at.action >= 0) {
    const v1::PlanAction& action = line.actions(at.action);
    add_step(action.code(), action.title());
    out.set_level(v1::PlanCode::ACTION);
    if (at.deliverable >= 0) {
      const v1::Deliverable& deliverable = action.deliverables(at.deliverable);
      add_step(deliverable.code(), deliverable.title());
      out.set_level(v1::PlanCode::DELIVERABLE);
    }
  }
  return out;
}

TaxonomyCodes::TaxonomyCodes(const v1::Taxonomy& taxonomy) : taxonomy_(taxonomy) {
  for (int t = 0; t < taxonomy.themes_size(); ++t) {
    index_.emplace(taxonomy.themes(t).code(), std::make_pair(false, t));
  }
  for (int c = 0; c < taxonomy.challenges_size(); ++c) {
    index_.emplace(taxonomy.challenges(c).code(), std::make_pair(true, c));
  }
}

absl::StatusOr<v1::TaxonomyCode> TaxonomyCodes::Resolve(absl::string_view code) const {
  auto shape = ParseTaxonomyCode(code);
  if (!shape) {
    return InvalidField("code",
                        absl::StrCat("\"", code, "\" is not a taxonomy code (<n> or <n>.<n>)"));
  }
  auto found = index_.find(code);
  if (found == index_.end()) {
    return WithReason(absl::NotFoundError(absl::StrCat(taxonomy_.name(), " has no code ", code)),
                      "TAXONOMY_CODE_NOT_FOUND");
  }
  v1::TaxonomyCode out;
  out.set_taxonomy(taxonomy_.name());
  out.set_code(std::string(code));
  const auto [is_challenge, position] = found->second;
  if (is_challenge) {
    auto theme = index_.find(absl::StrCat(shape->theme));
    if (theme != index_.end() && !theme->second.first) {
      const v1::Theme& t = taxonomy_.themes(theme->second.second);
      v1::CodeStep* step = out.add_path();
      step->set_code(t.code());
      step->set_title(t.title());
    }
    const v1::Challenge& challenge = taxonomy_.challenges(position);
    out.set_title(challenge.title());
    out.set_level(v1::TaxonomyCode::CHALLENGE);
  } else {
    out.set_title(taxonomy_.themes(position).title());
    out.set_level(v1::TaxonomyCode::THEME);
  }
  v1::CodeStep* self = out.add_path();
  self->set_code(std::string(code));
  self->set_title(out.title());
  return out;
}

}  // namespace metrocap::roadmaps
