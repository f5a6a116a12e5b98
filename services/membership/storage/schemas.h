#pragma once

#include <vector>

#include "common/store/schema.h"

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

}  // namespace metrocap::membership
