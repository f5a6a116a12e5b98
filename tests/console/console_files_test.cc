// The console's static file serving (gateway/console.h): what is loaded, the types and
// headers it answers with, and that no request path reaches outside the directory.
#include <filesystem>
#include <fstream>

#include "gateway/console.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/process.h"

namespace metrocap::gateway {
namespace {

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using ::testing::HasSubstr;

class ConsoleFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = metrocap::testing::MakeTempDir("console-files");
    ASSERT_TRUE(dir.ok());
    root_ = *dir;
    dir_ = root_ + "/console";
    Write("index.html", "<!doctype html><title>c</title>");
    Write("console.css", "body{}");
    Write("js/app.js", "export {};");
    Write("vendor/chart.umd.js", "var Chart;");
    Write(".hidden/secret.txt", "not served");
    Write(".env", "not served");
    std::ofstream(root_ + "/secret.txt") << "outside the directory";
  }
  void TearDown() override { metrocap::testing::RemoveTree(root_); }

  void Write(const std::string& relative, const std::string& content) {
    fs::path path = fs::path(dir_) / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << content;
  }

  HttpResponse Get(const std::string& target, http::verb method = http::verb::get,
                   const std::string& if_none_match = "") {
    auto console = ConsoleFiles::Load(dir_);
    EXPECT_TRUE(console.ok()) << console.status();
    HttpRequest request{method, target, 11};
    if (!if_none_match.empty()) request.set(http::field::if_none_match, if_none_match);
    return (*console)->Serve(request);
  }

  std::string root_, dir_;
};

TEST_F(ConsoleFilesTest, LoadsTheVisibleFilesOnly) {
  auto console = ConsoleFiles::Load(dir_);
  ASSERT_TRUE(console.ok()) << console.status();
  EXPECT_EQ((*console)->file_count(), 4u);
}

TEST_F(ConsoleFilesTest, ServesEachFileWithItsType) {
  HttpResponse index = Get("/console/");
  EXPECT_EQ(index.result(), http::status::ok);
  EXPECT_EQ(index[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_THAT(index.body(), HasSubstr("<title>c</title>"));
  EXPECT_EQ(Get("/console/index.html").body(), index.body());
  EXPECT_EQ(Get("/console/js/app.js")[http::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(Get("/console/console.css")[http::field::content_type], "text/css; charset=utf-8");
  EXPECT_EQ(Get("/console/vendor/chart.umd.js?v=1").body(), "var Chart;");
}

TEST_F(ConsoleFilesTest, EveryResponseCarriesTheSecurityHeaders) {
  for (const char* target : {"/console/", "/console/missing.js", "/console"}) {
    HttpResponse response = Get(target);
    std::string csp(response["Content-Security-Policy"]);
    EXPECT_THAT(csp, HasSubstr("default-src 'none'")) << target;
    EXPECT_THAT(csp, HasSubstr("script-src 'self'")) << target;
    EXPECT_THAT(csp, HasSubstr("frame-ancestors 'none'")) << target;
    EXPECT_EQ(response["X-Content-Type-Options"], "nosniff") << target;
  }
}

TEST_F(ConsoleFilesTest, RedirectsTheBarePrefix) {
  HttpResponse response = Get("/console");
  EXPECT_EQ(response.result(), http::status::moved_permanently);
  EXPECT_EQ(response[http::field::location], "/console/");
}

TEST_F(ConsoleFilesTest, NoPathReachesOutsideTheDirectoryOrHiddenFiles) {
  for (const char* target :
       {"/console/../secret.txt", "/console/..%2fsecret.txt", "/console/%2e%2e/secret.txt",
        "/console/js/../../secret.txt", "/console//etc/passwd", "/console/.env",
        "/console/.hidden/secret.txt", "/console/js/", "/console/js", "/console/JS/app.js"}) {
    HttpResponse response = Get(target);
    EXPECT_EQ(response.result(), http::status::not_found) << target;
    EXPECT_THAT(response.body(), ::testing::Not(HasSubstr("outside"))) << target;
    EXPECT_THAT(response.body(), ::testing::Not(HasSubstr("not served"))) << target;
  }
}

TEST_F(ConsoleFilesTest, RevalidatesWithTheEtag) {
  HttpResponse first = Get("/console/js/app.js");
  EXPECT_EQ(first[http::field::cache_control], "no-cache");
  std::string etag(first[http::field::etag]);
  ASSERT_FALSE(etag.empty());
  HttpResponse again = Get("/console/js/app.js", http::verb::get, etag);
  EXPECT_EQ(again.result(), http::status::not_modified);
  EXPECT_TRUE(again.body().empty());
  EXPECT_EQ(Get("/console/js/app.js", http::verb::get, "\"other\"").result(), http::status::ok);
}

TEST_F(ConsoleFilesTest, OnlyReads) {
  HttpResponse response = Get("/console/", http::verb::post);
  EXPECT_EQ(response.result(), http::status::method_not_allowed);
  EXPECT_EQ(response[http::field::allow], "GET");
}

TEST_F(ConsoleFilesTest, RefusesADirectoryThatIsNotAConsole) {
  EXPECT_EQ(ConsoleFiles::Load(root_ + "/nowhere").status().code(), absl::StatusCode::kNotFound);
  fs::remove(fs::path(dir_) / "index.html");
  auto no_index = ConsoleFiles::Load(dir_);
  EXPECT_EQ(no_index.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(no_index.status().message(), HasSubstr("index.html"));
  Write("index.html", "x");
  Write("tool.exe", "MZ");
  auto bad_type = ConsoleFiles::Load(dir_);
  EXPECT_EQ(bad_type.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_type.status().message(), HasSubstr("tool.exe"));
}

TEST(ConsoleFilesPaths, HandlesTheConsolePrefixOnly) {
  EXPECT_TRUE(ConsoleFiles::Handles("/console"));
  EXPECT_TRUE(ConsoleFiles::Handles("/console/"));
  EXPECT_TRUE(ConsoleFiles::Handles("/console/js/app.js"));
  EXPECT_FALSE(ConsoleFiles::Handles("/consoles"));
  EXPECT_FALSE(ConsoleFiles::Handles("/v1/console"));
}

}  // namespace
}  // namespace metrocap::gateway
