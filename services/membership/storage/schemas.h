#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/query/filter.h"
#include "common/store/schema.h"
#include "common/store/store.h"
#include "google/type/date.pb.h"
#include "metrocap/membership/v1/membership.pb.h"

// How the membership resources are kept, and every SQL condition membership runs.
namespace metrocap::membership {

// The membership resources as the store keeps them, with the fields List can filter and
// order by.
struct Schemas {
  store::ResourceSchema regions;
  store::ResourceSchema organisations;
  store::ResourceSchema board_seats;
  store::ResourceSchema applications;
  store::ResourceSchema partners;
  store::ResourceSchema api_keys;

  std::vector<const store::ResourceSchema*> All() const {
    return {&regions, &organisations, &board_seats, &applications, &partners, &api_keys};
  }
};

const Schemas& MembershipSchemas();

// Board seats whose term covers `date`, as a condition over the board_seats table: the SQL
// twin of core SeatActiveOn (tests/services/membership/storage/schemas_test.cc checks they
// agree), for ListBoardSeats' activeOn.
query::Condition SeatsActiveOn(const google::type::Date& date);

// Every board seat active on `date` (SeatsActiveOn), read in `tx`. Boards are small: the
// seats of one day, not the history.
absl::StatusOr<std::vector<v1::BoardSeat>> ListSeatsActiveOn(store::Transaction& tx,
                                                             const google::type::Date& date);

// How many resources of `schema` refer to `name` through the indexed `field`: hold it (the
// organisations whose "region" is regions/europe) or, for a repeated field, contain it
// (the partners whose "grants" include organisations/milan).
absl::StatusOr<int64_t> CountReferences(store::Transaction& tx, const store::ResourceSchema& schema,
                                        absl::string_view field, absl::string_view name);

// How many open applications (core OpenApplicationStates) `applicant` has.
absl::StatusOr<int64_t> CountOpenApplications(store::Transaction& tx, absl::string_view applicant);

// Every API key of `partner`, as stored (with its hash).
absl::StatusOr<std::vector<v1::ApiKey>> ListKeysOf(store::Transaction& tx,
                                                   absl::string_view partner);

// The API keys whose key_prefix is `prefix`, as stored (with their hashes): at most a few,
// since a prefix is 32 random bits.
absl::StatusOr<std::vector<v1::ApiKey>> ListKeysWithPrefix(store::Transaction& tx,
                                                           absl::string_view prefix);

// INVALID_ARGUMENT naming `field` unless `name` exists in `schema`'s table.
absl::Status RequireExists(store::Transaction& tx, const store::ResourceSchema& schema,
                           absl::string_view field, absl::string_view name);

}  // namespace metrocap::membership
