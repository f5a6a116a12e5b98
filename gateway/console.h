#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gateway/http_server.h"

namespace metrocap::gateway {

// The admin web console's static files (HTML, CSS, JS modules, the charting library),
// served unauthenticated under /console/; the pages call the REST API with the key the
// user pastes, so nothing here needs a caller.
//
// Every file is read once, at start-up, into memory: a request never touches the disk
// (the HTTP threads are the event loop) and only a file that was listed then can be
// answered, so no request path can reach outside the directory, whatever it spells.
class ConsoleFiles {
 public:
  static constexpr absl::string_view kPrefix = "/console/";

  // Reads every regular file below `dir` whose name does not start with '.'.
  // NOT_FOUND when `dir` is not a readable directory or holds no index.html;
  // INVALID_ARGUMENT when a file has a type the console does not serve or the files exceed
  // 32 MiB together (the directory is probably the wrong one).
  static absl::StatusOr<std::unique_ptr<ConsoleFiles>> Load(const std::string& dir);

  // True for the paths this serves: "/console" and everything under "/console/".
  static bool Handles(absl::string_view path);

  // The response to `request`, whose path Handles. GET only (405 otherwise);
  // "/console" redirects to "/console/", which is index.html; an unknown file is 404;
  // a matching If-None-Match is 304. Every response carries the console's
  // Content-Security-Policy and caching headers.
  HttpResponse Serve(const HttpRequest& request) const;

  size_t file_count() const { return files_.size(); }

 private:
  struct File {
    std::string content;
    std::string content_type;
    std::string etag;  // Quoted: an HTTP entity-tag.
  };
  ConsoleFiles() = default;

  std::map<std::string, File, std::less<>> files_;  // By path relative to the directory.
};

}  // namespace metrocap::gateway
