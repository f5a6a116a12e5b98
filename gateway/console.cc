#include "gateway/console.h"

#include <openssl/sha.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "boost/beast/http/field.hpp"
#include "boost/beast/http/status.hpp"
#include "gateway/core/http_errors.h"

namespace metrocap::gateway {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;

constexpr size_t kMaxTotalBytes = 32 << 20;

// Scripts, styles, images and fetches from the gateway's own origin only: no inline script
// or style, no eval, no other site, no framing. The pages are written to need no more.
constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

// The types a console file may have; anything else in the directory is a mistake.
const std::map<std::string, std::string, std::less<>>& ContentTypes() {
  static const auto* types = new std::map<std::string, std::string, std::less<>>{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/plain; charset=utf-8"},
  };
  return *types;
}

std::string Etag(absl::string_view content) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest);
  std::string hex = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
  return absl::StrCat("\"", hex.substr(0, 32), "\"");
}

absl::string_view View(boost::beast::string_view s) { return {s.data(), s.size()}; }

// True when `header` (an If-None-Match value: "*" or a list of entity-tags, weak or not)
// names `etag`.
bool MatchesEtag(absl::string_view header, absl::string_view etag) {
  for (absl::string_view candidate : absl::StrSplit(header, ',')) {
    candidate = absl::StripAsciiWhitespace(candidate);
    absl::ConsumePrefix(&candidate, "W/");
    if (candidate == "*" || candidate == etag) return true;
  }
  return false;
}

void SetCommonHeaders(HttpResponse& response) {
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  response.set("Cross-Origin-Opener-Policy", "same-origin");
  response.set("Cross-Origin-Resource-Policy", "same-origin");
}

HttpResponse ErrorResponse(http::status status, const absl::Status& error) {
  HttpResponse response{status, 11};
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  response.body() = StatusJson(GatewayError(error));
  SetCommonHeaders(response);
  return response;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ConsoleFiles>> ConsoleFiles::Load(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat("the console directory '", dir, "' does not exist"));
  }
  std::unique_ptr<ConsoleFiles> console(new ConsoleFiles());
  size_t total = 0;
  const fs::path root = fs::path(dir);
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path relative = it->path().lexically_relative(root);
    if (relative.filename().string().front() == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    std::string extension = relative.extension().string();
    auto type = ContentTypes().find(absl::AsciiStrToLower(extension));
    if (type == ContentTypes().end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("the console directory holds '", relative.string(),
                       "', a type of file the console does not serve"));
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    if (!in) {
      return absl::NotFoundError(absl::StrCat("cannot read '", it->path().string(), "'"));
    }
    File file{content.str(), type->second, ""};
    total += file.content.size();
    if (total > kMaxTotalBytes) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the console directory '", dir, "' holds more than ", kMaxTotalBytes >> 20, " MiB"));
    }
    file.etag = Etag(file.content);
    console->files_.emplace(relative.generic_string(), std::move(file));
  }
  if (ec) {
    return absl::NotFoundError(
        absl::StrCat("cannot read the console directory '", dir, "': ", ec.message()));
  }
  if (console->files_.count("index.html") == 0) {
    return absl::NotFoundError(absl::StrCat("the console directory '", dir, "' has no index.html"));
  }
  return console;
}

bool ConsoleFiles::Handles(absl::string_view path) {
  return path == "/console" || absl::StartsWith(path, kPrefix);
}

HttpResponse ConsoleFiles::Serve(const HttpRequest& request) const {
  if (request.method() != http::verb::get) {
    HttpResponse response =
        ErrorResponse(http::status::method_not_allowed,
                      absl::UnimplementedError("the console's files can only be read (GET)"));
    response.set(http::field::allow, "GET");
    return response;
  }
  absl::string_view target = View(request.target());
  absl::string_view path = target.substr(0, target.find('?'));
  if (path == "/console") {
    HttpResponse response{http::status::moved_permanently, 11};
    response.set(http::field::location, std::string(kPrefix));
    SetCommonHeaders(response);
    return response;
  }
  absl::string_view relative = path.substr(kPrefix.size());
  if (relative.empty()) relative = "index.html";
  auto file = files_.find(relative);
  if (file == files_.end()) {
    // The lookup is by exact name among the files loaded at start-up, so "..", "%2e%2e"
    // or a doubled slash can only miss.
    return ErrorResponse(http::status::not_found,
                         absl::NotFoundError("no such file in the console"));
  }
  HttpResponse response{http::status::ok, 11};
  // Names are not content-hashed (no bundler), so a browser revalidates every file; the
  // strong ETag makes that a 304 with no body until the gateway is upgraded.
  response.set(http::field::cache_control, "no-cache");
  response.set(http::field::etag, file->second.etag);
  SetCommonHeaders(response);
  if (MatchesEtag(View(request[http::field::if_none_match]), file->second.etag)) {
    response.result(http::status::not_modified);
    return response;
  }
  response.set(http::field::content_type, file->second.content_type);
  response.body() = file->second.content;
  return response;
}

}  // namespace metrocap::gateway
