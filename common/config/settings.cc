#include "common/config/settings.h"

#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace metrocap::config {

absl::StatusOr<Settings> Settings::Load(absl::string_view file_path,
                                        const std::map<std::string, std::string>& environment) {
  Settings settings;
  if (!file_path.empty()) {
    std::ifstream in{std::string(file_path)};
    if (!in) return absl::NotFoundError(absl::StrCat("config file ", file_path, " cannot be read"));
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      absl::string_view text = absl::StripAsciiWhitespace(line);
      if (text.empty() || text[0] == '#') continue;
      size_t eq = text.find('=');
      if (eq == absl::string_view::npos || eq == 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("config file ", file_path, " line ", number, ": expected KEY=VALUE"));
      }
      settings.values_[std::string(absl::StripAsciiWhitespace(text.substr(0, eq)))] =
          std::string(absl::StripAsciiWhitespace(text.substr(eq + 1)));
    }
  }
  for (const auto& [key, value] : environment) settings.values_[key] = value;
  return settings;
}

std::map<std::string, std::string> Settings::FromEnviron(char** envp) {
  std::map<std::string, std::string> out;
  for (char** e = envp; e != nullptr && *e != nullptr; ++e) {
    absl::string_view entry(*e);
    if (!absl::StartsWith(entry, "METROCAP_")) continue;
    size_t eq = entry.find('=');
    if (eq == absl::string_view::npos) continue;
    out[std::string(entry.substr(0, eq))] = std::string(entry.substr(eq + 1));
  }
  return out;
}

std::string Settings::String(absl::string_view key, absl::string_view fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? std::string(fallback) : it->second;
}

absl::StatusOr<int64_t> Settings::Int(absl::string_view key, int64_t fallback, int64_t min,
                                      int64_t max) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  int64_t value;
  if (!absl::SimpleAtoi(it->second, &value) || value < min || value > max) {
    return absl::InvalidArgumentError(
        absl::StrCat(key, "=\"", it->second, "\" must be an integer from ", min, " to ", max));
  }
  return value;
}

absl::StatusOr<bool> Settings::Bool(absl::string_view key, bool fallback) const {
  auto it = values_.find(key);
  if (it == values_.end()) return fallback;
  std::string v = absl::AsciiStrToLower(it->second);
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  return absl::InvalidArgumentError(
      absl::StrCat(key, "=\"", it->second, "\" must be true or false"));
}

absl::StatusOr<std::string> Settings::Address(absl::string_view key,
                                              absl::string_view fallback) const {
  std::string value = String(key, fallback);
  size_t colon = value.rfind(':');
  int port = -1;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(absl::string_view(value).substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat(key, "=\"", value, "\" must be host:port with a port from 0 to 65535"));
  }
  return value;
}

}  // namespace metrocap::config
