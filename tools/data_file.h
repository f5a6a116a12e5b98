#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace metrocap::tools {

// One step that brings a loaded resource towards the state its data file gives it: the
// resource's custom method `POST /v1/{name}:<verb>` and the `state` it leaves the resource in.
struct Transition {
  std::string call;          // ":publish"
  std::string state;         // "PUBLISHED"
  std::string request_json;  // extra request fields as a JSON object; empty when none
};

// One element of a data file: the resource to create, in canonical proto3 JSON without the
// loader's own keys, and the transitions to make after creating it, in order.
struct DataItem {
  std::string name;           // the resource's full name
  std::string resource_json;  // the element without "transitions"
  std::string state;          // the element's "state", empty when absent
  std::vector<Transition> transitions;
};

// Parses a data file: a JSON array of objects, each with a string `name` and optionally
// `transitions`, an array of {"call": ":verb", "state": "STATE", "request": {...}}. When an
// element has both `state` and `transitions`, the last transition must reach that state.
// INVALID_ARGUMENT, naming the element, for anything else.
absl::StatusOr<std::vector<DataItem>> ParseDataFile(absl::string_view json);

// The file names listed in an ORDER file: one per line, blank lines and lines starting
// with '#' skipped, surrounding whitespace trimmed.
std::vector<std::string> ParseOrder(absl::string_view text);

// The transitions still to make for a resource now in `current_state`: those after the
// last one that reaches `current_state`, or all of them when none does (the resource is in
// its created state). Empty when the resource is already in its intended state.
std::vector<Transition> PendingTransitions(const std::vector<Transition>& transitions,
                                           absl::string_view current_state);

}  // namespace metrocap::tools
