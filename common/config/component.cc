#include "common/config/component.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/status_macros.h"

namespace metrocap::config {

absl::StatusOr<ComponentConfig> LoadComponentConfig(const Settings& settings,
                                                    absl::string_view component, int default_port) {
  ComponentConfig c;
  c.component = std::string(component);
  ASSIGN_OR_RETURN(c.listen_address, settings.Address("METROCAP_LISTEN_ADDRESS",
                                                      absl::StrCat("127.0.0.1:", default_port)));
  if (settings.String("METROCAP_METRICS_ADDRESS", "") != "off") {
    ASSIGN_OR_RETURN(c.metrics_address,
                     settings.Address("METROCAP_METRICS_ADDRESS", "127.0.0.1:0"));
  }
  c.data_dir = settings.String("METROCAP_DATA_DIR", "./var");
  if (c.data_dir.empty()) return absl::InvalidArgumentError("METROCAP_DATA_DIR must not be empty");
  c.database_url = settings.String("METROCAP_DATABASE_URL", "");
  if (!c.database_url.empty() && !absl::StartsWith(c.database_url, "postgres://") &&
      !absl::StartsWith(c.database_url, "postgresql://") &&
      !absl::StartsWith(c.database_url, "sqlite:")) {
    return absl::InvalidArgumentError(
        "METROCAP_DATABASE_URL must start with postgres://, postgresql:// or sqlite:");
  }
  c.redis_url = settings.String("METROCAP_REDIS_URL", "");
  if (!c.redis_url.empty() && !absl::StartsWith(c.redis_url, "redis://")) {
    return absl::InvalidArgumentError("METROCAP_REDIS_URL must start with redis://");
  }
  c.internal_credential = settings.String("METROCAP_INTERNAL_CREDENTIAL", "");
  if (!c.internal_credential.empty() && c.internal_credential.size() < 16) {
    return absl::InvalidArgumentError(
        "METROCAP_INTERNAL_CREDENTIAL must be at least 16 characters");
  }
  c.admin_token = settings.String("METROCAP_ADMIN_TOKEN", "");
  if (!c.admin_token.empty() && c.admin_token.size() < 16) {
    return absl::InvalidArgumentError("METROCAP_ADMIN_TOKEN must be at least 16 characters");
  }
  ASSIGN_OR_RETURN(c.reflection, settings.Bool("METROCAP_REFLECTION", true));
  ASSIGN_OR_RETURN(int64_t threads, settings.Int("METROCAP_MAX_THREADS", 64, 2, 4096));
  c.max_threads = static_cast<int>(threads);
  ASSIGN_OR_RETURN(int64_t grace, settings.Int("METROCAP_SHUTDOWN_GRACE_SECONDS", 20, 0, 3600));
  c.shutdown_grace = absl::Seconds(grace);
  ASSIGN_OR_RETURN(int64_t drain, settings.Int("METROCAP_DRAIN_DELAY_SECONDS",
                                               std::min<int64_t>(5, grace), 0, 3600));
  if (drain > grace) {
    return absl::InvalidArgumentError(
        "METROCAP_DRAIN_DELAY_SECONDS must not exceed METROCAP_SHUTDOWN_GRACE_SECONDS: the "
        "drain delay is the first part of the grace period");
  }
  c.drain_delay = absl::Seconds(drain);
  ASSIGN_OR_RETURN(int64_t max_bytes,
                   settings.Int("METROCAP_MAX_MESSAGE_BYTES", 4 << 20, 1024, 64 << 20));
  c.max_message_bytes = static_cast<int>(max_bytes);
  ASSIGN_OR_RETURN(int64_t sample, settings.Int("METROCAP_ACCESS_LOG_SAMPLE", 1, 1, 1000000));
  c.access_log_sample = static_cast<int>(sample);
  ASSIGN_OR_RETURN(int64_t slow_ms, settings.Int("METROCAP_SLOW_CALL_MS", 1000, 1, 3600000));
  c.slow_call = absl::Milliseconds(slow_ms);
  ASSIGN_OR_RETURN(c.membership_address,
                   settings.Address("METROCAP_MEMBERSHIP_ADDRESS", "127.0.0.1:50051"));
  ASSIGN_OR_RETURN(c.assessment_address,
                   settings.Address("METROCAP_ASSESSMENT_ADDRESS", "127.0.0.1:50052"));
  ASSIGN_OR_RETURN(c.roadmaps_address,
                   settings.Address("METROCAP_ROADMAPS_ADDRESS", "127.0.0.1:50053"));
  ASSIGN_OR_RETURN(c.hubs_address, settings.Address("METROCAP_HUBS_ADDRESS", "127.0.0.1:50054"));
  return c;
}

std::string SqlitePathFor(const ComponentConfig& config) {
  if (absl::StartsWith(config.database_url, "sqlite:")) {
    return config.database_url.substr(std::string("sqlite:").size());
  }
  return absl::StrCat(config.data_dir, "/", config.component, ".db");
}

}  // namespace metrocap::config
