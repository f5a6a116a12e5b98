#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/config/settings.h"

namespace metrocap::config {

// What every metrocap component reads at start-up. Field comments name the variable.
struct ComponentConfig {
  std::string component;       // e.g. "membership"
  std::string listen_address;  // METROCAP_LISTEN_ADDRESS, default 127.0.0.1:<port>
  // METROCAP_METRICS_ADDRESS: the metrics listener (Prometheus /metrics, no credential),
  // default 127.0.0.1:0 (a free loopback port, named in the "serving" log line); "off": none.
  std::string metrics_address;
  std::string data_dir;             // METROCAP_DATA_DIR, default ./var
  std::string database_url;         // METROCAP_DATABASE_URL, default sqlite in data_dir
  std::string redis_url;            // METROCAP_REDIS_URL, default none (in-process cache)
  std::string internal_credential;  // METROCAP_INTERNAL_CREDENTIAL
  std::string admin_token;          // METROCAP_ADMIN_TOKEN
  bool reflection = true;           // METROCAP_REFLECTION
  int max_threads = 64;             // METROCAP_MAX_THREADS
  absl::Duration shutdown_grace = absl::Seconds(20);  // METROCAP_SHUTDOWN_GRACE_SECONDS
  // METROCAP_DRAIN_DELAY_SECONDS: after SIGTERM, how long readiness reads NOT_SERVING while
  // requests are still served, before the listener closes. Part of shutdown_grace.
  absl::Duration drain_delay = absl::Seconds(5);
  int max_message_bytes = 4 << 20;  // METROCAP_MAX_MESSAGE_BYTES
  // The access log (log::AccessLogPolicy): failed calls and calls slower than
  // METROCAP_SLOW_CALL_MS are always logged; of the other calls one in
  // METROCAP_ACCESS_LOG_SAMPLE (1: every call).
  int access_log_sample = 1;
  absl::Duration slow_call = absl::Seconds(1);
  // Peers, host:port: METROCAP_MEMBERSHIP_ADDRESS (127.0.0.1:50051),
  // METROCAP_ASSESSMENT_ADDRESS (:50052), METROCAP_ROADMAPS_ADDRESS (:50053),
  // METROCAP_HUBS_ADDRESS (:50054).
  std::string membership_address;
  std::string assessment_address;
  std::string roadmaps_address;
  std::string hubs_address;
};

// Reads and validates the common settings. INVALID_ARGUMENT naming the variable for a bad
// value (a port out of range, a non-numeric thread count, an unknown URL scheme...).
absl::StatusOr<ComponentConfig> LoadComponentConfig(const Settings& settings,
                                                    absl::string_view component, int default_port);

// The SQLite database file for a component in a data directory.
std::string SqlitePathFor(const ComponentConfig& config);

}  // namespace metrocap::config
