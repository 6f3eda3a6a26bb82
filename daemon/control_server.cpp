#include "daemon/control_server.hpp"

#include "protocol/codec.hpp"
#include "protocol/socket_path.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <utility>

#include <sys/stat.h>
#include <unistd.h>

namespace gavel::daemon {

namespace asio = boost::asio;
using stream = asio::local::stream_protocol;

Result<std::shared_ptr<ControlServer>> ControlServer::open(asio::any_io_executor executor,
                                                           CommandHandler& handler,
                                                           ControlServerOptions options) {
  if (options.socket_path.empty()) options.socket_path = protocol::default_socket_path();
  const auto& path = options.socket_path;
  if (path.size() > protocol::k_max_socket_path_bytes) {
    return fail(Errc::invalid_argument, "socket path too long for a Unix socket: " + path);
  }
  if (auto dir = prepare_socket_directory(protocol::socket_directory(path), ::geteuid()); !dir) {
    return dir.error();
  }
  if (auto cleared = clear_stale_socket(path); !cleared) return cleared.error();

  Acceptor acceptor(executor);
  boost::system::error_code ec;
  acceptor.open(stream(), ec);
  if (!ec) acceptor.bind(stream::endpoint(path), ec);
  if (ec == asio::error::address_in_use) {
    return fail(Errc::conflict, "gaveld is already running (" + path + " was taken meanwhile)");
  }
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(Errc::io, "cannot listen on " + path + ": " + ec.message());
  if (::chmod(path.c_str(), 0600) != 0) {
    ::unlink(path.c_str());
    return fail(Errc::io, "cannot chmod 0600 " + path);
  }
  auto id = file_id(path);
  if (!id) return id.error();
  return std::make_shared<ControlServer>(Private{}, std::move(acceptor), handler,
                                         std::move(options), *id);
}

ControlServer::ControlServer(Private, Acceptor acceptor, CommandHandler& handler,
                             ControlServerOptions options, FileId socket_file)
    : m_acceptor(std::move(acceptor)),
      m_handler(handler),
      m_options(std::move(options)),
      m_allowed_uid(m_options.allowed_uid.value_or(static_cast<unsigned>(::geteuid()))),
      m_socket_file(socket_file) {}

ControlServer::~ControlServer() { stop(); }

void ControlServer::start() {
  if (m_started || m_stopped) return;
  m_started = true;
  asio::co_spawn(
      m_acceptor.get_executor(), [self = shared_from_this()] { return self->accept_loop(); },
      [](std::exception_ptr e) {
        if (!e) return;
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          spdlog::error("control server: accept loop failed: {}", ex.what());
        }
      });
}

asio::awaitable<void> ControlServer::accept_loop() {
  constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
  while (!m_stopped) {
    auto [ec, socket] = co_await m_acceptor.async_accept(nothrow);
    if (m_stopped) break;
    if (ec) {
      // Out of descriptors and the like: log, breathe, go on.
      spdlog::warn("control server: accept failed: {}", ec.message());
      asio::steady_timer pause(m_acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(nothrow);
      continue;
    }
    admit(std::move(socket));
  }
}

void ControlServer::admit(ControlSession::Socket socket) {
  auto creds = peer_credentials(socket.native_handle());
  const Peer peer{creds ? static_cast<unsigned>(creds->uid) : ~0u, creds ? creds->pid : 0};
  auto session = std::make_shared<ControlSession>(std::move(socket), *this, m_handler, peer,
                                                  m_options.limits);
  m_sessions.emplace(session.get(), session);
  if (!creds || peer.uid != m_allowed_uid) {
    spdlog::warn("control server: refused a connection from uid {} (pid {})",
                 creds ? std::to_string(peer.uid) : "unknown", peer.pid);
    session->refuse(protocol::encode_error(
        std::nullopt, {std::string(protocol::codes::forbidden),
                       "this daemon serves uid " + std::to_string(m_allowed_uid) + " only"}));
    return;
  }
  session->start();
}

void ControlServer::publish(const protocol::Event& event) {
  if (m_stopped) return;
  std::string line;
  const auto& repo = protocol::event_repo(event);
  for (auto& [raw, session] : m_sessions) {
    const auto& filter = session->subscription();
    if (!filter || (!filter->empty() && *filter != repo)) continue;
    if (line.empty()) line = protocol::encode_event(event);
    session->deliver(line);
  }
}

void ControlServer::stop() {
  if (m_stopped) return;
  m_stopped = true;
  boost::system::error_code ignored;
  m_acceptor.close(ignored);
  remove_socket_file(m_options.socket_path, m_socket_file);
  auto sessions = std::exchange(m_sessions, {});
  for (auto& [raw, session] : sessions) session->detach();
}

std::size_t ControlServer::subscriber_count() const noexcept {
  std::size_t n = 0;
  for (const auto& [raw, session] : m_sessions) n += session->subscription().has_value() ? 1 : 0;
  return n;
}

void ControlServer::forget(ControlSession* session) noexcept { m_sessions.erase(session); }

}  // namespace gavel::daemon
