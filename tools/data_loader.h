#pragma once

#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "tools/api_catalog.h"
#include "tools/data_file.h"
#include "tools/rpc.h"

namespace metrocap::tools {

// What a load did. Loading the same data again reports everything as present and in state.
struct LoadReport {
  int created = 0;
  int present = 0;           // already there before this load
  int brought_to_state = 0;  // resources on which this load made transitions
  int transition_calls = 0;
  int in_state = 0;  // resources with transitions that were already in their intended state
};

// "6 created, 0 already present; 6 brought to their state (11 calls), 0 already in it".
std::string Summary(const LoadReport& report);

// Creates the resources of data files through the public API and brings each to the
// state its file gives it (data/assessment/README.md describes the format).
class DataLoader {
 public:
  // `catalog` and `client` must outlive the loader.
  DataLoader(const ApiCatalog* catalog, RpcClient* client) : catalog_(*catalog), client_(*client) {}

  // Loads the files <dir>/ORDER lists, in order, stopping at the first error: NOT_FOUND
  // for a missing file, INVALID_ARGUMENT for a malformed one, otherwise the server's status
  // for the refused call. Messages name the file and the resource. Writes a line to `log`
  // for every resource it makes transitions on.
  absl::StatusOr<LoadReport> LoadDirectory(const std::string& dir, std::ostream& log);

  // Loads one resource: Get, then Create when NOT_FOUND, then the transitions still to make
  // from the resource's current `state` (PendingTransitions), each a custom method call
  // with the resource's name and etag; the state each call leaves is checked
  // (FAILED_PRECONDITION when it is not the one the data names).
  absl::Status LoadItem(const DataItem& item, LoadReport* report, std::ostream& log);

 private:
  const ApiCatalog& catalog_;
  RpcClient& client_;
};

}  // namespace metrocap::tools
