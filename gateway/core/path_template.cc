#include "gateway/core/path_template.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace metrocap::gateway {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes one segment. With `keep_slash`, "%2F" stays encoded: a `**` variable
// spans several segments and an encoded slash inside one must stay told apart from '/'.
bool DecodeSegment(absl::string_view raw, bool keep_slash, std::string* out) {
  out->clear();
  out->reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') {
      out->push_back(raw[i]);
      continue;
    }
    if (i + 2 >= raw.size()) return false;
    int hi = HexValue(raw[i + 1]);
    int lo = HexValue(raw[i + 2]);
    if (hi < 0 || lo < 0) return false;
    char c = static_cast<char>(hi * 16 + lo);
    if (keep_slash && c == '/') {
      out->append(raw.substr(i, 3).data(), 3);
    } else {
      out->push_back(c);
    }
    i += 2;
  }
  return true;
}

bool IsIdentStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsIdentChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

class TemplateParser {
 public:
  explicit TemplateParser(absl::string_view text) : text_(text) {}

  absl::Status Parse(std::vector<PathTemplate::Segment>* segments,
                     std::vector<PathTemplate::Variable>* variables, std::string* verb) {
    if (!Consume('/')) return Error("a template starts with '/'");
    if (!ParseSegments(segments, variables, /*in_variable=*/false)) return status_;
    if (Consume(':')) {
      size_t start = pos_;
      while (pos_ < text_.size() && IsLiteralChar(text_[pos_])) ++pos_;
      if (pos_ == start) return Error("empty custom verb");
      *verb = std::string(text_.substr(start, pos_ - start));
    }
    if (pos_ != text_.size()) return Error("unexpected character");
    int multi = 0;
    for (size_t i = 0; i < segments->size(); ++i) {
      if ((*segments)[i].kind != PathTemplate::Segment::Kind::kMulti) continue;
      ++multi;
      if (i + 1 != segments->size()) return Error("'**' must be the last segment");
    }
    if (multi > 1) return Error("at most one '**'");
    return absl::OkStatus();
  }

 private:
  static bool IsLiteralChar(char c) {
    return c != '/' && c != '{' && c != '}' && c != '*' && c != ':' && c != '=' && c != '?' &&
           c != '#' && c > ' ' && c != 0x7f;
  }

  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  absl::Status Error(absl::string_view what) {
    status_ = absl::InvalidArgumentError(
        absl::StrCat("path template \"", text_, "\" at position ", pos_, ": ", what));
    return status_;
  }

  bool ParseSegments(std::vector<PathTemplate::Segment>* segments,
                     std::vector<PathTemplate::Variable>* variables, bool in_variable) {
    do {
      if (!ParseSegment(segments, variables, in_variable)) return false;
    } while (Consume('/'));
    return true;
  }

  bool ParseSegment(std::vector<PathTemplate::Segment>* segments,
                    std::vector<PathTemplate::Variable>* variables, bool in_variable) {
    using Kind = PathTemplate::Segment::Kind;
    if (Consume('*')) {
      segments->push_back({Consume('*') ? Kind::kMulti : Kind::kSingle, ""});
      return true;
    }
    if (Consume('{')) {
      if (in_variable) return Error("nested variable").ok();
      return ParseVariable(segments, variables);
    }
    size_t start = pos_;
    while (pos_ < text_.size() && IsLiteralChar(text_[pos_])) ++pos_;
    if (pos_ == start) return Error("empty segment").ok();
    segments->push_back({Kind::kLiteral, std::string(text_.substr(start, pos_ - start))});
    return true;
  }

  bool ParseVariable(std::vector<PathTemplate::Segment>* segments,
                     std::vector<PathTemplate::Variable>* variables) {
    size_t start = pos_;
    for (;;) {
      if (pos_ >= text_.size() || !IsIdentStart(text_[pos_])) {
        return Error("expected a field name").ok();
      }
      while (pos_ < text_.size() && IsIdentChar(text_[pos_])) ++pos_;
      if (!Consume('.')) break;
    }
    PathTemplate::Variable variable;
    variable.field_path = std::string(text_.substr(start, pos_ - start));
    variable.first_segment = static_cast<int>(segments->size());
    if (Consume('=')) {
      if (!ParseSegments(segments, variables, /*in_variable=*/true)) return false;
    } else {
      segments->push_back({PathTemplate::Segment::Kind::kSingle, ""});
    }
    if (!Consume('}')) return Error("expected '}'").ok();
    variable.segment_count = static_cast<int>(segments->size()) - variable.first_segment;
    if (segments->back().kind == PathTemplate::Segment::Kind::kMulti) variable.segment_count = -1;
    for (const auto& other : *variables) {
      if (other.field_path == variable.field_path) return Error("variable bound twice").ok();
    }
    variables->push_back(std::move(variable));
    return true;
  }

  absl::string_view text_;
  size_t pos_ = 0;
  absl::Status status_;
};

}  // namespace

absl::StatusOr<SplitPath> SplitRequestPath(absl::string_view path) {
  if (path.empty() || path[0] != '/') {
    return absl::InvalidArgumentError("the request path must start with '/'");
  }
  SplitPath split;
  path.remove_prefix(1);
  // The verb sits after the last ':' of the last segment; resource IDs never hold ':'.
  size_t last_slash = path.rfind('/');
  size_t colon = path.find(':', last_slash == absl::string_view::npos ? 0 : last_slash + 1);
  if (colon != absl::string_view::npos) {
    if (!DecodeSegment(path.substr(colon + 1), false, &split.verb)) {
      return absl::InvalidArgumentError("malformed percent-escape in the request path");
    }
    path = path.substr(0, colon);
  }
  split.raw_segments = absl::StrSplit(path, '/');
  split.segments.resize(split.raw_segments.size());
  for (size_t i = 0; i < split.raw_segments.size(); ++i) {
    if (!DecodeSegment(split.raw_segments[i], false, &split.segments[i])) {
      return absl::InvalidArgumentError("malformed percent-escape in the request path");
    }
  }
  return split;
}

absl::StatusOr<PathTemplate> PathTemplate::Parse(absl::string_view text) {
  PathTemplate result;
  result.text_ = std::string(text);
  TemplateParser parser(text);
  absl::Status status = parser.Parse(&result.segments_, &result.variables_, &result.verb_);
  if (!status.ok()) return status;
  for (const Segment& segment : result.segments_) {
    if (segment.kind == Segment::Kind::kLiteral) ++result.literal_count_;
    if (segment.kind == Segment::Kind::kMulti) result.has_multi_ = true;
  }
  return result;
}

bool PathTemplate::Match(const SplitPath& path, std::vector<PathBinding>* bindings) const {
  bindings->clear();
  if (path.verb != verb_) return false;
  const size_t n = segments_.size();
  const size_t m = path.segments.size();
  if (has_multi_ ? m + 1 < n : m != n) return false;
  for (size_t i = 0; i < n; ++i) {
    const Segment& segment = segments_[i];
    if (segment.kind == Segment::Kind::kLiteral) {
      if (path.segments[i] != segment.literal) return false;
    } else if (segment.kind == Segment::Kind::kSingle) {
      if (path.segments[i].empty()) return false;
    }
  }
  for (const Variable& variable : variables_) {
    std::string value;
    size_t first = static_cast<size_t>(variable.first_segment);
    if (variable.segment_count < 0) {
      std::string decoded;
      for (size_t i = first; i < m; ++i) {
        if (i > first) value.push_back('/');
        DecodeSegment(path.raw_segments[i], /*keep_slash=*/true, &decoded);
        value += decoded;
      }
    } else {
      size_t count = static_cast<size_t>(variable.segment_count);
      for (size_t i = first; i < first + count; ++i) {
        if (i > first) value.push_back('/');
        value += path.segments[i];
      }
    }
    bindings->emplace_back(variable.field_path, std::move(value));
  }
  return true;
}

}  // namespace metrocap::gateway
