// The CSV form of count responses (gateway/core/csv.h), on hubs' progress report: the
// header, the total, one row per entry of each count list in order, RFC 4180 quoting.
#include "gateway/core/csv.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "metrocap/hubs/v1/hubs.pb.h"

namespace metrocap::gateway {
namespace {

using hubs::v1::GenerateProgressReportResponse;

TEST(CsvTest, AReportHasOneRowPerEntryOfEachCountList) {
  GenerateProgressReportResponse report;
  report.set_plan("plans/metropolis-sap-2021-2023");
  report.set_activity_count(20);
  auto* line = report.add_action_lines();
  line->set_code("L1");
  line->set_title("Advocacy, \"voice\" and diplomacy");
  auto* deliverable = report.add_deliverables();
  deliverable->set_code("L2A2D7");
  deliverable->set_title("Two\nlines");
  auto* organisation = report.add_organisations();
  organisation->set_organisation("organisations/barcelona");
  organisation->set_display_name("Barcelona, metropolitan area");
  organisation->set_activity_count(6);
  organisation->set_organised_count(2);
  auto* alliance = report.add_alliances();
  alliance->set_name("UCLG");
  alliance->set_activity_count(3);
  auto* format = report.add_formats();
  format->set_format(hubs::v1::Session::MEETING);
  format->set_activity_count(6);
  line->set_activity_count(12);
  report.add_sessions("hubs/metropolis/sessions/retreat");

  auto csv = RenderCountsCsv(report);
  ASSERT_TRUE(csv.has_value());
  EXPECT_EQ(*csv,
            "section,code,title,activityCount\r\n"
            "total,,,20\r\n"
            "actionLines,L1,\"Advocacy, \"\"voice\"\" and diplomacy\",12\r\n"
            "deliverables,L2A2D7,\"Two\nlines\",0\r\n"
            "organisations,organisations/barcelona,\"Barcelona, metropolitan area\",6\r\n"
            "alliances,UCLG,,3\r\n"
            "formats,MEETING,,6\r\n");
}

TEST(CsvTest, AResponseWithoutCountListsIsNotCsv) {
  EXPECT_FALSE(RenderCountsCsv(hubs::v1::Session()).has_value());
}

TEST(CsvTest, AcceptNamesCsvAmongOthersWithParameters) {
  EXPECT_TRUE(AcceptsCsv("text/csv"));
  EXPECT_TRUE(AcceptsCsv("application/json;q=0.5, TEXT/CSV; charset=utf-8"));
  EXPECT_FALSE(AcceptsCsv("application/json"));
  EXPECT_FALSE(AcceptsCsv(""));
  EXPECT_FALSE(AcceptsCsv("text/csvx"));
}

TEST(CsvTest, FieldsAreQuotedOnlyWhenTheyMustBe) {
  EXPECT_EQ(CsvField("plain text"), "plain text");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("cr\rhere"), "\"cr\rhere\"");
}

}  // namespace
}  // namespace metrocap::gateway
