// The settings every component reads at start-up: the defaults, and each bad value refused
// with a message naming its variable.
#include "common/config/component.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/common/config/temp_file.h"

namespace metrocap::config {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::HasSubstr;

absl::StatusOr<ComponentConfig> LoadWith(const std::map<std::string, std::string>& env) {
  absl::StatusOr<Settings> settings = Settings::Load("", env);
  if (!settings.ok()) return settings.status();
  return LoadComponentConfig(*settings, "membership", 50051);
}

TEST(ComponentConfigTest, Defaults) {
  ASSERT_OK_AND_ASSIGN(ComponentConfig c, LoadWith({}));
  EXPECT_EQ(c.component, "membership");
  EXPECT_EQ(c.listen_address, "127.0.0.1:50051");
  EXPECT_EQ(c.metrics_address, "127.0.0.1:0");
  EXPECT_EQ(c.data_dir, "./var");
  EXPECT_EQ(c.database_url, "");
  EXPECT_EQ(c.redis_url, "");
  EXPECT_EQ(c.internal_credential, "");
  EXPECT_EQ(c.admin_token, "");
  EXPECT_TRUE(c.reflection);
  EXPECT_EQ(c.max_threads, 64);
  EXPECT_EQ(c.shutdown_grace, absl::Seconds(20));
  EXPECT_EQ(c.drain_delay, absl::Seconds(5));
  EXPECT_EQ(c.max_message_bytes, 4 << 20);
  EXPECT_EQ(c.membership_address, "127.0.0.1:50051");
  EXPECT_EQ(c.assessment_address, "127.0.0.1:50052");
  EXPECT_EQ(c.roadmaps_address, "127.0.0.1:50053");
  EXPECT_EQ(c.hubs_address, "127.0.0.1:50054");
  EXPECT_EQ(SqlitePathFor(c), "./var/membership.db");
}

TEST(ComponentConfigTest, DefaultPortComesFromTheComponent) {
  ASSERT_OK_AND_ASSIGN(Settings settings, Settings::Load("", {}));
  ASSERT_OK_AND_ASSIGN(ComponentConfig c, LoadComponentConfig(settings, "hubs", 50054));
  EXPECT_EQ(c.listen_address, "127.0.0.1:50054");
  EXPECT_EQ(SqlitePathFor(c), "./var/hubs.db");
}

TEST(ComponentConfigTest, EveryVariableIsRead) {
  ASSERT_OK_AND_ASSIGN(ComponentConfig c,
                       LoadWith({{"METROCAP_LISTEN_ADDRESS", "0.0.0.0:6000"},
                                 {"METROCAP_DATA_DIR", "/srv/data"},
                                 {"METROCAP_DATABASE_URL", "postgresql://db/metrocap"},
                                 {"METROCAP_REDIS_URL", "redis://cache:6379"},
                                 {"METROCAP_INTERNAL_CREDENTIAL", "internal-credential-0123"},
                                 {"METROCAP_ADMIN_TOKEN", "admin-token-0123456789"},
                                 {"METROCAP_REFLECTION", "no"},
                                 {"METROCAP_MAX_THREADS", "8"},
                                 {"METROCAP_SHUTDOWN_GRACE_SECONDS", "0"},
                                 {"METROCAP_MAX_MESSAGE_BYTES", "1024"},
                                 {"METROCAP_MEMBERSHIP_ADDRESS", "m:1"},
                                 {"METROCAP_ASSESSMENT_ADDRESS", "a:2"},
                                 {"METROCAP_ROADMAPS_ADDRESS", "r:3"},
                                 {"METROCAP_HUBS_ADDRESS", "h:4"}}));
  EXPECT_EQ(c.listen_address, "0.0.0.0:6000");
  EXPECT_EQ(c.data_dir, "/srv/data");
  EXPECT_EQ(c.database_url, "postgresql://db/metrocap");
  EXPECT_EQ(c.redis_url, "redis://cache:6379");
  EXPECT_EQ(c.internal_credential, "internal-credential-0123");
  EXPECT_EQ(c.admin_token, "admin-token-0123456789");
  EXPECT_FALSE(c.reflection);
  EXPECT_EQ(c.max_threads, 8);
  EXPECT_EQ(c.shutdown_grace, absl::ZeroDuration());
  EXPECT_EQ(c.max_message_bytes, 1024);
  EXPECT_EQ(c.membership_address, "m:1");
  EXPECT_EQ(c.assessment_address, "a:2");
  EXPECT_EQ(c.roadmaps_address, "r:3");
  EXPECT_EQ(c.hubs_address, "h:4");
}

// The drain delay is the first part of the grace period, never longer than it.
TEST(ComponentConfigTest, MetricsListenerAddressOrOff) {
  ASSERT_OK_AND_ASSIGN(ComponentConfig pod,
                       LoadWith({{"METROCAP_METRICS_ADDRESS", "0.0.0.0:9464"}}));
  EXPECT_EQ(pod.metrics_address, "0.0.0.0:9464");
  ASSERT_OK_AND_ASSIGN(ComponentConfig off, LoadWith({{"METROCAP_METRICS_ADDRESS", "off"}}));
  EXPECT_EQ(off.metrics_address, "");
}

TEST(ComponentConfigTest, DrainDelayIsPartOfTheGrace) {
  ASSERT_OK_AND_ASSIGN(ComponentConfig c, LoadWith({{"METROCAP_DRAIN_DELAY_SECONDS", "1"},
                                                    {"METROCAP_SHUTDOWN_GRACE_SECONDS", "5"}}));
  EXPECT_EQ(c.drain_delay, absl::Seconds(1));
  ASSERT_OK_AND_ASSIGN(c, LoadWith({{"METROCAP_SHUTDOWN_GRACE_SECONDS", "2"}}));
  EXPECT_EQ(c.drain_delay, absl::Seconds(2));  // The default, 5 s, shortened to the grace.
  EXPECT_THAT(
      LoadWith({{"METROCAP_DRAIN_DELAY_SECONDS", "6"}, {"METROCAP_SHUTDOWN_GRACE_SECONDS", "5"}}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("METROCAP_DRAIN_DELAY_SECONDS")));
}

TEST(ComponentConfigTest, SqliteUrlNamesTheFile) {
  ASSERT_OK_AND_ASSIGN(ComponentConfig c,
                       LoadWith({{"METROCAP_DATABASE_URL", "sqlite:/tmp/m.db"}}));
  EXPECT_EQ(SqlitePathFor(c), "/tmp/m.db");
  ASSERT_OK_AND_ASSIGN(c, LoadWith({{"METROCAP_DATA_DIR", "/srv/x"}}));
  EXPECT_EQ(SqlitePathFor(c), "/srv/x/membership.db");
}

TEST(ComponentConfigTest, FileAndEnvironmentTogether) {
  testing::TempFile file("METROCAP_MAX_THREADS=16\nMETROCAP_DATA_DIR=/from/file\n");
  ASSERT_OK_AND_ASSIGN(Settings settings,
                       Settings::Load(file.path(), {{"METROCAP_DATA_DIR", "/from/env"}}));
  ASSERT_OK_AND_ASSIGN(ComponentConfig c, LoadComponentConfig(settings, "membership", 50051));
  EXPECT_EQ(c.max_threads, 16);
  EXPECT_EQ(c.data_dir, "/from/env");
}

struct BadValue {
  std::string variable;
  std::string value;
};

class BadVariableTest : public ::testing::TestWithParam<BadValue> {};

TEST_P(BadVariableTest, RefusedWithItsName) {
  EXPECT_THAT(LoadWith({{GetParam().variable, GetParam().value}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(GetParam().variable)));
}

INSTANTIATE_TEST_SUITE_P(
    Config, BadVariableTest,
    ::testing::Values(
        BadValue{"METROCAP_LISTEN_ADDRESS", "no-port"},
        BadValue{"METROCAP_LISTEN_ADDRESS", "127.0.0.1:70000"},
        BadValue{"METROCAP_METRICS_ADDRESS", "9464"}, BadValue{"METROCAP_DATA_DIR", ""},
        BadValue{"METROCAP_DATABASE_URL", "mysql://db/metrocap"},
        BadValue{"METROCAP_REDIS_URL", "http://cache:6379"},
        BadValue{"METROCAP_INTERNAL_CREDENTIAL", "short"},
        BadValue{"METROCAP_ADMIN_TOKEN", "short"}, BadValue{"METROCAP_REFLECTION", "sometimes"},
        BadValue{"METROCAP_MAX_THREADS", "1"}, BadValue{"METROCAP_MAX_THREADS", "lots"},
        BadValue{"METROCAP_MAX_THREADS", "5000"}, BadValue{"METROCAP_SHUTDOWN_GRACE_SECONDS", "-1"},
        BadValue{"METROCAP_SHUTDOWN_GRACE_SECONDS", "3601"},
        BadValue{"METROCAP_MAX_MESSAGE_BYTES", "1023"},
        BadValue{"METROCAP_MAX_MESSAGE_BYTES", "67108865"},
        BadValue{"METROCAP_MEMBERSHIP_ADDRESS", "membership"},
        BadValue{"METROCAP_ASSESSMENT_ADDRESS", "assessment:port"},
        BadValue{"METROCAP_ROADMAPS_ADDRESS", ":50053"},
        BadValue{"METROCAP_HUBS_ADDRESS", "hubs:99999"}),
    [](const ::testing::TestParamInfo<BadValue>& info) {
      return absl::StrCat(info.param.variable.substr(9), "_", info.index);
    });

}  // namespace
}  // namespace metrocap::config
