#include "tests/support/fake_llm_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace gavel::test {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;
using std::chrono::milliseconds;
using Request = http::request<http::string_body>;
using namespace net::experimental::awaitable_operators;

struct FakeLlmServer::Impl {
  net::io_context io;
  tcp::acceptor acceptor{io};
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::deque<FakeReply> queue;
  std::optional<FakeReply> fallback;
  std::vector<FakeRequest> log;
  std::size_t disconnects = 0;
  std::function<void(const FakeRequest&)> callback;
  std::thread thread;

  net::awaitable<void> accept_loop();
  net::awaitable<void> session(tcp::socket socket);
  net::awaitable<bool> serve(tcp::socket& socket, const Request& req, const FakeRequest& request);
  net::awaitable<bool> send(tcp::socket& socket, const Request& req, const FakeRendered& out,
                            const FakeReply& reply);
  net::awaitable<bool> hold(tcp::socket& socket, milliseconds duration);
  void record(const FakeRequest& request);
  FakeReply take(FakeEndpoint endpoint, const std::string& path);
};

namespace {

net::awaitable<bool> write_simple(tcp::socket& socket, const Request& req, http::status status,
                                  std::string body, const char* content_type) {
  http::response<http::string_body> res{status, req.version()};
  res.set(http::field::content_type, content_type);
  res.keep_alive(req.keep_alive());
  if (req.method() != http::verb::head) res.body() = std::move(body);
  res.prepare_payload();
  const auto [ec, n] = co_await http::async_write(socket, res, net::as_tuple(net::use_awaitable));
  co_return !ec;
}

FakeRequest to_record(const Request& req) {
  FakeRequest request;
  request.method = std::string(req.method_string());
  request.target = std::string(req.target());
  request.path = request.target.substr(0, request.target.find('?'));
  request.endpoint = endpoint_for_path(request.path);
  for (const auto& field : req) {
    request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = req.body();
  return request;
}

}  // namespace

net::awaitable<void> FakeLlmServer::Impl::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(net::as_tuple(net::use_awaitable));
    if (ec) co_return;
    net::co_spawn(io, session(std::move(socket)), net::detached);
  }
}

net::awaitable<void> FakeLlmServer::Impl::session(tcp::socket socket) {
  boost::beast::flat_buffer buffer;
  try {
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(std::uint64_t{1} << 30);
      const auto [ec, n] =
          co_await http::async_read(socket, buffer, parser, net::as_tuple(net::use_awaitable));
      if (ec) break;
      const Request& req = parser.get();
      const FakeRequest request = to_record(req);
      record(request);
      if (!co_await serve(socket, req, request) || !req.keep_alive()) break;
    }
  } catch (const std::exception&) {
    // A test server: a broken connection just ends the session.
  }
  boost::system::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

net::awaitable<bool> FakeLlmServer::Impl::serve(tcp::socket& socket, const Request& req,
                                                const FakeRequest& request) {
  if (req.method() == http::verb::head) {
    co_return co_await write_simple(socket, req, http::status::ok, "", "text/plain");
  }
  if (request.endpoint == FakeEndpoint::any) {
    if (req.method() == http::verb::get && request.path.ends_with("/models")) {
      co_return co_await write_simple(socket, req, http::status::ok,
                                      R"({"object":"list","data":[]})", "application/json");
    }
    if (req.method() == http::verb::get && request.path == "/") {
      co_return co_await write_simple(socket, req, http::status::ok, "ok", "text/plain");
    }
    co_return co_await write_simple(
        socket, req, http::status::not_found,
        R"({"error":{"message":"fake_llm_server: no such endpoint","type":"not_found"}})",
        "application/json");
  }
  const FakeReply reply = take(request.endpoint, request.path);
  if (reply.delay > milliseconds(0) && !co_await hold(socket, reply.delay)) co_return false;
  if (reply.kind == FakeReplyKind::hang) {
    co_await hold(socket, std::chrono::hours(24));
    co_return false;
  }
  if (reply.kind == FakeReplyKind::drop) co_return false;
  co_return co_await send(socket, req, render_reply(request.endpoint, reply, request.json()),
                          reply);
}

net::awaitable<bool> FakeLlmServer::Impl::send(tcp::socket& socket, const Request& req,
                                               const FakeRendered& out, const FakeReply& reply) {
  const auto status = static_cast<http::status>(out.status);
  const bool plain = out.chunks.size() == 1 && !reply.drop_after_chunks &&
                     reply.chunk_delay == milliseconds(0);
  if (plain) {
    http::response<http::string_body> res{status, req.version()};
    for (const auto& [name, value] : out.headers) res.set(name, value);
    res.keep_alive(req.keep_alive());
    res.body() = out.chunks.front();
    res.prepare_payload();
    const auto [ec, n] = co_await http::async_write(socket, res, net::as_tuple(net::use_awaitable));
    co_return !ec;
  }
  http::response<http::empty_body> res{status, req.version()};
  for (const auto& [name, value] : out.headers) res.set(name, value);
  res.keep_alive(req.keep_alive());
  res.chunked(true);
  http::response_serializer<http::empty_body> serializer{res};
  if (const auto [ec, n] = co_await http::async_write_header(socket, serializer,
                                                             net::as_tuple(net::use_awaitable));
      ec) {
    co_return false;
  }
  for (std::size_t i = 0; i < out.chunks.size(); ++i) {
    if (reply.drop_after_chunks && i == *reply.drop_after_chunks) co_return false;
    if (i > 0 && reply.chunk_delay > milliseconds(0) && !co_await hold(socket, reply.chunk_delay)) {
      co_return false;
    }
    if (out.chunks[i].empty()) continue;  // an empty chunk would end the body
    const auto [ec, n] = co_await net::async_write(
        socket, http::make_chunk(net::buffer(out.chunks[i])), net::as_tuple(net::use_awaitable));
    if (ec) co_return false;
  }
  if (reply.drop_after_chunks) co_return false;  // never a clean end
  const auto [ec, n] =
      co_await net::async_write(socket, http::make_chunk_last(), net::as_tuple(net::use_awaitable));
  co_return !ec;
}

net::awaitable<bool> FakeLlmServer::Impl::hold(tcp::socket& socket, milliseconds duration) {
  net::steady_timer timer(socket.get_executor(), duration);
  char byte = 0;
  const auto which = co_await (timer.async_wait(net::as_tuple(net::use_awaitable)) ||
                               socket.async_read_some(net::buffer(&byte, 1),
                                                      net::as_tuple(net::use_awaitable)));
  if (which.index() == 0) co_return true;
  {
    std::lock_guard lock(mutex);
    ++disconnects;
  }
  changed.notify_all();
  co_return false;
}

void FakeLlmServer::Impl::record(const FakeRequest& request) {
  std::function<void(const FakeRequest&)> notify;
  {
    std::lock_guard lock(mutex);
    log.push_back(request);
    notify = callback;
  }
  changed.notify_all();
  if (notify) notify(request);
}

FakeReply FakeLlmServer::Impl::take(FakeEndpoint endpoint, const std::string& path) {
  std::lock_guard lock(mutex);
  for (auto it = queue.begin(); it != queue.end(); ++it) {
    if (it->endpoint == FakeEndpoint::any || it->endpoint == endpoint) {
      FakeReply reply = std::move(*it);
      queue.erase(it);
      return reply;
    }
  }
  if (fallback) return *fallback;
  return FakeReply::error(500, {},
                          R"({"error":{"message":"fake_llm_server: no scripted reply left for )" +
                              path + R"(","type":"server_error"}})");
}

FakeLlmServer::FakeLlmServer(std::uint16_t port) : m_impl(std::make_unique<Impl>()) {
  tcp::acceptor& acceptor = m_impl->acceptor;
  const tcp::endpoint endpoint(net::ip::make_address_v4("127.0.0.1"), port);
  acceptor.open(endpoint.protocol());
  acceptor.set_option(tcp::acceptor::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen();
  net::co_spawn(m_impl->io, m_impl->accept_loop(), net::detached);
  m_impl->thread = std::thread([impl = m_impl.get()] { impl->io.run(); });
}

FakeLlmServer::~FakeLlmServer() {
  m_impl->io.stop();
  m_impl->thread.join();
}

std::uint16_t FakeLlmServer::port() const { return m_impl->acceptor.local_endpoint().port(); }
std::string FakeLlmServer::origin() const { return "http://127.0.0.1:" + std::to_string(port()); }
std::string FakeLlmServer::openai_base_url() const { return origin() + "/v1"; }
std::string FakeLlmServer::anthropic_base_url() const { return origin(); }

void FakeLlmServer::enqueue(FakeReply reply) {
  std::lock_guard lock(m_impl->mutex);
  m_impl->queue.push_back(std::move(reply));
}

void FakeLlmServer::enqueue(std::vector<FakeReply> replies) {
  for (auto& reply : replies) enqueue(std::move(reply));
}

void FakeLlmServer::set_fallback(std::optional<FakeReply> reply) {
  std::lock_guard lock(m_impl->mutex);
  m_impl->fallback = std::move(reply);
}

std::size_t FakeLlmServer::pending_replies() const {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->queue.size();
}

void FakeLlmServer::on_request(std::function<void(const FakeRequest&)> callback) {
  std::lock_guard lock(m_impl->mutex);
  m_impl->callback = std::move(callback);
}

std::vector<FakeRequest> FakeLlmServer::requests() const {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->log;
}

std::vector<FakeRequest> FakeLlmServer::requests(FakeEndpoint endpoint) const {
  std::vector<FakeRequest> out;
  for (auto& request : requests()) {
    if (request.endpoint == endpoint) out.push_back(std::move(request));
  }
  return out;
}

bool FakeLlmServer::wait_for_requests(std::size_t count, milliseconds timeout) const {
  std::unique_lock lock(m_impl->mutex);
  return m_impl->changed.wait_for(lock, timeout, [&] { return m_impl->log.size() >= count; });
}

std::size_t FakeLlmServer::client_disconnects() const {
  std::lock_guard lock(m_impl->mutex);
  return m_impl->disconnects;
}

bool FakeLlmServer::wait_for_client_disconnects(std::size_t count, milliseconds timeout) const {
  std::unique_lock lock(m_impl->mutex);
  return m_impl->changed.wait_for(lock, timeout, [&] { return m_impl->disconnects >= count; });
}

}  // namespace gavel::test
