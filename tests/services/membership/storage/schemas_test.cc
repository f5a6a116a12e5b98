// The membership SQL on a real store (SQLite and PostgreSQL), against the core rules it
// stands for: seats active on a day (core SeatActiveOn, and with SeatVotes the size of the
// board that decides), open applications (core IsOpen) and references.
#include "services/membership/storage/schemas.h"

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/membership/core/applications.h"
#include "services/membership/core/board.h"
#include "tests/services/membership/core/fixtures.h"
#include "tests/support/store_backends.h"

namespace metrocap::membership {
namespace {

using testing::Day;
using ::testing::UnorderedElementsAreArray;
using App = v1::MembershipApplication;

class SchemasTest : public ::testing::TestWithParam<::metrocap::testing::StoreBackend> {
 protected:
  void SetUp() override {
    METROCAP_REQUIRE_STORE_BACKEND(GetParam());
    char pattern[] = "/tmp/metrocap-membership-schemas-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    ASSERT_OK_AND_ASSIGN(store_, GetParam().Open(dir_, "membership"));
    ASSERT_OK(store_->Migrate(MembershipSchemas().All()));
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  template <typename T>
  void InsertAll(const store::ResourceSchema& schema, const std::vector<T>& messages) {
    ASSERT_OK(store_->RunInTransaction([&](store::Transaction& tx) -> absl::Status {
      for (const T& message : messages) {
        absl::StatusOr<store::Record> inserted = tx.Insert(schema, message.name(), message);
        if (!inserted.ok()) return inserted.status();
      }
      return absl::OkStatus();
    }));
  }

  std::unique_ptr<store::Transaction> ReadOnly() {
    auto tx = store_->Begin(store::Store::Access::kReadOnly);
    EXPECT_TRUE(tx.ok()) << tx.status();
    return tx.ok() ? *std::move(tx) : nullptr;
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

// Seats that sit on every kind of boundary: open terms, terms ending on another's start
// (a handover), a one-day term, terms across month and year ends, a seat without a start,
// and every role (the regional secretary does not vote).
std::vector<v1::BoardSeat> BoundarySeats() {
  std::vector<v1::BoardSeat> seats;
  auto add = [&](const std::string& id, v1::BoardSeat::Role role,
                 absl::optional<google::type::Date> start, absl::optional<google::type::Date> end) {
    v1::BoardSeat seat = testing::GoodSeat();
    seat.set_name("boardSeats/" + id);
    seat.set_role(role);
    seat.clear_term_start();
    seat.clear_term_end();
    if (start) *seat.mutable_term_start() = *start;
    if (end) *seat.mutable_term_end() = *end;
    seats.push_back(seat);
  };
  add("outgoing", v1::BoardSeat::PRESIDENCY, Day(2019, 11, 30), Day(2022, 1, 28));
  add("incoming", v1::BoardSeat::PRESIDENCY, Day(2022, 1, 28), absl::nullopt);
  add("co-president", v1::BoardSeat::CO_PRESIDENCY, Day(2021, 12, 31), Day(2022, 10, 1));
  add("vice", v1::BoardSeat::REGIONAL_VICE_PRESIDENCY, Day(2022, 9, 30), Day(2023, 1, 1));
  add("treasurer", v1::BoardSeat::TREASURY, Day(2022, 2, 1), Day(2022, 2, 2));
  add("member", v1::BoardSeat::MEMBER, Day(2020, 2, 29), absl::nullopt);
  add("secretary", v1::BoardSeat::REGIONAL_SECRETARY, Day(2021, 1, 1), absl::nullopt);
  add("old-secretary", v1::BoardSeat::REGIONAL_SECRETARY, Day(2010, 1, 1), Day(2021, 1, 1));
  add("no-start", v1::BoardSeat::MEMBER, absl::nullopt, absl::nullopt);
  add("no-start-with-end", v1::BoardSeat::MEMBER, absl::nullopt, Day(2030, 1, 1));
  return seats;
}

// Every term start and end, the days either side of each, and days far off.
std::vector<google::type::Date> DaysToTry(const std::vector<v1::BoardSeat>& seats) {
  std::vector<google::type::Date> days = {Day(1, 1, 1), Day(999, 12, 31), Day(2000, 1, 1),
                                          Day(9999, 12, 31)};
  auto around = [&](const google::type::Date& day) {
    absl::CivilDay civil(day.year(), day.month(), day.day());
    for (absl::CivilDay d : {civil - 1, civil, civil + 1}) {
      days.push_back(Day(static_cast<int>(d.year()), d.month(), d.day()));
    }
  };
  for (const v1::BoardSeat& seat : seats) {
    if (seat.has_term_start()) around(seat.term_start());
    if (seat.has_term_end()) around(seat.term_end());
  }
  return days;
}

// A count that must succeed; -1 (and a failure) when it does not.
int64_t CountOf(const absl::StatusOr<int64_t>& count) {
  EXPECT_TRUE(count.ok()) << count.status();
  return count.ok() ? *count : -1;
}

std::string Text(const google::type::Date& day) {
  return absl::StrCat(day.year(), "-", day.month(), "-", day.day());
}

TEST_P(SchemasTest, SeatsActiveOnAgreesWithSeatActiveOnOnEveryBoundary) {
  const std::vector<v1::BoardSeat> seats = BoundarySeats();
  InsertAll(MembershipSchemas().board_seats, seats);
  std::unique_ptr<store::Transaction> tx = ReadOnly();
  ASSERT_NE(tx, nullptr);
  for (const google::type::Date& day : DaysToTry(seats)) {
    std::vector<std::string> expected;
    for (const v1::BoardSeat& seat : seats) {
      if (SeatActiveOn(seat, day)) expected.push_back(seat.name());
    }
    ASSERT_OK_AND_ASSIGN(std::vector<v1::BoardSeat> found, ListSeatsActiveOn(*tx, day));
    std::vector<std::string> names;
    for (const v1::BoardSeat& seat : found) names.push_back(seat.name());
    EXPECT_THAT(names, UnorderedElementsAreArray(expected)) << "on " << Text(day);
  }
}

TEST_P(SchemasTest, TheBoardThatDecidesIsTheVotingSeatsActiveOnTheDay) {
  const std::vector<v1::BoardSeat> seats = BoundarySeats();
  InsertAll(MembershipSchemas().board_seats, seats);
  std::unique_ptr<store::Transaction> tx = ReadOnly();
  ASSERT_NE(tx, nullptr);
  for (const google::type::Date& day : DaysToTry(seats)) {
    // Counted over every seat in C++ alone, and over what the indexed query returns.
    ASSERT_OK_AND_ASSIGN(std::vector<v1::BoardSeat> found, ListSeatsActiveOn(*tx, day));
    EXPECT_EQ(CountVotingSeats(found, day), CountVotingSeats(seats, day)) << "on " << Text(day);
  }
  // The handover day: the incoming president, the co-president and the member; not the
  // outgoing president, nor the secretary.
  ASSERT_OK_AND_ASSIGN(std::vector<v1::BoardSeat> handover,
                       ListSeatsActiveOn(*tx, Day(2022, 1, 28)));
  EXPECT_EQ(CountVotingSeats(handover, Day(2022, 1, 28)), 3);
}

TEST_P(SchemasTest, CountOpenApplicationsAgreesWithIsOpen) {
  std::vector<App> applications;
  int expected = 0;
  for (App::State state : {App::SUBMITTED, App::FORM_SIGNED, App::RATIFIED, App::REJECTED,
                           App::WITHDRAWN, App::STATE_UNSPECIFIED}) {
    App application;
    application.set_name("applications/kocaeli-" + absl::AsciiStrToLower(App::State_Name(state)));
    application.set_applicant("organisations/kocaeli");
    application.set_state(state);
    applications.push_back(application);
    if (IsOpen(application)) ++expected;
  }
  App elsewhere = applications[0];
  elsewhere.set_name("applications/milan-2022");
  elsewhere.set_applicant("organisations/milan");
  applications.push_back(elsewhere);
  InsertAll(MembershipSchemas().applications, applications);
  std::unique_ptr<store::Transaction> tx = ReadOnly();
  ASSERT_NE(tx, nullptr);
  EXPECT_EQ(expected, 2);
  EXPECT_EQ(CountOf(CountOpenApplications(*tx, "organisations/kocaeli")), expected);
  EXPECT_EQ(CountOf(CountOpenApplications(*tx, "organisations/milan")), 1);
  EXPECT_EQ(CountOf(CountOpenApplications(*tx, "organisations/none")), 0);
}

TEST_P(SchemasTest, CountReferencesCountsTheIndexedColumn) {
  InsertAll(MembershipSchemas().board_seats, BoundarySeats());
  std::unique_ptr<store::Transaction> tx = ReadOnly();
  ASSERT_NE(tx, nullptr);
  const store::ResourceSchema& seats = MembershipSchemas().board_seats;
  EXPECT_EQ(CountOf(CountReferences(*tx, seats, "region", "regions/europe")), 10);
  EXPECT_EQ(CountOf(CountReferences(*tx, seats, "organisation", "organisations/barcelona")), 10);
  EXPECT_EQ(CountOf(CountReferences(*tx, seats, "region", "regions/africa")), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, SchemasTest,
                         ::testing::ValuesIn(::metrocap::testing::AllStoreBackends()),
                         ::metrocap::testing::StoreBackendName);

}  // namespace
}  // namespace metrocap::membership
