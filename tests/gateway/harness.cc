#include "tests/gateway/harness.h"

#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "common/identity/caller.h"
#include "common/status/errors.h"
#include "common/status/grpc_status.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace metrocap::gateway::testing {

namespace probe = gatewaytest::v1;

grpc::Status FakeProbe::GetShelf(grpc::ServerContext*, const probe::GetShelfRequest* request,
                                 probe::Shelf* shelf) {
  if (request->name() == "shelves/missing") {
    return ToGrpcStatus(absl::NotFoundError("shelf shelves/missing does not exist"));
  }
  shelf->set_name(request->name());
  shelf->set_display_name("Shelf");
  shelf->set_etag("e1");
  return grpc::Status::OK;
}

grpc::Status FakeProbe::ListThings(grpc::ServerContext*, const probe::ListThingsRequest* request,
                                   probe::ListThingsResponse* response) {
  for (const std::string& tag : request->tags()) {
    probe::Thing* thing = response->add_things();
    thing->set_name(request->parent() + "/things/" + tag);
    thing->set_size(request->min_size());
    thing->set_kind(request->kind());
  }
  response->set_next_page_token(request->page_token());
  return grpc::Status::OK;
}

grpc::Status FakeProbe::CreateThing(grpc::ServerContext*, const probe::CreateThingRequest* request,
                                    probe::Thing* thing) {
  *thing = request->thing();
  thing->set_name(request->parent() + "/things/" + request->thing_id());
  thing->set_etag("v1");
  return grpc::Status::OK;
}

grpc::Status FakeProbe::GetFile(grpc::ServerContext*, const probe::GetFileRequest* request,
                                probe::File* file) {
  file->set_path(request->path());
  file->set_bytes(9007199254740993);
  return grpc::Status::OK;
}

grpc::Status FakeProbe::Fail(grpc::ServerContext* context, const probe::FailRequest* request,
                             google::protobuf::Empty*) {
  context->AddTrailingMetadata("x-probe-trailer", "kept");
  absl::Status status(static_cast<absl::StatusCode>(request->code()), request->message());
  if (!request->bad_field().empty())
    status = InvalidField(request->bad_field(), request->message());
  return ToGrpcStatus(status);
}

grpc::Status FakeProbe::Stall(grpc::ServerContext* context, const probe::StallRequest* request,
                              google::protobuf::Empty*) {
  absl::Time until = absl::Now() + absl::Milliseconds(request->millis());
  while (absl::Now() < until && !context->IsCancelled()) absl::SleepFor(absl::Milliseconds(5));
  return grpc::Status::OK;
}

grpc::Status FakeProbe::Echo(grpc::ServerContext* context, const probe::EchoRequest* request,
                             probe::EchoResponse* response) {
  response->set_text(request->text());
  for (const auto& [key, value] : context->client_metadata()) {
    (*response->mutable_metadata())[std::string(key.data(), key.size())] =
        std::string(value.data(), value.size());
  }
  context->AddInitialMetadata("x-probe-initial", "hello");
  return grpc::Status::OK;
}

void FakeKeys::Add(const std::string& secret, const std::string& partner,
                   membership::v1::Partner::Role role) {
  absl::MutexLock lock(&mu_);
  membership::v1::Principal& principal = keys_[secret];
  principal.set_partner(partner);
  principal.set_role(role);
}

void FakeKeys::Revoke(const std::string& secret) {
  absl::MutexLock lock(&mu_);
  keys_.erase(secret);
}

int FakeKeys::lookups() const {
  absl::MutexLock lock(&mu_);
  return lookups_;
}

grpc::Status FakeKeys::LookupApiKey(grpc::ServerContext* context,
                                    const membership::v1::LookupApiKeyRequest* request,
                                    membership::v1::Principal* principal) {
  auto credential = context->client_metadata().find(identity::kCredentialKey);
  if (credential == context->client_metadata().end() ||
      credential->second != grpc::string_ref(kCredential)) {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no internal credential");
  }
  absl::MutexLock lock(&mu_);
  ++lookups_;
  auto it = keys_.find(request->secret());
  if (it == keys_.end()) return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such key");
  *principal = it->second;
  return grpc::Status::OK;
}

std::unique_ptr<grpc::Server> StartBackend(const std::vector<grpc::Service*>& services, int port,
                                           int* bound_port) {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:" + std::to_string(port), grpc::InsecureServerCredentials(),
                           bound_port);
  for (grpc::Service* service : services) builder.RegisterService(service);
  auto server = builder.BuildAndStart();
  if (server != nullptr) server->GetHealthCheckService()->SetServingStatus(true);
  return server;
}

void GatewayOverFakesTest::SetUp() {
  keys_.Add(key_, "partners/tester", role_);
  backend_ = StartBackend({&probe_, &keys_}, 0, &backend_port_);
  ASSERT_NE(backend_, nullptr);
  std::string address = absl::StrCat("127.0.0.1:", backend_port_);
  GatewayConfig config = TestConfig(address, address);
  Configure(config);
  auto gateway = Gateway::Start(config);
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  gateway_ = *std::move(gateway);
}

GatewayConfig TestConfig(const std::string& membership_address, const std::string& probe_address) {
  GatewayConfig config;
  config.grpc_address = "127.0.0.1:0";
  config.http_port = 0;
  config.backends = {
      {"membership", "metrocap.membership.v1.MembershipService", membership_address},
      {"probe", "metrocap.gatewaytest.v1.ProbeService", probe_address},
  };
  config.api_keys.internal_credential = kCredential;
  config.api_keys.cache_ttl = absl::Milliseconds(300);
  config.api_keys.negative_ttl = absl::Milliseconds(100);
  config.admission.internal_credential = kCredential;
  config.admission.default_timeout = absl::Seconds(5);
  config.rate_limit = {1000, 1000};
  config.http_limits.read_timeout = absl::Seconds(2);
  config.shutdown_grace = absl::Seconds(2);
  return config;
}

HttpResult Http(int port, const std::string& method, const std::string& target,
                const std::string& body,
                const std::vector<std::pair<std::string, std::string>>& headers) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  HttpResult result;
  beast::error_code ec;
  stream.connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                                static_cast<unsigned short>(port)),
                 ec);
  if (ec) {
    result.status = -1;
    result.body = ec.message();
    return result;
  }
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  if (!body.empty() || method == "POST" || method == "PATCH") request.prepare_payload();
  stream.expires_after(std::chrono::seconds(30));
  http::write(stream, request, ec);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  http::read(stream, buffer, parser, ec);
  if (ec) {
    result.status = -1;
    result.body = ec.message();
    return result;
  }
  const auto& response = parser.get();
  result.status = response.result_int();
  for (const auto& field : response) {
    result.headers[absl::AsciiStrToLower(std::string(field.name_string()))] =
        std::string(field.value());
  }
  result.body = response.body();
  return result;
}

}  // namespace metrocap::gateway::testing
