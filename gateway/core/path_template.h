#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace metrocap::gateway {

// A request path split the way templates match it: percent-decoded segments and the custom
// verb after the last ':' of the last segment (empty when there is none).
struct SplitPath {
  std::vector<std::string> segments;
  // The raw (still percent-encoded) segments, kept so that `**` variables can keep "%2F".
  std::vector<absl::string_view> raw_segments;
  std::string verb;
};

// Splits and percent-decodes an HTTP request target's path (no query string). Fails with
// INVALID_ARGUMENT when the path does not start with '/' or holds a malformed %-escape.
absl::StatusOr<SplitPath> SplitRequestPath(absl::string_view path);

// One variable bound by a successful match: the request field path as the template spells
// it (e.g. "organisation.name") and the decoded text of the path it covered.
using PathBinding = std::pair<std::string, std::string>;

// A google.api.http path template, e.g. "/v1/{name=organisations/*}:ratify":
//
//   Template = "/" Segments [ ":" Verb ] ;
//   Segments = Segment { "/" Segment } ;
//   Segment  = "*" | "**" | LITERAL | Variable ;
//   Variable = "{" FieldPath [ "=" Segments ] "}" ;
//
// `{x}` means `{x=*}`. `**` (at most one per template, only as the last segment or the last
// segment of the last variable) matches zero or more segments.
class PathTemplate {
 public:
  struct Segment {
    enum class Kind { kLiteral, kSingle, kMulti };
    Kind kind;
    std::string literal;  // kLiteral only.
  };
  struct Variable {
    std::string field_path;
    int first_segment;  // Index into segments().
    int segment_count;  // -1 when the variable ends in `**`.
  };

  // Parses `text`. INVALID_ARGUMENT naming the position of the first error.
  static absl::StatusOr<PathTemplate> Parse(absl::string_view text);

  // True and fills `bindings` when `path` matches; `bindings` is cleared first.
  bool Match(const SplitPath& path, std::vector<PathBinding>* bindings) const;

  const std::string& text() const { return text_; }
  const std::vector<Segment>& segments() const { return segments_; }
  const std::vector<Variable>& variables() const { return variables_; }
  const std::string& verb() const { return verb_; }
  // Whether the template ends in `**`, so that it matches paths of any length.
  bool has_multi() const { return has_multi_; }
  // Literal segments come first in match order: "/v1/regions/-" before "/v1/regions/{x}".
  int literal_count() const { return literal_count_; }

 private:
  std::string text_;
  std::vector<Segment> segments_;
  std::vector<Variable> variables_;
  std::string verb_;
  bool has_multi_ = false;
  int literal_count_ = 0;
};

}  // namespace metrocap::gateway
