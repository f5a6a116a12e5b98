#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "prometheus/collectable.h"

namespace prometheus {
class Exposer;
}

namespace metrocap::metrics {

// The metrics listener: Prometheus text at GET /metrics on an address of its own
// (METROCAP_METRICS_ADDRESS), apart from the API ports, with no credential. Only the scrape
// endpoint is served there; everything else is 404. It is prometheus-cpp's pull Exposer
// (civetweb, two threads of its own).
class MetricsListener {
 public:
  // Binds `address` ("host:port", port 0 for any free port) and serves the `sources`
  // (a prometheus::Registry, or a collector computing its series on each scrape), which
  // must outlive the listener. UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsListener>> Start(
      absl::string_view address,
      const std::vector<std::shared_ptr<prometheus::Collectable>>& sources);
  ~MetricsListener();

  // The port bound (the one chosen for port 0).
  int port() const { return port_; }

 private:
  MetricsListener(std::unique_ptr<prometheus::Exposer> exposer, int port);

  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_;
};

}  // namespace metrocap::metrics
