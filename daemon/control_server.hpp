#pragma once
// ControlServer: gaveld's control socket. Accepts local connections, checks that the peer is
// the daemon's own user, and serves the line-delimited JSON protocol (docs/protocol.md) by
// handing typed requests to a CommandHandler. A `subscribe` request turns a connection into an
// event stream fed by publish().
//
// Who calls it: the daemon's startup code (open, start), the orchestrator (publish), and its
// shutdown path (stop). Everything happens on the daemon's single io_context thread: open(),
// start(), publish() and stop() must be called there (or before the io_context runs); there are
// no locks. It owns the listening socket, the socket file and the sessions; it does not own the
// handler, which must outlive it.
//
// Files (DESIGN.md "Safety rules"): the socket lives at options.socket_path, by default
// protocol::default_socket_path() ($XDG_RUNTIME_DIR/gavel/gaveld.sock, else
// /tmp/gavel-<uid>/gaveld.sock). Its directory is created 0700 or refused if it is not ours and
// 0700; the socket is chmod 0600; a stale socket is replaced; a live one is "already running".
// stop() removes the socket file (only if it is still the one we bound).

#include "daemon/control_handler.hpp"
#include "daemon/control_session.hpp"
#include "daemon/control_socket.hpp"
#include "protocol/events.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/local/stream_protocol.hpp>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace gavel::daemon {

struct ControlServerOptions {
  std::string socket_path;  // empty: protocol::default_socket_path()
  SessionLimits limits;
  std::optional<unsigned> allowed_uid;  // nullopt: our effective uid (the only sane value)
};

class ControlServer : public std::enable_shared_from_this<ControlServer> {
  struct Private {};

 public:
  using Acceptor = boost::asio::local::stream_protocol::acceptor;

  // Prepares the directory, replaces a stale socket, binds and listens. Errc::conflict when
  // another daemon answers on the path or the directory is unsafe; Errc::io on system errors.
  static Result<std::shared_ptr<ControlServer>> open(boost::asio::any_io_executor executor,
                                                     CommandHandler& handler,
                                                     ControlServerOptions options);

  ControlServer(Private, Acceptor acceptor, CommandHandler& handler, ControlServerOptions options,
                FileId socket_file);
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;
  ~ControlServer();

  // Starts accepting connections.
  void start();

  // Sends `event` to every subscribed connection whose filter matches its repository, in the
  // order publish() is called.
  void publish(const protocol::Event& event);

  // Stops accepting, removes the socket file, and closes every connection once its queued lines
  // are written. Idempotent.
  void stop();

  const std::string& socket_path() const noexcept { return m_options.socket_path; }
  std::size_t session_count() const noexcept { return m_sessions.size(); }
  std::size_t subscriber_count() const noexcept;

  // Called by a session when it closes.
  void forget(ControlSession* session) noexcept;

 private:
  boost::asio::awaitable<void> accept_loop();
  void admit(ControlSession::Socket socket);

  Acceptor m_acceptor;
  CommandHandler& m_handler;
  ControlServerOptions m_options;
  unsigned m_allowed_uid;
  FileId m_socket_file;
  std::unordered_map<ControlSession*, std::shared_ptr<ControlSession>> m_sessions;
  bool m_started = false;
  bool m_stopped = false;
};

}  // namespace gavel::daemon
