#include "gateway/core/openapi.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/gateway/probe_services.h"
#include "tests/support/temp_dir.h"

namespace metrocap::gateway {
namespace {

using ::testing::HasSubstr;

std::string Document() {
  auto table = RouteTable::Build({Service("metrocap.gatewaytest.v1.ProbeService"),
                                  Service("metrocap.membership.v1.MembershipService")});
  EXPECT_TRUE(table.ok());
  return OpenApiDocument(**table, "metrocap API");
}

TEST(OpenApiTest, DescribesEveryRoute) {
  std::string json = Document();
  google::protobuf::Struct document;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &document).ok());
  const auto& paths = document.fields().at("paths").struct_value().fields();
  EXPECT_TRUE(paths.count("/v1/organisations/{organisation}"));
  EXPECT_TRUE(paths.count("/v1/partners/{partner}/apiKeys"));
  EXPECT_TRUE(paths.count("/v1/partners/{partner}/apiKeys/{apiKey}:revoke"));
  EXPECT_TRUE(paths.count("/v1/applications/{application}:ratify"));
  EXPECT_TRUE(paths.count("/v1/{shelfId}:count"));
  const auto& org = paths.at("/v1/organisations/{organisation}").struct_value().fields();
  EXPECT_TRUE(org.count("get") && org.count("patch") && org.count("delete"));
  EXPECT_THAT(json, HasSubstr(R"("name":"updateMask")"));
  EXPECT_THAT(json, HasSubstr(R"("metrocap.membership.v1.Organisation")"));
}

// Validates the document with a real OpenAPI validator from the npm registry
// (@apidevtools/swagger-cli, pinned by tests/gateway/package-lock.json).
TEST(OpenApiTest, ValidatesWithSwaggerCli) {
  if (std::system("command -v npm >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "npm is not installed";
  }
  namespace fs = std::filesystem;
  metrocap::testing::TempDir temp("gateway-openapi");
  ASSERT_TRUE(temp.status().ok()) << temp.status();
  fs::path dir = temp.path();
  for (const char* file : {"package.json", "package-lock.json"}) {
    fs::copy_file(fs::path(METROCAP_GATEWAY_TEST_DIR) / file, dir / file,
                  fs::copy_options::overwrite_existing);
  }
  std::ofstream(dir / "openapi.json") << Document();
  std::string install = absl::StrCat("cd '", dir.string(),
                                     "' && npm ci --ignore-scripts --no-audit --no-fund "
                                     "--loglevel=error >npm.log 2>&1");
  ASSERT_EQ(std::system(install.c_str()), 0) << "npm ci failed; see " << dir / "npm.log";
  std::string validate =
      absl::StrCat("cd '", dir.string(),
                   "' && node node_modules/@apidevtools/swagger-cli/bin/swagger-cli.js validate "
                   "openapi.json >validate.log 2>&1");
  int rc = std::system(validate.c_str());
  std::ifstream log(dir / "validate.log");
  std::string output((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_EQ(rc, 0) << output;
  EXPECT_THAT(output, HasSubstr("is valid"));
}

}  // namespace
}  // namespace metrocap::gateway
