#include "daemon/control_session.hpp"

#include "daemon/control_dispatch.hpp"
#include "daemon/control_server.hpp"
#include "protocol/codec.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <exception>
#include <utility>

namespace gavel::daemon {

namespace asio = boost::asio;

namespace {

constexpr auto k_nothrow = asio::as_tuple(asio::use_awaitable);

// Completion of a session coroutine: whatever escaped is logged, never rethrown (rule 7).
void log_failure(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("control session: {}", ex.what());
  } catch (...) {
    spdlog::error("control session: unknown exception");
  }
}

}  // namespace

ControlSession::ControlSession(Socket socket, ControlServer& server, CommandHandler& handler,
                               Peer peer, SessionLimits limits)
    : m_socket(std::move(socket)),
      m_wake(m_socket.get_executor()),
      m_server(&server),
      m_handler(handler),
      m_peer(peer),
      m_limits(limits),
      m_framer(limits.max_line_bytes) {
  m_wake.expires_at(asio::steady_timer::time_point::max());
}

void ControlSession::start() {
  asio::co_spawn(
      m_socket.get_executor(), [self = shared_from_this()] { return self->reader(); },
      log_failure);
  spawn_writer();
}

void ControlSession::spawn_writer() {
  asio::co_spawn(
      m_socket.get_executor(), [self = shared_from_this()] { return self->writer(); },
      log_failure);
}

void ControlSession::refuse(std::string line) {
  deliver(std::move(line));
  close_after_flush();
  spawn_writer();
}

void ControlSession::deliver(std::string line) {
  if (m_stopped || m_overloaded) return;
  m_queued_bytes += line.size();
  if (m_queued_bytes > m_limits.max_queued_bytes) {
    // The peer is not reading: drop it rather than grow without bound.
    m_overloaded = true;
    line = protocol::encode_error(
        std::nullopt, {std::string(protocol::codes::overloaded),
                       "the client is not reading fast enough; closing the connection"});
    m_queued_bytes += line.size();
    m_closing = true;
  }
  m_queue.push_back(std::move(line));
  m_wake.cancel();
}

void ControlSession::close_after_flush() {
  m_closing = true;
  m_wake.cancel();
}

void ControlSession::detach() {
  m_server = nullptr;
  close_after_flush();
}

void ControlSession::stop() {
  if (m_stopped) return;
  m_stopped = true;
  boost::system::error_code ignored;
  m_socket.shutdown(Socket::shutdown_both, ignored);
  m_socket.close(ignored);
  m_wake.cancel();
  if (auto* server = std::exchange(m_server, nullptr)) server->forget(this);
}

asio::awaitable<void> ControlSession::reader() {
  std::array<char, 16 * 1024> buf;
  for (;;) {
    auto [ec, n] = co_await m_socket.async_read_some(asio::buffer(buf), k_nothrow);
    if (m_stopped || m_closing) co_return;
    if (ec) {
      // EOF (or a reset): answer nothing more, write what is queued, close.
      close_after_flush();
      co_return;
    }
    auto fed = m_framer.feed(std::string_view(buf.data(), n));
    for (auto& line : fed.lines) {
      co_await handle_line(std::move(line));
      if (m_stopped || m_closing) co_return;
    }
    if (fed.error) {
      deliver(protocol::encode_error(
          std::nullopt, {std::string(protocol::codes::line_too_long), fed.error->message}));
      close_after_flush();
      co_return;
    }
  }
}

asio::awaitable<void> ControlSession::handle_line(std::string line) {
  auto decoded = protocol::decode_request(line);
  if (!decoded) {
    deliver(protocol::encode_error(decoded.error().id, decoded.error().error));
    co_return;
  }
  if (auto* sub = std::get_if<protocol::SubscribeRequest>(&decoded->request)) {
    // The reply is queued before any event can be, so it is the first line the client sees.
    m_subscription = sub->repo;
    deliver(protocol::encode_response(decoded->id, protocol::SubscribeResponse{}));
    co_return;
  }
  auto reply = co_await dispatch(m_handler, std::move(*decoded), m_peer);
  deliver(std::move(reply));
}

asio::awaitable<void> ControlSession::writer() {
  while (!m_stopped) {
    if (m_queue.empty()) {
      if (m_closing) break;
      m_wake.expires_at(asio::steady_timer::time_point::max());
      co_await m_wake.async_wait(k_nothrow);  // cancelled by deliver(): not an error
      continue;
    }
    auto [ec, n] = co_await asio::async_write(m_socket, asio::buffer(m_queue.front()), k_nothrow);
    if (ec) break;
    m_queued_bytes -= m_queue.front().size();
    m_queue.pop_front();
  }
  stop();
}

}  // namespace gavel::daemon
