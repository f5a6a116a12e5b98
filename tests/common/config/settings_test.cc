// Raw settings: a KEY=VALUE file overlaid by the environment, and the typed readers that
// refuse a bad value with a message naming it.
#include "common/config/settings.h"

#include <map>
#include <string>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/config/temp_file.h"

namespace metrocap::config {
namespace {

using ::metrocap::config::testing::TempFile;
using ::metrocap::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

// An OK StatusOr holding `expected`.
MATCHER_P(Holds, expected, "is OK and holds " + ::testing::PrintToString(expected)) {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  return *arg == expected;
}

Settings FromEnv(const std::map<std::string, std::string>& env) {
  absl::StatusOr<Settings> settings = Settings::Load("", env);
  EXPECT_OK(settings);
  return settings.ok() ? *settings : Settings();
}

TEST(SettingsLoadTest, ReadsFileSkippingCommentsAndBlankLines) {
  TempFile file(
      "# metrocap settings\n"
      "\n"
      "METROCAP_DATA_DIR = /srv/metrocap  \n"
      "   # indented comment\n"
      "METROCAP_DATABASE_URL=postgres://db/metrocap?sslmode=disable&x=1\n");
  ASSERT_OK_AND_ASSIGN(Settings settings, Settings::Load(file.path(), {}));
  EXPECT_EQ(settings.String("METROCAP_DATA_DIR", "./var"), "/srv/metrocap");
  // Only the first '=' separates key and value.
  EXPECT_EQ(settings.String("METROCAP_DATABASE_URL", ""),
            "postgres://db/metrocap?sslmode=disable&x=1");
  EXPECT_EQ(settings.String("METROCAP_MISSING", "fallback"), "fallback");
}

TEST(SettingsLoadTest, EnvironmentWinsOverFile) {
  TempFile file("METROCAP_DATA_DIR=/from/file\nMETROCAP_ADMIN_TOKEN=file-token-0123456789\n");
  ASSERT_OK_AND_ASSIGN(Settings settings,
                       Settings::Load(file.path(), {{"METROCAP_DATA_DIR", "/from/env"},
                                                    {"METROCAP_REFLECTION", "false"}}));
  EXPECT_EQ(settings.String("METROCAP_DATA_DIR", ""), "/from/env");
  EXPECT_EQ(settings.String("METROCAP_ADMIN_TOKEN", ""), "file-token-0123456789");
  EXPECT_EQ(settings.String("METROCAP_REFLECTION", ""), "false");
}

TEST(SettingsLoadTest, MalformedLineNamesFileAndLine) {
  TempFile file("METROCAP_DATA_DIR=/x\n# fine\nTHIS LINE HAS NO EQUALS SIGN\n");
  EXPECT_THAT(Settings::Load(file.path(), {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr(file.path()), HasSubstr("line 3"))));
}

TEST(SettingsLoadTest, LineWithEmptyKeyIsMalformed) {
  TempFile file("=value\n");
  EXPECT_THAT(Settings::Load(file.path(), {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 1")));
}

TEST(SettingsLoadTest, MissingFileIsNotFoundNamingIt) {
  TempFile file("");
  std::string missing = file.dir() + "/does-not-exist.env";
  EXPECT_THAT(Settings::Load(missing, {}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(missing)));
}

TEST(SettingsLoadTest, NoFileMeansEnvironmentOnly) {
  Settings settings = FromEnv({{"METROCAP_DATA_DIR", "/env"}});
  EXPECT_EQ(settings.String("METROCAP_DATA_DIR", ""), "/env");
}

TEST(SettingsFromEnvironTest, KeepsOnlyMetrocapVariables) {
  char home[] = "HOME=/root";
  char dir[] = "METROCAP_DATA_DIR=/data";
  char url[] = "METROCAP_DATABASE_URL=sqlite:/x=y.db";
  char broken[] = "METROCAP_NO_EQUALS";
  char* envp[] = {home, dir, url, broken, nullptr};
  std::map<std::string, std::string> env = Settings::FromEnviron(envp);
  EXPECT_EQ(env, (std::map<std::string, std::string>{{"METROCAP_DATA_DIR", "/data"},
                                                     {"METROCAP_DATABASE_URL", "sqlite:/x=y.db"}}));
  EXPECT_TRUE(Settings::FromEnviron(nullptr).empty());
}

TEST(SettingsIntTest, FallbackInRangeAndBounds) {
  Settings settings = FromEnv({{"N", "42"},
                               {"LOW", "1"},
                               {"HIGH", "4097"},
                               {"WORD", "many"},
                               {"EMPTY", ""},
                               {"NEG", "-3"}});
  EXPECT_THAT(settings.Int("ABSENT", 7, 0, 10), Holds(7));
  EXPECT_THAT(settings.Int("N", 0, 0, 100), Holds(42));
  EXPECT_THAT(settings.Int("N", 0, 42, 42), Holds(42));
  EXPECT_THAT(settings.Int("NEG", 0, -5, 5), Holds(-3));
  EXPECT_THAT(settings.Int("LOW", 0, 2, 4096),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("LOW"), HasSubstr("from 2 to 4096"))));
  EXPECT_THAT(settings.Int("HIGH", 0, 2, 4096),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("HIGH=\"4097\"")));
  EXPECT_THAT(settings.Int("WORD", 0, 0, 10),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("WORD")));
  EXPECT_THAT(settings.Int("EMPTY", 0, 0, 10),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("EMPTY")));
}

TEST(SettingsBoolTest, AcceptsTheDocumentedSpellings) {
  Settings settings = FromEnv({{"A", "true"},
                               {"B", "FALSE"},
                               {"C", "1"},
                               {"D", "0"},
                               {"E", "Yes"},
                               {"F", "no"},
                               {"G", "maybe"},
                               {"H", ""}});
  EXPECT_THAT(settings.Bool("A", false), Holds(true));
  EXPECT_THAT(settings.Bool("B", true), Holds(false));
  EXPECT_THAT(settings.Bool("C", false), Holds(true));
  EXPECT_THAT(settings.Bool("D", true), Holds(false));
  EXPECT_THAT(settings.Bool("E", false), Holds(true));
  EXPECT_THAT(settings.Bool("F", true), Holds(false));
  EXPECT_THAT(settings.Bool("ABSENT", true), Holds(true));
  EXPECT_THAT(settings.Bool("G", false),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("G=\"maybe\""), HasSubstr("true or false"))));
  EXPECT_THAT(settings.Bool("H", false), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(SettingsAddressTest, HostPortWithPortInRange) {
  Settings settings = FromEnv({{"OK", "localhost:8080"},
                               {"ZERO", "127.0.0.1:0"},
                               {"TOP", "0.0.0.0:65535"},
                               {"V6", "[::1]:50051"},
                               {"NOPORT", "localhost"},
                               {"NOHOST", ":80"},
                               {"BIG", "h:65536"},
                               {"NEG", "h:-1"},
                               {"WORD", "h:http"},
                               {"EMPTYPORT", "h:"}});
  EXPECT_THAT(settings.Address("OK", ""), Holds(std::string("localhost:8080")));
  EXPECT_THAT(settings.Address("ZERO", ""), Holds(std::string("127.0.0.1:0")));
  EXPECT_THAT(settings.Address("TOP", ""), Holds(std::string("0.0.0.0:65535")));
  EXPECT_THAT(settings.Address("V6", ""), Holds(std::string("[::1]:50051")));
  EXPECT_THAT(settings.Address("ABSENT", "127.0.0.1:50051"), Holds(std::string("127.0.0.1:50051")));
  for (const char* key : {"NOPORT", "NOHOST", "BIG", "NEG", "WORD", "EMPTYPORT"}) {
    EXPECT_THAT(settings.Address(key, ""),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AllOf(HasSubstr(std::string(key) + "=\""), HasSubstr("host:port"))))
        << key;
  }
}

}  // namespace
}  // namespace metrocap::config
