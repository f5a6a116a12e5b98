#include "common/query/filter.h"

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"

namespace metrocap::query {
namespace {

using store::Column;
using store::ColumnKind;
using store::SqlValue;

// One `field op value` term after lexing, before it is checked against the schema.
struct Term {
  std::string field;
  size_t field_pos;  // 0-based offset, for messages
  std::string op;
  size_t op_pos;
  std::string value;
  bool value_quoted;
  size_t value_pos;
};

absl::Status Invalid(absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("filter: ", message));
}

std::string At(size_t pos) { return absl::StrCat(" at position ", pos + 1); }

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsWordStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsWordChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == '.'; }

// A hand-written recursive-descent reader; the grammar is small enough that a generated
// parser would be more code, and every error can point at a position.
class FilterReader {
 public:
  explicit FilterReader(absl::string_view text) : text_(text) {}

  absl::StatusOr<std::vector<Term>> ReadTerms() {
    std::vector<Term> terms;
    SkipBlanks();
    if (AtEnd()) return terms;
    while (true) {
      if (terms.size() == static_cast<size_t>(kMaxFilterTerms)) {
        return Invalid(absl::StrCat("more than ", kMaxFilterTerms, " terms"));
      }
      absl::StatusOr<Term> term = ReadTerm();
      if (!term.ok()) return term.status();
      terms.push_back(*std::move(term));
      SkipBlanks();
      if (AtEnd()) return terms;
      size_t pos = pos_;
      std::string word = ReadWord();
      if (word != "AND") {
        if (word == "OR") return Invalid(absl::StrCat("OR is not supported", At(pos)));
        if (word.empty()) word = std::string(1, text_[pos]);
        return Invalid(absl::StrCat("expected \"AND\"", At(pos), ", found \"", word, "\""));
      }
      SkipBlanks();
      if (AtEnd()) return Invalid(absl::StrCat("expected a term after \"AND\"", At(pos_)));
    }
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }

  void SkipBlanks() {
    while (!AtEnd() && IsBlank(text_[pos_])) ++pos_;
  }

  std::string ReadWord() {
    size_t start = pos_;
    if (!AtEnd() && IsWordStart(text_[pos_])) {
      while (!AtEnd() && IsWordChar(text_[pos_])) ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }

  absl::StatusOr<Term> ReadTerm() {
    Term term;
    term.field_pos = pos_;
    char first = text_[pos_];
    if (first == '(' || first == ')') {
      return Invalid(absl::StrCat("parentheses are not supported", At(pos_)));
    }
    if (first == '-') return Invalid(absl::StrCat("negation is not supported", At(pos_)));
    term.field = ReadWord();
    if (term.field.empty()) return Invalid(absl::StrCat("expected a field name", At(pos_)));
    if (term.field == "NOT")
      return Invalid(absl::StrCat("NOT is not supported", At(term.field_pos)));
    if (term.field == "AND" || term.field == "OR") {
      return Invalid(absl::StrCat("expected a field name", At(term.field_pos), ", found \"",
                                  term.field, "\""));
    }
    SkipBlanks();
    term.op_pos = pos_;
    term.op = ReadOperator();
    if (term.op.empty()) {
      return Invalid(absl::StrCat("expected an operator (= != < <= > >= :) after \"", term.field,
                                  "\"", At(pos_)));
    }
    if (!AtEnd() && absl::string_view("=<>!").find(text_[pos_]) != absl::string_view::npos) {
      return Invalid(absl::StrCat("unknown operator \"", term.op, std::string(1, text_[pos_]), "\"",
                                  At(term.op_pos)));
    }
    SkipBlanks();
    term.value_pos = pos_;
    if (AtEnd() || text_[pos_] == '(' || text_[pos_] == ')') {
      return Invalid(absl::StrCat("expected a value after \"", term.op, "\"", At(pos_)));
    }
    if (text_[pos_] == '"') {
      absl::Status read = ReadQuoted(term.value);
      if (!read.ok()) return read;
      term.value_quoted = true;
    } else {
      size_t start = pos_;
      while (!AtEnd() && !IsBlank(text_[pos_]) && text_[pos_] != '"' && text_[pos_] != '(' &&
             text_[pos_] != ')') {
        ++pos_;
      }
      term.value = std::string(text_.substr(start, pos_ - start));
      term.value_quoted = false;
      if (term.value == "AND" || term.value == "OR") {
        return Invalid(absl::StrCat("expected a value after \"", term.op, "\"", At(start)));
      }
    }
    if (!AtEnd() && !IsBlank(text_[pos_])) {
      return Invalid(absl::StrCat("unexpected \"", std::string(1, text_[pos_]),
                                  "\" after the value", At(pos_)));
    }
    return term;
  }

  std::string ReadOperator() {
    for (absl::string_view op : {"!=", "<=", ">=", "=", "<", ">", ":"}) {
      if (text_.substr(pos_, op.size()) == op) {
        pos_ += op.size();
        return std::string(op);
      }
    }
    return "";
  }

  absl::Status ReadQuoted(std::string& out) {
    size_t start = pos_++;
    while (!AtEnd()) {
      char c = text_[pos_++];
      if (c == '"') return absl::OkStatus();
      if (c == '\\') {
        if (AtEnd()) break;
        char escaped = text_[pos_];
        if (escaped != '"' && escaped != '\\') {
          return Invalid(absl::StrCat("unknown escape \"\\", std::string(1, escaped), "\"",
                                      At(pos_ - 1), "; only \\\" and \\\\ are allowed"));
        }
        out += escaped;
        ++pos_;
      } else {
        out += c;
      }
    }
    return Invalid(absl::StrCat("unterminated string starting", At(start)));
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

// The enum type of `column`'s field, found by walking its lowerCamelCase path.
const google::protobuf::EnumDescriptor* EnumOf(const store::ResourceSchema& schema,
                                               const Column& column) {
  const google::protobuf::Descriptor* message = schema.descriptor;
  const google::protobuf::FieldDescriptor* field = nullptr;
  for (absl::string_view part : absl::StrSplit(column.field, '.')) {
    if (message == nullptr) return nullptr;
    field = message->FindFieldByCamelcaseName(std::string(part));
    if (field == nullptr) return nullptr;
    message = field->message_type();
  }
  return field == nullptr ? nullptr : field->enum_type();
}

bool AllDigits(absl::string_view s) {
  for (char c : s) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return !s.empty();
}

std::optional<int64_t> ParseInteger(absl::string_view text) {
  absl::string_view digits = text;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  int64_t value;
  if (!AllDigits(digits) || !absl::SimpleAtoi(text, &value)) return std::nullopt;
  return value;
}

// google.type.Date's range: years 1..9999, and the day must exist in that month.
bool IsDate(absl::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int year, month, day;
  if (!AllDigits(text.substr(0, 4)) || !AllDigits(text.substr(5, 2)) ||
      !AllDigits(text.substr(8, 2)) || !absl::SimpleAtoi(text.substr(0, 4), &year) ||
      !absl::SimpleAtoi(text.substr(5, 2), &month) || !absl::SimpleAtoi(text.substr(8, 2), &day)) {
    return false;
  }
  absl::CivilDay civil(year, month, day);
  return year >= 1 && civil.year() == year && civil.month() == month && civil.day() == day;
}

// RFC 3339 within google.protobuf.Timestamp's range, as microseconds since the epoch.
std::optional<int64_t> ParseTimestamp(absl::string_view text) {
  // absl::ParseTime is lenient about leading signs and blanks; RFC 3339 is not.
  if (text.size() < 20 || !AllDigits(text.substr(0, 4)) || text[4] != '-') return std::nullopt;
  for (char c : text) {
    if (IsBlank(c)) return std::nullopt;
  }
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &time, &error)) return std::nullopt;
  static const absl::Time kMin = absl::FromCivil(absl::CivilSecond(1, 1, 1), absl::UTCTimeZone());
  static const absl::Time kEnd =
      absl::FromCivil(absl::CivilSecond(10000, 1, 1), absl::UTCTimeZone());
  if (time < kMin || time >= kEnd) return std::nullopt;
  return absl::ToUnixMicros(time);
}

std::string Quote(absl::string_view value) { return absl::StrCat("\"", value, "\""); }

absl::StatusOr<SqlValue> ConvertValue(const store::ResourceSchema& schema, const Column& column,
                                      const Term& term) {
  const std::string& v = term.value;
  if (v == "*" && !term.value_quoted) {
    return Invalid(absl::StrCat("wildcards are not supported", At(term.value_pos)));
  }
  switch (column.kind) {
    case ColumnKind::kString:
    case ColumnKind::kStringList:
      return SqlValue(v);
    case ColumnKind::kInteger: {
      std::optional<int64_t> n = ParseInteger(v);
      if (!n) return Invalid(absl::StrCat(Quote(v), " is not an integer for ", column.field));
      return SqlValue(*n);
    }
    case ColumnKind::kBool:
      if (v == "true" && !term.value_quoted) return SqlValue(int64_t{1});
      if (v == "false" && !term.value_quoted) return SqlValue(int64_t{0});
      return Invalid(absl::StrCat(Quote(v), " is not true or false for ", column.field));
    case ColumnKind::kEnum: {
      const google::protobuf::EnumDescriptor* type = EnumOf(schema, column);
      if (type == nullptr) {
        return absl::InternalError(absl::StrCat("filter: no enum type for ", column.field));
      }
      if (type->FindValueByName(v) != nullptr) return SqlValue(v);
      std::vector<std::string> names;
      for (int i = 0; i < type->value_count(); ++i) names.push_back(type->value(i)->name());
      return Invalid(absl::StrCat(Quote(v), " is not a value of ", column.field,
                                  "; expected one of ", absl::StrJoin(names, ", ")));
    }
    case ColumnKind::kDate:
      if (v.empty() && term.value_quoted && (term.op == "=" || term.op == "!=")) {
        return SqlValue(v);
      }
      if (!IsDate(v)) return Invalid(absl::StrCat(Quote(v), " is not a date for ", column.field));
      return SqlValue(v);
    case ColumnKind::kTimestamp: {
      std::optional<int64_t> micros = ParseTimestamp(v);
      if (!micros) {
        return Invalid(absl::StrCat(Quote(v), " is not an RFC 3339 timestamp for ", column.field));
      }
      return SqlValue(*micros);
    }
  }
  return Invalid(absl::StrCat("field \"", column.field, "\" cannot be filtered"));
}

absl::Status CheckOperator(const Column& column, const Term& term) {
  const std::string& op = term.op;
  switch (column.kind) {
    case ColumnKind::kStringList:
      if (op == ":") return absl::OkStatus();
      return Invalid(absl::StrCat("field \"", column.field, "\" is repeated; use \":\"",
                                  At(term.op_pos), " to test whether it contains a value"));
    case ColumnKind::kString:
      return absl::OkStatus();
    case ColumnKind::kBool:
    case ColumnKind::kEnum:
      if (op == "=" || op == "!=") return absl::OkStatus();
      break;
    case ColumnKind::kInteger:
    case ColumnKind::kDate:
    case ColumnKind::kTimestamp:
      if (op != ":") return absl::OkStatus();
      break;
  }
  if (op == ":") {
    return Invalid(absl::StrCat("\":\" applies only to repeated fields, not to \"", column.field,
                                "\"", At(term.op_pos)));
  }
  return Invalid(absl::StrCat("operator \"", op, "\" cannot be applied to \"", column.field, "\"",
                              At(term.op_pos)));
}

absl::StatusOr<Condition> CompileTerm(const store::ResourceSchema& schema, const Term& term) {
  const Column* column = schema.Find(term.field);
  if (column == nullptr) {
    return Invalid(absl::StrCat("field \"", term.field, "\" cannot be filtered"));
  }
  absl::Status op_ok = CheckOperator(*column, term);
  if (!op_ok.ok()) return op_ok;
  absl::StatusOr<SqlValue> value = ConvertValue(schema, *column, term);
  if (!value.ok()) return value.status();

  Condition condition;
  condition.params.push_back(*std::move(value));
  const std::string& name = column->sql_name;
  if (column->kind == ColumnKind::kStringList) {
    condition.sql =
        absl::StrCat("name IN (SELECT name FROM ", schema.table, "__", name, " WHERE value = ?)");
    return condition;
  }
  std::string op = term.op == ":" ? "=" : term.op;
  condition.sql = absl::StrCat(name, " ", op, " ?");
  if (op == "=") condition.equalities = std::vector<std::string>{name};
  if (op == "<" || op == "<=") {
    if (column->kind == ColumnKind::kDate) {
      condition.sql = absl::StrCat("(", condition.sql, " AND ", name, " != '')");
    } else if (column->kind == ColumnKind::kTimestamp) {
      condition.sql = absl::StrCat("(", condition.sql, " AND ", name, " != 0)");
    }
  }
  return condition;
}

}  // namespace

Condition And(const Condition& a, const Condition& b) {
  if (a.sql.empty()) return b;
  if (b.sql.empty()) return a;
  Condition both;
  both.sql = absl::StrCat("(", a.sql, ") AND (", b.sql, ")");
  both.params = a.params;
  both.params.insert(both.params.end(), b.params.begin(), b.params.end());
  if (a.equalities && b.equalities) {
    both.equalities = *a.equalities;
    both.equalities->insert(both.equalities->end(), b.equalities->begin(), b.equalities->end());
  }
  return both;
}

absl::StatusOr<Condition> CompileFilter(const store::ResourceSchema& schema,
                                        absl::string_view filter) {
  if (filter.size() > kMaxFilterLength) {
    return Invalid(absl::StrCat("longer than ", kMaxFilterLength, " characters"));
  }
  absl::StatusOr<std::vector<Term>> terms = FilterReader(filter).ReadTerms();
  if (!terms.ok()) return terms.status();
  Condition all;
  all.equalities.emplace();
  for (const Term& term : *terms) {
    absl::StatusOr<Condition> one = CompileTerm(schema, term);
    if (!one.ok()) return one.status();
    if (!all.sql.empty()) all.sql += " AND ";
    all.sql += one->sql;
    all.params.insert(all.params.end(), one->params.begin(), one->params.end());
    if (all.equalities && one->equalities) {
      all.equalities->insert(all.equalities->end(), one->equalities->begin(),
                             one->equalities->end());
    } else {
      all.equalities.reset();
    }
  }
  return all;
}

}  // namespace metrocap::query
