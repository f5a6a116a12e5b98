#include "services/roadmaps/core/proposals.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/roadmaps/core/fixtures.h"

namespace metrocap::roadmaps {
namespace {

using ::metrocap::testing::StatusIs;
using ::testing::ElementsAre;
using testing::FieldsOf;
using testing::Parse;

const absl::Time kNow = absl::FromUnixSeconds(1750000000);

identity::Caller Partner() {
  identity::Caller caller;
  caller.principal = "partners/milan-team";
  caller.role = membership::v1::Partner::PARTNER;
  caller.grants = {"organisations/milan"};
  return caller;
}

v1::RevisionProposal Open() {
  auto proposal = Parse<v1::RevisionProposal>(R"pb(
    name: "organisations/milan/roadmaps/twin/proposals/p1"
    summary: "Add a Living Lab on heat islands"
    source: "hubs/milan-hub/insights/heat"
    origin { name: "hubs/milan-hub/sessions/living-lab-1" title: "Living Lab on heat" }
    capacities: "experimental"
  )pb");
  proposal.set_state(v1::RevisionProposal::OPEN);
  return proposal;
}

TEST(ProposalTest, ValidProposalFromHubs) { EXPECT_OK(ValidateProposal(Open(), "proposal.")); }

TEST(ProposalTest, SourceAndOriginMustNameHubResources) {
  auto proposal = Open();
  proposal.set_source("hubs/milan-hub/sessions/x");
  proposal.mutable_origin()->set_name("organisations/milan");
  proposal.mutable_origin()->clear_title();
  proposal.clear_summary();
  proposal.add_capacities("Not An Id");
  EXPECT_THAT(FieldsOf(ValidateProposal(proposal, "proposal.")),
              ElementsAre("proposal.summary", "proposal.source", "proposal.origin.name",
                          "proposal.origin.title", "proposal.capacities[1]"));
  proposal = Open();
  proposal.mutable_origin()->set_name("hubs/milan-hub/pilots/cool-roofs");
  EXPECT_OK(ValidateProposal(proposal, ""));
}

TEST(ProposalTest, AcceptRecordsTheRevisionAndWhoDecided) {
  auto proposal = Open();
  ASSERT_OK(Accept(proposal, Partner(), kNow, 7, "adopted"));
  EXPECT_EQ(proposal.state(), v1::RevisionProposal::ACCEPTED);
  EXPECT_EQ(proposal.accepted_revision(), 7);
  EXPECT_EQ(proposal.decided_by(), "partners/milan-team");
  EXPECT_EQ(proposal.decision_note(), "adopted");
  EXPECT_EQ(proposal.decide_time().seconds(), 1750000000);
}

TEST(ProposalTest, DeclineNeedsANote) {
  auto proposal = Open();
  EXPECT_THAT(FieldsOf(Decline(proposal, Partner(), kNow, "")), ElementsAre("note"));
  EXPECT_EQ(proposal.state(), v1::RevisionProposal::OPEN);
  ASSERT_OK(Decline(proposal, Partner(), kNow, "out of scope"));
  EXPECT_EQ(proposal.state(), v1::RevisionProposal::DECLINED);
  EXPECT_EQ(proposal.accepted_revision(), 0);
}

TEST(ProposalTest, ADecidedProposalIsImmutable) {
  auto accepted = Open();
  ASSERT_OK(Accept(accepted, Partner(), kNow, 2, ""));
  const auto before = accepted.SerializeAsString();
  absl::Status again = Accept(accepted, Partner(), kNow, 3, "");
  EXPECT_THAT(again, StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(ReasonOf(again), "PROPOSAL_DECIDED");
  EXPECT_THAT(Decline(accepted, Partner(), kNow, "no"), StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(accepted.SerializeAsString(), before);
}

}  // namespace
}  // namespace metrocap::roadmaps
