#include "services/hubs/core/session_rules.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "tests/services/hubs/core/fixtures.h"

namespace metrocap::hubs {
namespace {

using google::protobuf::util::TimeUtil;
using ::metrocap::testing::IsOk;
using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

google::protobuf::Timestamp At(const char* rfc3339) {
  google::protobuf::Timestamp time;
  EXPECT_TRUE(TimeUtil::FromString(rfc3339, &time)) << rfc3339;
  return time;
}

// The Metropolis webinar of 17 February 2022 as the demo data records it.
v1::Session AfricaWebinar() {
  v1::Session session;
  session.set_name("hubs/metropolis-secretariat/sessions/metropolitan-governance-in-africa");
  session.set_title("The metropolitan governance in Africa. Peer learning from local experiences");
  session.set_format(v1::Session::WEBINAR);
  session.set_mode(v1::Session::ONLINE);
  *session.mutable_start_time() = At("2022-02-17T00:00:00Z");
  for (const char* member : {"rabat", "tunis", "cairo"})
    session.add_participants(std::string("organisations/") + member);
  session.add_organisers("organisations/metropolis");
  session.add_alliances("UCLG Africa");
  session.set_plan("plans/metropolis-sap-2021-2023");
  session.add_outcome_codes("L1A3D1");
  session.add_challenge_codes("1.1");
  session.add_challenge_codes("1.4");
  session.add_capacities("relational");
  return session;
}

TEST(ValidateSessionTest, AcceptsAWellFormedSession) {
  EXPECT_THAT(ValidateSession(AfricaWebinar(), "session"), IsOk());
}

TEST(ValidateSessionTest, TitleAndFormatAreRequired) {
  v1::Session session = AfricaWebinar();
  session.clear_title();
  session.clear_format();
  absl::Status status = ValidateSession(session, "session");
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(BadFields(status), UnorderedElementsAre("session.title", "session.format"));
}

TEST(ValidateSessionTest, UnknownEnumValuesAreRefused) {
  v1::Session session = AfricaWebinar();
  session.set_format(static_cast<v1::Session::Format>(42));
  session.set_mode(static_cast<v1::Session::Mode>(42));
  EXPECT_THAT(BadFields(ValidateSession(session, "session")),
              UnorderedElementsAre("session.format", "session.mode"));
}

TEST(ValidateSessionTest, TimesMustBeInOrder) {
  v1::Session session = AfricaWebinar();
  *session.mutable_end_time() = At("2022-02-16T23:59:59Z");
  absl::Status status = ValidateSession(session, "session");
  EXPECT_THAT(BadFields(status), ElementsAre("session.endTime"));
  EXPECT_THAT(status.message(), HasSubstr("must not be before startTime"));

  *session.mutable_end_time() = session.start_time();  // zero length: a publication
  EXPECT_THAT(ValidateSession(session, "session"), IsOk());
}

TEST(ValidateSessionTest, AnEndNeedsAStartButTheStartIsOptional) {
  v1::Session session = AfricaWebinar();
  session.clear_start_time();
  EXPECT_THAT(ValidateSession(session, "session"), IsOk());  // date not known
  *session.mutable_end_time() = At("2022-02-17T12:00:00Z");
  EXPECT_THAT(BadFields(ValidateSession(session, "session")), ElementsAre("session.endTime"));
}

TEST(ValidateSessionTest, TimesOutsideTheTimestampRangeAreRefused) {
  v1::Session session = AfricaWebinar();
  session.mutable_start_time()->set_nanos(-1);
  session.mutable_end_time()->set_seconds(253402300800);  // 10000-01-01
  EXPECT_THAT(BadFields(ValidateSession(session, "session")),
              UnorderedElementsAre("session.startTime", "session.endTime"));
}

TEST(ValidateSessionTest, ParticipantsAndOrganisersAreOrganisationNames) {
  v1::Session session = AfricaWebinar();
  session.set_participants(1, "Tunis");
  session.add_participants("organisations/rabat");
  session.set_organisers(0, "partners/metropolis");
  absl::Status status = ValidateSession(session, "session");
  EXPECT_THAT(BadFields(status),
              UnorderedElementsAre("session.participants[1]", "session.participants[3]",
                                   "session.organisers[0]"));
  EXPECT_THAT(status.message(), HasSubstr("repeats session.participants[0]"));
}

TEST(ValidateSessionTest, AlliancesAreNonEmptyAndNotRepeated) {
  v1::Session session = AfricaWebinar();
  session.add_alliances("");
  session.add_alliances("UCLG Africa");
  EXPECT_THAT(BadFields(ValidateSession(session, "session")),
              UnorderedElementsAre("session.alliances[1]", "session.alliances[2]"));
}

TEST(ValidateSessionTest, CodesHaveTheirShapes) {
  v1::Session session = AfricaWebinar();
  session.add_outcome_codes("L1A3");    // an action: fine
  session.add_outcome_codes("L1A3X");   // not a code
  session.add_outcome_codes("L1A3D1");  // repeated
  session.add_challenge_codes("2");     // a theme, not a challenge
  session.add_capacities("Relational");
  EXPECT_THAT(BadFields(ValidateSession(session, "session")),
              UnorderedElementsAre("session.outcomeCodes[2]", "session.outcomeCodes[3]",
                                   "session.challengeCodes[2]", "session.capacities[1]"));
}

TEST(ValidateSessionTest, CodesNeedAPlan) {
  v1::Session session = AfricaWebinar();
  session.clear_plan();
  absl::Status status = ValidateSession(session, "session");
  EXPECT_THAT(BadFields(status), ElementsAre("session.plan"));
  EXPECT_THAT(status.message(), HasSubstr("required with outcomeCodes or challengeCodes"));

  session.set_plan("metropolis-sap");
  EXPECT_THAT(BadFields(ValidateSession(session, "session")), ElementsAre("session.plan"));

  session.clear_plan();
  session.clear_outcome_codes();
  session.clear_challenge_codes();
  EXPECT_THAT(ValidateSession(session, "session"), IsOk());
}

TEST(ValidateSessionTest, LongListsAreRefusedWithoutCheckingEachEntry) {
  v1::Session session = AfricaWebinar();
  for (int i = 0; i <= kMaxCodes; ++i) session.add_outcome_codes("x");
  absl::Status status = ValidateSession(session, "session");
  EXPECT_THAT(BadFields(status), ElementsAre("session.outcomeCodes"));
}

TEST(ValidateSessionTest, PathsFollowThePrefix) {
  v1::Session session = AfricaWebinar();
  session.clear_title();
  EXPECT_THAT(BadFields(ValidateSession(session, "")), ElementsAre("title"));
}

TEST(DeriveSessionFieldsTest, SetsTheHubAndTheOutcomeScope) {
  v1::Session session = AfricaWebinar();
  session.add_outcome_codes("L1A3D3");
  session.add_outcome_scope("stale");
  DeriveSessionFields(session);
  EXPECT_EQ(session.hub(), "hubs/metropolis-secretariat");
  EXPECT_THAT(session.outcome_scope(), ElementsAre("L1", "L1A3", "L1A3D1", "L1A3D3"));
}

}  // namespace
}  // namespace metrocap::hubs
