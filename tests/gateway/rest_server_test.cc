// The REST side of the gateway against in-process fake backends: transcoding end to end,
// headers, the error table, limits, deadlines, backends down and back.
#include <thread>

#include "absl/strings/str_cat.h"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/read.hpp"
#include "boost/asio/write.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/gateway/harness.h"
#include "tests/support/poll.h"

namespace metrocap::gateway::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

constexpr char kKey[] = "mk_test_admin_key";
const std::vector<std::pair<std::string, std::string>> kAuth = {
    {"Authorization", std::string("Bearer ") + kKey}};

class RestServerTest : public GatewayOverFakesTest {
 protected:
  RestServerTest() : GatewayOverFakesTest(kKey, membership::v1::Partner::ADMIN) {}

  HttpResult Call(const std::string& method, const std::string& target,
                  const std::string& body = "",
                  std::vector<std::pair<std::string, std::string>> headers = kAuth) {
    return Http(gateway_->http_port(), method, target, body, headers);
  }
};

TEST_F(RestServerTest, GetTranscodesAndSetsEtagAndRequestId) {
  HttpResult result = Call("GET", "/v1/shelves/s1");
  EXPECT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.body, R"({"name":"shelves/s1","displayName":"Shelf","etag":"e1"})");
  EXPECT_EQ(result.headers["etag"], "\"e1\"");
  EXPECT_EQ(result.headers["content-type"], "application/json");
  // None was sent: a new random UUID v4.
  EXPECT_THAT(result.headers["x-request-id"],
              MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
}

TEST_F(RestServerTest, QueryParametersAndInt64AsString) {
  HttpResult result =
      Call("GET", "/v1/shelves/s1/things?tags=a&tags=b&minSize=9007199254740993&kind=MAP");
  EXPECT_EQ(result.status, 200) << result.body;
  EXPECT_THAT(result.body, HasSubstr(R"("name":"shelves/s1/things/b","kind":"MAP",)"
                                     R"("size":"9007199254740993")"));
}

TEST_F(RestServerTest, BodyFieldAndTimestamps) {
  HttpResult result = Call("POST", "/v1/shelves/s1/things?thingId=atlas",
                           R"({"displayName":"Atlas","createTime":"2024-01-02T03:04:05Z",)"
                           R"("acquired":{"year":2023,"month":4,"day":5}})");
  EXPECT_EQ(result.status, 200) << result.body;
  EXPECT_THAT(result.body, HasSubstr(R"("name":"shelves/s1/things/atlas")"));
  EXPECT_THAT(result.body, HasSubstr(R"("createTime":"2024-01-02T03:04:05Z")"));
  EXPECT_THAT(result.body, HasSubstr(R"("acquired":{"year":2023,"month":4,"day":5})"));
}

TEST_F(RestServerTest, MultiSegmentPath) {
  HttpResult result = Call("GET", "/v1/files/a/b/c.txt");
  EXPECT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.body, R"({"path":"files/a/b/c.txt","bytes":"9007199254740993"})");
}

TEST_F(RestServerTest, UnknownRouteIs404AndWrongMethod405) {
  HttpResult result = Call("POST", "/v1/nothing", "{}", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(result.status, 404);
  EXPECT_THAT(result.body, HasSubstr(R"("code":5)"));
  result = Call("PUT", "/v1/shelves/s1");
  EXPECT_EQ(result.status, 405);
  EXPECT_EQ(result.headers["allow"], "GET");
}

TEST_F(RestServerTest, MalformedJsonIs400NamingThePosition) {
  HttpResult result = Call("POST", "/v1/shelves/s1/things", R"({"displayName": "x" "kind": 1})");
  EXPECT_EQ(result.status, 400);
  EXPECT_THAT(result.body, HasSubstr("invalid JSON request body"));
  EXPECT_THAT(result.body, HasSubstr("\\u003chere\\u003e"));
  result = Call("POST", "/v1/shelves/s1/things", R"({"colour": "red"})");
  EXPECT_EQ(result.status, 400);
  EXPECT_THAT(result.body, HasSubstr("colour"));
}

TEST_F(RestServerTest, ErrorTableWithDetails) {
  const std::pair<int, int> table[] = {{3, 400},  {5, 404},  {6, 409},  {7, 403},  {9, 400},
                                       {10, 409}, {11, 400}, {12, 501}, {14, 503}, {16, 401},
                                       {8, 429},  {4, 504},  {1, 499},  {13, 500}, {2, 500}};
  for (const auto& [code, http] : table) {
    HttpResult result =
        Call("POST", "/v1/probe:fail", absl::StrCat(R"({"code":)", code, R"(,"message":"m"})"));
    EXPECT_EQ(result.status, http) << "code " << code << ": " << result.body;
    EXPECT_THAT(result.body, HasSubstr(absl::StrCat(R"({"code":)", code, ",")));
    EXPECT_THAT(result.body, HasSubstr("google.rpc.ErrorInfo"));
  }
  HttpResult bad = Call("POST", "/v1/probe:fail",
                        R"({"code":3,"message":"must be ISO 3166","badField":"countryCode"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr(R"("fieldViolations":[{"field":"countryCode")"));
}

TEST_F(RestServerTest, InternalErrorTextDoesNotLeak) {
  HttpResult result =
      Call("POST", "/v1/probe:fail", R"({"code":13,"message":"disk full at /var/lib/x.db"})");
  EXPECT_EQ(result.status, 500);
  EXPECT_THAT(result.body, Not(HasSubstr("/var/lib")));
}

TEST_F(RestServerTest, ForwardsIdentityRequestIdAndTraceparent) {
  const std::string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  auto headers = kAuth;
  headers.emplace_back("X-Request-Id", "req-123");
  headers.emplace_back("traceparent", traceparent);
  headers.emplace_back("X-Metrocap-Principal-Bin", "forged");
  HttpResult result = Call("POST", "/v1/probe:echo", R"({"text":"hi"})", headers);
  EXPECT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.headers["x-request-id"], "req-123");
  EXPECT_THAT(result.body, HasSubstr(R"("x-request-id":"req-123")"));
  EXPECT_THAT(result.body, HasSubstr(traceparent));
  EXPECT_THAT(result.body, HasSubstr(kCredential));
  EXPECT_THAT(result.body, Not(HasSubstr("forged")));
  EXPECT_THAT(result.body, Not(HasSubstr(kKey)));  // The key itself is never forwarded.
}

TEST_F(RestServerTest, AuthenticationFailures) {
  EXPECT_EQ(Call("GET", "/v1/shelves/s1", "", {}).status, 401);
  EXPECT_EQ(Call("GET", "/v1/shelves/s1", "", {{"Authorization", "Bearer nope"}}).status, 401);
  EXPECT_EQ(Call("GET", "/v1/shelves/s1", "", {{"Authorization", "Basic abc"}}).status, 401);
  // The operational endpoints need no key.
  EXPECT_EQ(Call("GET", "/healthz", "", {}).status, 200);
  EXPECT_EQ(Call("GET", "/v1/openapi.json", "", {}).status, 200);
  // Metrics name partners: an ADMIN key is needed.
  EXPECT_EQ(Call("GET", "/metrics", "", {}).status, 401);
  keys_.Add("mk_viewer", "partners/viewer", membership::v1::Partner::VIEWER);
  EXPECT_EQ(Call("GET", "/metrics", "", {{"Authorization", "Bearer mk_viewer"}}).status, 403);
  EXPECT_EQ(Call("GET", "/metrics").status, 200);
}

TEST_F(RestServerTest, RevokedKeyStopsWorkingWithinTheCacheTtl) {
  keys_.Add("mk_short_lived", "partners/p", membership::v1::Partner::VIEWER);
  std::vector<std::pair<std::string, std::string>> auth = {
      {"Authorization", "Bearer mk_short_lived"}};
  EXPECT_EQ(Call("GET", "/v1/shelves/s1", "", auth).status, 200);
  int lookups = keys_.lookups();
  EXPECT_EQ(Call("GET", "/v1/shelves/s1", "", auth).status, 200);
  EXPECT_EQ(keys_.lookups(), lookups);  // Served from the cache.
  keys_.Revoke("mk_short_lived");
  absl::Time revoked = absl::Now();
  while (Call("GET", "/v1/shelves/s1", "", auth).status == 200) {
    ASSERT_LT(absl::Now() - revoked, absl::Seconds(5));
  }
  EXPECT_LT(absl::Now() - revoked, absl::Milliseconds(300) + absl::Seconds(1));
}

TEST_F(RestServerTest, BodyLimitIs413) {
  std::string big = R"({"displayName":")" + std::string((1 << 20) + 10, 'x') + "\"}";
  HttpResult result = Call("POST", "/v1/shelves/s1/things", big);
  EXPECT_EQ(result.status, 413);
  EXPECT_EQ(Call("GET", "/healthz").status, 200);
}

TEST_F(RestServerTest, DeepJsonIs400) {
  std::string deep = R"({"displayName":)" + std::string(100, '[') + std::string(100, ']') + "}";
  HttpResult result = Call("POST", "/v1/shelves/s1/things", deep);
  EXPECT_EQ(result.status, 400);
  EXPECT_THAT(result.body, HasSubstr("deeper than 64"));
}

TEST_F(RestServerTest, OversizedHeadersAre431) {
  auto headers = kAuth;
  headers.emplace_back("X-Padding", std::string(20000, 'p'));
  EXPECT_EQ(Call("GET", "/v1/shelves/s1", "", headers).status, 431);
}

TEST_F(RestServerTest, SlowClientIsDisconnected) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"),
                  static_cast<unsigned short>(gateway_->http_port())});
  std::string partial = "GET /v1/shelves/s1 HTTP/1.1\r\nHost: x\r\nX-Slow: ";
  boost::asio::write(socket, boost::asio::buffer(partial));
  absl::Time start = absl::Now();
  char byte;
  boost::system::error_code ec;
  boost::asio::read(socket, boost::asio::buffer(&byte, 1), ec);  // Blocks until closed.
  EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset)
      << ec.message();
  absl::Duration held = absl::Now() - start;
  EXPECT_GT(held, absl::Seconds(1));
  EXPECT_LT(held, absl::Seconds(6));  // read_timeout is 2 s in tests.
}

TEST_F(RestServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"),
                  static_cast<unsigned short>(gateway_->http_port())});
  for (int i = 0; i < 3; ++i) {
    http::request<http::string_body> request{http::verb::get, "/v1/shelves/s1", 11};
    request.set(http::field::authorization, std::string("Bearer ") + kKey);
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    EXPECT_EQ(response.result_int(), 200);
    EXPECT_TRUE(response.keep_alive());
  }
}

TEST_F(RestServerTest, DeadlineFromHeadersGives504) {
  auto headers = kAuth;
  headers.emplace_back("X-Request-Timeout", "200ms");
  absl::Time start = absl::Now();
  HttpResult result = Call("POST", "/v1/probe:stall", R"({"millis": 3000})", headers);
  EXPECT_EQ(result.status, 504) << result.body;
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  headers = kAuth;
  headers.emplace_back("grpc-timeout", "150m");
  EXPECT_EQ(Call("POST", "/v1/probe:stall", R"({"millis": 3000})", headers).status, 504);
  EXPECT_EQ(Call("POST", "/v1/probe:stall", R"({"millis": 10})").status, 200);
}

TEST_F(RestServerTest, MetricsCountRequestsPerRouteAndStatus) {
  Call("GET", "/v1/shelves/s1");
  Call("GET", "/v1/shelves/missing");
  std::string text = Call("GET", "/metrics").body;
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(metrocap_gateway_requests_total{code="200",protocol="rest",route="GET /v1/{name=shelves/*}"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(metrocap_gateway_errors_total{code="404",protocol="rest",route="GET /v1/{name=shelves/*}"} 1)"));
  EXPECT_THAT(
      text,
      HasSubstr(
          R"(metrocap_gateway_backend_duration_seconds_count{backend="probe",method="GetShelf"} 2)"));
}

TEST_F(RestServerTest, ReadyWhenEveryBackendServes) {
  HttpResult result = Call("GET", "/readyz", "", {});
  EXPECT_EQ(result.status, 200) << result.body;
  EXPECT_THAT(result.body, HasSubstr(R"("probe":"SERVING")"));
}

// A backend that is down answers 503 at once (no hang), and the gateway heals when it is
// back on the same port.
TEST_F(RestServerTest, BackendDownAndBack) {
  FakeProbe probe;
  int port = 0;
  auto probe_server = StartBackend({&probe}, 0, &port);
  ASSERT_NE(probe_server, nullptr);
  GatewayConfig config =
      TestConfig(absl::StrCat("127.0.0.1:", backend_port_), absl::StrCat("127.0.0.1:", port));
  auto gateway = Gateway::Start(config);
  ASSERT_TRUE(gateway.ok());
  auto call = [&] { return Http((*gateway)->http_port(), "GET", "/v1/shelves/s1", "", kAuth); };
  EXPECT_EQ(call().status, 200);

  probe_server->Shutdown();
  probe_server.reset();
  absl::Time start = absl::Now();
  HttpResult down = call();
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  EXPECT_THAT(down.body, Not(HasSubstr("127.0.0.1")));
  EXPECT_EQ(Http((*gateway)->http_port(), "GET", "/readyz").status, 503);

  int again = 0;
  probe_server = StartBackend({&probe}, port, &again);
  ASSERT_EQ(again, port);
  int status = 0;
  EXPECT_TRUE(metrocap::testing::PollUntil(
                  [&]() -> absl::StatusOr<bool> { return (status = call().status) == 200; },
                  absl::Seconds(10), "the backend back")
                  .ok())
      << status;
}

class RateLimitedRestTest : public RestServerTest {
  void Configure(GatewayConfig& config) override { config.rate_limit = {0.5, 5}; }
};

TEST_F(RateLimitedRestTest, BurstThenTooManyRequestsUnderConcurrency) {
  std::atomic<int> ok{0}, limited{0};
  std::atomic<bool> retry_after_seen{true};
  absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        HttpResult result = Call("GET", "/v1/shelves/s1");
        if (result.status == 200) ++ok;
        if (result.status == 429) {
          ++limited;
          if (result.headers["retry-after"].empty()) retry_after_seen = false;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  // The burst of 5, plus what refilled at 0.5/s while the run lasted.
  double refilled = absl::ToDoubleSeconds(absl::Now() - start) * 0.5;
  EXPECT_GE(ok.load(), 5);
  EXPECT_LE(ok.load(), 5 + static_cast<int>(refilled) + 1);
  EXPECT_EQ(ok + limited, 40);
  EXPECT_TRUE(retry_after_seen);
  // (/metrics itself is behind the exhausted bucket now: read the registry directly.)
  EXPECT_THAT(gateway_->metrics().Render(),
              HasSubstr("metrocap_gateway_rate_limited_total{partner=\"partners/tester\"}"));
}

}  // namespace
}  // namespace metrocap::gateway::testing
