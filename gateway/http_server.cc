#include "gateway/http_server.h"

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/strand.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "gateway/core/http_errors.h"

namespace metrocap::gateway {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

absl::string_view View(boost::beast::string_view s) { return {s.data(), s.size()}; }

std::chrono::steady_clock::duration Chrono(absl::Duration d) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      absl::ToChronoNanoseconds(d));
}

// A connection's strand and socket with their executor's concrete type: beast::tcp_stream's
// type-erased executor copies the strand into a new allocation for most operations it
// starts (perf: about 2 % of the gateway's REST samples).
using Strand = net::strand<net::io_context::executor_type>;
using Socket = net::basic_stream_socket<tcp, Strand>;

// One client connection: read a request, hand it to the handler, write its response, and
// again while the client keeps the connection alive. Owned by the asynchronous operations
// in flight (shared_from_this); every step runs on the connection's strand.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Socket socket, const HttpLimits& limits, const HttpHandler& handler,
             std::shared_ptr<std::atomic<int>> in_flight,
             std::shared_ptr<std::atomic<bool>> draining)
      : stream_(std::move(socket)),
        limits_(limits),
        handler_(handler),
        in_flight_(std::move(in_flight)),
        draining_(std::move(draining)) {}

  void Start() {
    beast::error_code ignored;
    stream_.socket().non_blocking(true, ignored);
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

 private:
  void Read() {
    parser_.emplace();
    parser_->body_limit(limits_.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
    stream_.expires_after(Chrono(limits_.read_timeout));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      return Reject(http::status::payload_too_large,
                    absl::StrCat("the request body exceeds ", limits_.max_body_bytes, " bytes"));
    }
    if (ec == http::error::header_limit) {
      return Reject(http::status::request_header_fields_too_large,
                    "the request headers are too large");
    }
    if (ec) {
      if (buffer_.size() == 0 && !parser_->got_some()) return Close();
      return Reject(http::status::bad_request, "malformed HTTP request");
    }
    // The handler bounds the time to answer (backend deadlines), not the socket.
    stream_.expires_never();
    HttpRequest request = parser_->release();
    keep_alive_ = request.keep_alive();
    version_ = request.version();
    ++*in_flight_;
    auto self = shared_from_this();
    handler_(std::move(request), [self](HttpResponse response) {
      --*self->in_flight_;
      self->Answer(std::move(response));
    });
  }

  // Sends a handler's response from whatever thread answers (usually a gRPC completion
  // thread). Between handing a request over and its answer nothing reads or writes the
  // socket, so the response is written at once from this thread (the socket is
  // non-blocking): the client has it without waiting for an I/O thread to wake. So is the
  // next read started; only a close or the part that did not fit goes to the strand.
  void Answer(HttpResponse response) {
    if (draining_->load()) keep_alive_ = false;
    response.version(version_ ? version_ : 11);
    response.keep_alive(keep_alive_);
    response.prepare_payload();
    wire_.clear();
    absl::string_view reason = View(response.reason());
    if (reason.empty() || reason.front() == '<') reason = "Status";  // e.g. 499
    absl::StrAppend(&wire_, "HTTP/1.1 ", response.result_int(), " ", reason, "\r\n");
    for (const auto& field : response) {
      absl::StrAppend(&wire_, View(field.name_string()), ": ", View(field.value()), "\r\n");
    }
    absl::StrAppend(&wire_, "\r\n", response.body());
    beast::error_code ec;
    size_t written = stream_.socket().write_some(net::buffer(wire_), ec);
    if (ec == net::error::would_block) written = 0, ec = {};
    if (!ec && written == wire_.size() && keep_alive_) {
      // The usual case: all of it went out and the connection stays open. Nothing else runs
      // on this connection now (the finished read cancelled its own timer, whose handler
      // touches nothing when cancelled), so the next read is started from this thread
      // rather than by waking an I/O thread only to start it (perf: that post was a futex
      // wake and a context switch per request). Its completion runs on the strand.
      return Read();
    }
    // The rest (closing, or writing what did not fit) uses the stream and its timers, which
    // belong to the strand.
    net::post(stream_.get_executor(), [self = shared_from_this(), ec, written] {
      if (ec) return self->Close();
      if (written == self->wire_.size()) {
        if (!self->keep_alive_) return self->Close();
        return self->Read();
      }
      self->stream_.expires_after(Chrono(self->limits_.write_timeout));
      net::async_write(self->stream_,
                       net::buffer(self->wire_.data() + written, self->wire_.size() - written),
                       [self](beast::error_code ec, std::size_t) {
                         if (ec || !self->keep_alive_) return self->Close();
                         self->Read();
                       });
    });
  }

  void Reject(http::status status, const std::string& message) {
    grpc::StatusCode code = status == http::status::bad_request
                                ? grpc::StatusCode::INVALID_ARGUMENT
                                : grpc::StatusCode::RESOURCE_EXHAUSTED;
    HttpResponse response{status, 11u};
    response.set(http::field::content_type, "application/json");
    response.body() =
        StatusJson(GatewayError(absl::Status(static_cast<absl::StatusCode>(code), message)));
    keep_alive_ = false;  // The rest of the request is never parsed...
    linger_ = true;       // ...but it is read and discarded after the response.
    Write(std::move(response));
  }

  void Write(HttpResponse response) {
    if (draining_->load()) keep_alive_ = false;
    response.version(version_ ? version_ : 11);
    response.keep_alive(keep_alive_);
    response.prepare_payload();
    response_ = std::make_unique<HttpResponse>(std::move(response));
    stream_.expires_after(Chrono(limits_.write_timeout));
    http::async_write(stream_, *response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->Close();
                        if (self->linger_) return self->Linger();
                        if (!self->keep_alive_) return self->Close();
                        self->Read();
                      });
  }

  // Closing a socket with unread input makes the kernel send a reset, which can destroy the
  // response before the client reads it. So: half-close (the client reads the response and
  // then end-of-stream), then read and discard until the client closes or the bounds run out.
  void Linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    buffer_.consume(buffer_.size());
    stream_.expires_after(Chrono(limits_.linger_time));  // For all the reads below together.
    Discard();
  }

  void Discard() {
    if (lingered_ >= limits_.linger_bytes) return Close();
    stream_.async_read_some(buffer_.prepare(64 << 10),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->lingered_ += n;
                              if (ec) return self->Close();
                              self->Discard();
                            });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::basic_stream<tcp, Strand> stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::unique_ptr<HttpResponse> response_;
  std::string wire_;  // The serialized response being sent by Answer.
  const HttpLimits& limits_;
  const HttpHandler& handler_;
  std::shared_ptr<std::atomic<int>> in_flight_;
  std::shared_ptr<std::atomic<bool>> draining_;
  bool keep_alive_ = true;
  bool linger_ = false;
  size_t lingered_ = 0;
  unsigned version_ = 11;
};

}  // namespace

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& host, int port,
                                                              int threads, HttpLimits limits,
                                                              HttpHandler handler) {
  std::unique_ptr<HttpServer> server(new HttpServer());
  server->limits_ = limits;
  server->handler_ = std::move(handler);
  beast::error_code ec;
  auto address = net::ip::make_address(host, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("bad HTTP listen host '", host, "'"));
  tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  server->acceptor_ = std::make_unique<tcp::acceptor>(net::make_strand(server->io_));
  server->acceptor_->open(endpoint.protocol(), ec);
  if (!ec) server->acceptor_->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) server->acceptor_->bind(endpoint, ec);
  if (!ec) server->acceptor_->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for HTTP on ", host, ":", port, ": ", ec.message()));
  }
  server->port_ = server->acceptor_->local_endpoint().port();
  server->Accept();
  for (int i = 0; i < std::max(1, threads); ++i) {
    server->threads_.emplace_back([io = &server->io_] { io->run(); });
  }
  return server;
}

void HttpServer::Accept() {
  auto socket = std::make_shared<Socket>(net::make_strand(io_));
  acceptor_->async_accept(*socket, [this, socket](beast::error_code ec) {
    if (ec == net::error::operation_aborted || !acceptor_->is_open()) return;
    if (!ec) {
      socket->set_option(tcp::no_delay(true), ec);
      std::make_shared<Connection>(std::move(*socket), limits_, handler_, in_flight_, draining_)
          ->Start();
    }
    Accept();
  });
}

void HttpServer::StartDraining() { draining_->store(true); }

void HttpServer::Shutdown(absl::Duration grace) {
  if (stopped_) return;
  stopped_ = true;
  StartDraining();
  absl::Notification closed;
  net::post(acceptor_->get_executor(), [this, &closed] {
    beast::error_code ignored;
    acceptor_->close(ignored);
    closed.Notify();
  });
  closed.WaitForNotificationWithTimeout(absl::Seconds(5));
  absl::Time until = absl::Now() + grace;
  while (in_flight_->load() > 0 && absl::Now() < until) absl::SleepFor(absl::Milliseconds(10));
  io_.stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

HttpServer::~HttpServer() { Shutdown(absl::ZeroDuration()); }

}  // namespace metrocap::gateway
