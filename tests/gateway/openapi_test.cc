#include "gateway/core/openapi.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

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
  auto table = BuildProbeRouteTable();
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

// google.api.field_behavior: OUTPUT_ONLY is readOnly (a $ref wrapped in allOf, which cannot
// carry siblings), REQUIRED is in the schema's `required`; IDENTIFIER (`name`) is neither.
TEST(OpenApiTest, MarksOutputOnlyFieldsReadOnlyAndRequiredFieldsRequired) {
  google::protobuf::Struct document;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(Document(), &document).ok());
  const auto& schemas = document.fields().at("components").struct_value().fields().at("schemas");
  auto schema = [&](const std::string& name) {
    return schemas.struct_value().fields().at(name).struct_value();
  };
  auto property = [&](const std::string& message, const std::string& field) {
    return schema(message).fields().at("properties").struct_value().fields().at(field);
  };
  auto read_only = [&](const std::string& message, const std::string& field) {
    const google::protobuf::Value value = property(message, field);
    const auto& fields = value.struct_value().fields();
    return fields.count("readOnly") != 0 && fields.at("readOnly").bool_value();
  };
  auto required = [&](const std::string& message) {
    std::vector<std::string> names;
    const google::protobuf::Struct object = schema(message);
    if (object.fields().count("required") == 0) return names;
    for (const auto& v : object.fields().at("required").list_value().values()) {
      names.push_back(v.string_value());
    }
    return names;
  };
  const std::string region = "metrocap.membership.v1.Region";
  const std::string key = "metrocap.membership.v1.ApiKey";
  EXPECT_TRUE(read_only(region, "createTime"));
  EXPECT_TRUE(read_only(key, "secret"));
  EXPECT_TRUE(read_only(key, "state"));
  EXPECT_FALSE(read_only(region, "name"));
  EXPECT_FALSE(read_only(region, "displayName"));
  EXPECT_THAT(required(region), ::testing::ElementsAre("displayName"));
  EXPECT_THAT(required("metrocap.membership.v1.Organisation"),
              ::testing::UnorderedElementsAre("displayName", "kind", "countryCode", "region"));
  // A message field: its $ref moves into allOf so that readOnly is not ignored.
  const google::protobuf::Value decision =
      property("metrocap.membership.v1.MembershipApplication", "decision");
  EXPECT_TRUE(decision.struct_value().fields().count("allOf"));
  EXPECT_TRUE(read_only("metrocap.membership.v1.MembershipApplication", "decision"));
}

// LookupApiKey is the gateway's own call to membership: it has no REST route.
TEST(OpenApiTest, LookupApiKeyHasNoRoute) {
  EXPECT_THAT(Document(), ::testing::Not(HasSubstr("apiKeys:lookup")));
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
