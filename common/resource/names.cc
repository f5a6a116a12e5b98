#include "common/resource/names.h"

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace metrocap::resource {
namespace {

// Two-byte UTF-8 Latin letters folded to ASCII, enough for the network's place names.
const std::map<std::string, std::string>& Folds() {
  static const auto* folds = new std::map<std::string, std::string>{
      {"á", "a"}, {"à", "a"}, {"â", "a"}, {"ä", "a"}, {"ã", "a"}, {"å", "a"}, {"ą", "a"},
      {"é", "e"}, {"è", "e"}, {"ê", "e"}, {"ë", "e"}, {"ę", "e"}, {"í", "i"}, {"ì", "i"},
      {"î", "i"}, {"ï", "i"}, {"ó", "o"}, {"ò", "o"}, {"ô", "o"}, {"ö", "o"}, {"õ", "o"},
      {"ø", "o"}, {"ú", "u"}, {"ù", "u"}, {"û", "u"}, {"ü", "u"}, {"ñ", "n"}, {"ń", "n"},
      {"ç", "c"}, {"ć", "c"}, {"č", "c"}, {"ś", "s"}, {"š", "s"}, {"ş", "s"}, {"ș", "s"},
      {"ź", "z"}, {"ż", "z"}, {"ž", "z"}, {"ł", "l"}, {"ğ", "g"}, {"ı", "i"}, {"ţ", "t"},
      {"ț", "t"}, {"Á", "a"}, {"É", "e"}, {"Í", "i"}, {"Ó", "o"}, {"Ú", "u"}, {"Ñ", "n"},
      {"Ç", "c"}, {"Ś", "s"}, {"Ż", "z"}, {"Ł", "l"}, {"Š", "s"}, {"Ž", "z"}, {"ß", "ss"},
      {"À", "a"}, {"Â", "a"}, {"Ä", "a"}, {"Ã", "a"}, {"Å", "a"}, {"Ą", "a"}, {"È", "e"},
      {"Ê", "e"}, {"Ë", "e"}, {"Ę", "e"}, {"Ì", "i"}, {"Î", "i"}, {"Ï", "i"}, {"İ", "i"},
      {"Ò", "o"}, {"Ô", "o"}, {"Ö", "o"}, {"Õ", "o"}, {"Ø", "o"}, {"Ù", "u"}, {"Û", "u"},
      {"Ü", "u"}, {"Ń", "n"}, {"Ć", "c"}, {"Č", "c"}, {"Ş", "s"}, {"Ș", "s"}, {"Ź", "z"},
      {"Ğ", "g"}, {"Ţ", "t"}, {"Ț", "t"}};
  return *folds;
}

}  // namespace

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || !(id[0] >= 'a' && id[0] <= 'z') || id.back() == '-') {
    return false;
  }
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::string DeriveId(absl::string_view display_name) {
  std::string out;
  bool dash = false;
  for (size_t i = 0; i < display_name.size(); ++i) {
    unsigned char c = display_name[i];
    std::string piece;
    if (c >= 0x80 && i + 1 < display_name.size()) {
      auto it = Folds().find(std::string(display_name.substr(i, 2)));
      if (it != Folds().end()) {
        piece = it->second;
        ++i;
      }
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      piece = std::string(1, static_cast<char>(c));
    } else if (c >= 'A' && c <= 'Z') {
      piece = std::string(1, static_cast<char>(c - 'A' + 'a'));
    } else if (c == '\'') {
      continue;  // "Xi'an" -> "xian"
    }
    if (piece.empty()) {
      dash = !out.empty();
      continue;
    }
    if (dash) out += '-';
    dash = false;
    out += piece;
  }
  while (!out.empty() && !(out[0] >= 'a' && out[0] <= 'z')) out.erase(0, 1);
  if (out.size() > 63) out.resize(63);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

absl::Status CheckName(absl::string_view field, absl::string_view name,
                       absl::string_view collection) {
  std::string prefix = absl::StrCat(collection, "/");
  if (!absl::StartsWith(name, prefix) || !IsValidId(name.substr(prefix.size()))) {
    if (name.empty()) return InvalidField(field, "is required");
    return InvalidField(field, absl::StrCat("\"", name, "\" is not a name of the form ", prefix,
                                            "{id} with id [a-z0-9-], starting with a letter"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> IdForCreate(absl::string_view id_field, absl::string_view requested,
                                        absl::string_view display_name) {
  if (!requested.empty()) {
    if (!IsValidId(requested)) {
      return InvalidField(id_field, absl::StrCat("\"", requested,
                                                 "\" must be 1-63 of [a-z0-9-], starting "
                                                 "with a letter"));
    }
    return std::string(requested);
  }
  std::string derived = DeriveId(display_name);
  if (derived.empty()) {
    return InvalidField(id_field, "is required when no ID can be derived from displayName");
  }
  return derived;
}

}  // namespace metrocap::resource
