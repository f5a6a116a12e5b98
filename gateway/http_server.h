#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/http/message.hpp"
#include "boost/beast/http/string_body.hpp"

namespace metrocap::gateway {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;
// Sends the response to one request. Call exactly once, from any thread.
using Respond = std::function<void(HttpResponse)>;
using HttpHandler = std::function<void(HttpRequest&&, Respond)>;

struct HttpLimits {
  size_t max_body_bytes = 1 << 20;     // Larger bodies: 413.
  size_t max_header_bytes = 16 << 10;  // Larger request line + headers: 431.
  // Time allowed to receive one whole request, counted from the end of the previous
  // response (so it is also the keep-alive idle timeout): a client that trickles bytes
  // (slowloris) is disconnected when it runs out.
  absl::Duration read_timeout = absl::Seconds(30);
  absl::Duration write_timeout = absl::Seconds(30);
  // After an error answered before the request was read whole (413, 431, 400), what the
  // client still sends is read and discarded, for at most this long and this many bytes,
  // before the connection closes (nginx's "lingering close"). A client that writes its whole
  // body before reading (Python's http.client, urllib) then sees the response instead of a
  // broken pipe or a reset.
  absl::Duration linger_time = absl::Seconds(5);
  size_t linger_bytes = 16 << 20;
};

// An asynchronous HTTP/1.1 server on Boost.Beast: a fixed pool of threads runs every
// connection (no thread per connection or per request); keep-alive; the handler answers
// whenever it likes through Respond.
class HttpServer {
 public:
  // Binds `host`:`port` (port 0: any free port) and starts `threads` threads.
  // UNAVAILABLE when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const std::string& host, int port,
                                                           int threads, HttpLimits limits,
                                                           HttpHandler handler);
  ~HttpServer();

  int port() const { return port_; }
  // From now on every response carries `Connection: close` and its connection is closed
  // once it is written, so keep-alive clients reconnect (to another replica, once the
  // endpoints have been updated). Requests are still accepted and answered. Idempotent.
  void StartDraining();
  // Drains if not yet draining, stops accepting, lets requests in progress answer for up to
  // `grace`, then closes every connection and joins the threads. Idempotent.
  void Shutdown(absl::Duration grace);

  // Requests received and not yet answered (the drain waits for these).
  int in_flight() const { return in_flight_->load(); }

 private:
  HttpServer() = default;
  void Accept();

  boost::asio::io_context io_{};
  std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor_;
  std::vector<std::thread> threads_;
  HttpLimits limits_;
  HttpHandler handler_;
  std::shared_ptr<std::atomic<int>> in_flight_ = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<std::atomic<bool>> draining_ = std::make_shared<std::atomic<bool>>(false);
  int port_ = 0;
  bool stopped_ = false;
};

}  // namespace metrocap::gateway
