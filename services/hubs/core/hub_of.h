#pragma once

#include "absl/strings/string_view.h"

namespace metrocap::hubs {

// The hub of a hub's child resource: "hubs/h/sessions/s" -> "hubs/h". The name must have
// been checked to be of that shape.
inline absl::string_view HubOf(absl::string_view name) {
  return name.substr(0, name.find('/', name.find('/') + 1));
}

}  // namespace metrocap::hubs
