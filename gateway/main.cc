// metrocap-gateway: the REST/JSON and gRPC front door. Reads its configuration from the
// environment (or a KEY=VALUE file named by METROCAP_CONFIG, as every component does) and
// wires the gateway.
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/cache/lookup_cache.h"
#include "common/config/component.h"
#include "common/config/settings.h"
#include "common/log/log.h"
#include "common/server/server.h"
#include "gateway/backends.h"
#include "gateway/core/openapi.h"
#include "gateway/core/route_table.h"
#include "gateway/gateway.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver_util.h"

namespace metrocap::gateway {
// Keeps every linked service proto registered (generated, see service_protos.cc.in).
int LinkServiceProtos();
}  // namespace metrocap::gateway

namespace {

using metrocap::config::Settings;

// Names earlier gateway builds read, with the name that replaced each. Refusing them (rather
// than ignoring them) keeps an old manifest from starting a gateway on the defaults.
constexpr std::pair<const char*, const char*> kRenamedVariables[] = {
    {"METROCAP_HTTP_ADDRESS", "METROCAP_HTTP_LISTEN_ADDRESS"},
    {"METROCAP_CONFIG_FILE", "METROCAP_CONFIG"},
};

absl::Status RefuseRenamedVariables(const std::map<std::string, std::string>& environment,
                                    const Settings& settings) {
  for (const auto& [old_name, new_name] : kRenamedVariables) {
    if (environment.count(old_name) || !settings.String(old_name, "").empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(old_name, " is no longer read: set ", new_name, " instead"));
    }
  }
  return absl::OkStatus();
}

// Where the admin console's files are: METROCAP_CONSOLE_DIR ("off": no console; otherwise
// it must be a directory with an index.html), else the first directory that has one of
// <binary dir>/console (the build tree) and <binary dir>/../share/metrocap/console (an
// installed tree, as in the image); else none.
absl::StatusOr<std::string> ConsoleDir(const Settings& settings) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::string configured = settings.String("METROCAP_CONSOLE_DIR", "");
  if (configured == "off") return std::string();
  if (!configured.empty()) {
    if (!fs::is_regular_file(fs::path(configured) / "index.html", ec)) {
      return absl::InvalidArgumentError(absl::StrCat("METROCAP_CONSOLE_DIR: '", configured,
                                                     "' is not a directory with an index.html"));
    }
    return configured;
  }
  fs::path binary_dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  if (ec) return std::string();
  for (const fs::path& candidate :
       {binary_dir / "console", binary_dir / ".." / "share" / "metrocap" / "console"}) {
    if (fs::is_regular_file(candidate / "index.html", ec)) {
      return fs::weakly_canonical(candidate, ec).string();
    }
  }
  return std::string();
}

// The gateway's settings, and in `cache` those of its cache client (METROCAP_REDIS_URL),
// which it uses only to hear of membership's API key invalidations.
absl::StatusOr<metrocap::gateway::GatewayConfig> LoadConfig(const Settings& settings,
                                                            metrocap::cache::CacheConfig* cache) {
  using metrocap::gateway::GatewayConfig;
  auto component = metrocap::config::LoadComponentConfig(settings, "gateway", 9090);
  if (!component.ok()) return component.status();
  *cache = metrocap::cache::CacheConfigFor(*component);
  metrocap::log::SetAccessLogPolicy(metrocap::server::AccessLogPolicyFrom(*component));
  GatewayConfig config;
  config.grpc_address = component->listen_address;
  config.metrics_address = component->metrics_address;
  auto http = settings.Address("METROCAP_HTTP_LISTEN_ADDRESS", "127.0.0.1:8080");
  if (!http.ok()) return http.status();
  size_t colon = http->rfind(':');
  config.http_host = http->substr(0, colon);
  if (config.http_host.size() > 2 && config.http_host.front() == '[') {
    config.http_host = config.http_host.substr(1, config.http_host.size() - 2);
  }
  if (!absl::SimpleAtoi(http->substr(colon + 1), &config.http_port)) {
    return absl::InvalidArgumentError("METROCAP_HTTP_LISTEN_ADDRESS: bad port");
  }
  auto threads = settings.Int("METROCAP_HTTP_THREADS", 2, 1, 64);
  auto rps = settings.Int("METROCAP_RATE_LIMIT_RPS", 50, 1, 10000000);
  auto burst = settings.Int("METROCAP_RATE_LIMIT_BURST", 100, 1, 10000000);
  auto key_ttl = settings.Int("METROCAP_API_KEY_CACHE_SECONDS", 5, 0, 3600);
  auto timeout = settings.Int("METROCAP_REQUEST_TIMEOUT_SECONDS", 15, 1, 3600);
  auto auth = settings.Bool("METROCAP_GATEWAY_AUTH", true);
  for (const absl::Status& status : {threads.status(), rps.status(), burst.status(),
                                     key_ttl.status(), timeout.status(), auth.status()}) {
    if (!status.ok()) return status;
  }
  config.http_threads = static_cast<int>(*threads);
  config.rate_limit.tokens_per_second = static_cast<double>(*rps);
  config.rate_limit.burst = static_cast<double>(*burst);
  config.api_keys.cache_ttl = absl::Seconds(*key_ttl);
  config.api_keys.internal_credential = component->internal_credential;
  config.api_keys.admin_token = component->admin_token;
  config.admission.require_auth = *auth;
  config.admission.internal_credential = component->internal_credential;
  config.admission.default_timeout = absl::Seconds(*timeout);
  config.shutdown_grace = component->shutdown_grace;
  config.drain_delay = component->drain_delay;
  auto console_dir = ConsoleDir(settings);
  if (!console_dir.ok()) return console_dir.status();
  config.console_dir = *std::move(console_dir);
  if (config.admission.require_auth && component->internal_credential.empty()) {
    return absl::InvalidArgumentError(
        "METROCAP_INTERNAL_CREDENTIAL must be set: services trust the gateway's principal "
        "only with it");
  }
  config.backends = metrocap::gateway::StandardBackends(
      component->membership_address, component->assessment_address, component->roadmaps_address,
      component->hubs_address);
  return config;
}

// `metrocap-gateway --print-openapi`: writes the OpenAPI document this binary serves at
// GET /v1/openapi.json, from the same linked descriptors, indented so that the checked-in
// docs/openapi.json (the `openapi-doc` target) reads well in a diff. Starts nothing.
int PrintOpenApi() {
  using metrocap::gateway::Backends;
  Backends backends(metrocap::gateway::StandardBackends("", "", "", ""));
  auto routes = metrocap::gateway::RouteTable::Build(backends.Services());
  if (!routes.ok()) {
    std::fprintf(stderr, "metrocap-gateway: %s\n", routes.status().ToString().c_str());
    return 1;
  }
  // Keys sorted (deterministic serialization orders map entries; the JSON printer keeps the
  // wire order), so the same protos always print the same bytes.
  google::protobuf::Value document;
  std::string binary;
  std::string json;
  if (!google::protobuf::util::JsonStringToMessage(
           metrocap::gateway::OpenApiDocument(**routes, "metrocap API"), &document)
           .ok()) {
    std::fprintf(stderr, "metrocap-gateway: the OpenAPI document is not valid JSON\n");
    return 1;
  }
  {
    google::protobuf::io::StringOutputStream out(&binary);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    document.SerializeToCodedStream(&coded);
  }
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver(
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          "type.googleapis.com", google::protobuf::DescriptorPool::generated_pool()));
  google::protobuf::util::JsonPrintOptions indented;
  indented.add_whitespace = true;
  if (!google::protobuf::util::BinaryToJsonString(
           resolver.get(), "type.googleapis.com/google.protobuf.Value", binary, &json, indented)
           .ok()) {
    std::fprintf(stderr, "metrocap-gateway: cannot print the OpenAPI document\n");
    return 1;
  }
  std::fputs(json.c_str(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  metrocap::server::PrepareServingProcess();
  metrocap::gateway::LinkServiceProtos();
  if (argc == 2 && std::string(argv[1]) == "--print-openapi") return PrintOpenApi();
  auto environment = Settings::FromEnviron(envp);
  auto file = environment.find("METROCAP_CONFIG");
  auto settings = Settings::Load(file == environment.end() ? "" : file->second, environment);
  if (!settings.ok()) {
    std::fprintf(stderr, "metrocap-gateway: %s\n", settings.status().ToString().c_str());
    return 2;
  }
  absl::Status renamed = RefuseRenamedVariables(environment, *settings);
  if (!renamed.ok()) {
    std::fprintf(stderr, "metrocap-gateway: bad configuration: %s\n",
                 std::string(renamed.message()).c_str());
    return 2;
  }
  metrocap::cache::CacheConfig cache_config;
  auto config = LoadConfig(*settings, &cache_config);
  if (!config.ok()) {
    std::fprintf(stderr, "metrocap-gateway: bad configuration: %s\n",
                 std::string(config.status().message()).c_str());
    return 2;
  }
  // Declared before the gateway, so it outlives it.
  auto shared_cache = metrocap::cache::CacheClient::Create(cache_config);
  if (!shared_cache.ok()) {
    std::fprintf(stderr, "metrocap-gateway: bad configuration: METROCAP_REDIS_URL: %s\n",
                 std::string(shared_cache.status().message()).c_str());
    return 2;
  }
  config->shared_cache = shared_cache->get();
  if (!config->admission.require_auth) {
    metrocap::log::Event("WARNING", "gateway",
                         "METROCAP_GATEWAY_AUTH=false: every caller is admitted as an "
                         "anonymous VIEWER (benchmarks only)");
  }
  auto gateway = metrocap::gateway::Gateway::Start(*std::move(config));
  if (!gateway.ok()) {
    std::fprintf(stderr, "metrocap-gateway: %s\n", gateway.status().ToString().c_str());
    return 1;
  }
  std::string signal = metrocap::server::WaitForTerminationSignal();
  metrocap::log::Event("INFO", "gateway", "shutting down", {{"signal", signal}});
  (*gateway)->Shutdown();
  metrocap::log::Flush();
  return 0;
}
