#include "common/metrics/listener.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "prometheus/exposer.h"

namespace metrocap::metrics {

absl::StatusOr<std::unique_ptr<MetricsListener>> MetricsListener::Start(
    absl::string_view address,
    const std::vector<std::shared_ptr<prometheus::Collectable>>& sources) {
  std::unique_ptr<prometheus::Exposer> exposer;
  try {
    // civetweb throws when it cannot bind; no exception leaves this function.
    exposer = std::make_unique<prometheus::Exposer>(std::string(address), /*num_threads=*/2);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("METROCAP_METRICS_ADDRESS: cannot listen on ", address, ": ", e.what()));
  }
  std::vector<int> ports = exposer->GetListeningPorts();
  if (ports.empty() || ports.front() <= 0) {
    return absl::UnavailableError(
        absl::StrCat("METROCAP_METRICS_ADDRESS: cannot listen on ", address));
  }
  for (const auto& source : sources) exposer->RegisterCollectable(source);
  return std::unique_ptr<MetricsListener>(new MetricsListener(std::move(exposer), ports.front()));
}

MetricsListener::MetricsListener(std::unique_ptr<prometheus::Exposer> exposer, int port)
    : exposer_(std::move(exposer)), port_(port) {}

MetricsListener::~MetricsListener() = default;

}  // namespace metrocap::metrics
