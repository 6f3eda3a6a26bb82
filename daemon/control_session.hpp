#pragma once
// ControlSession: one client connection to the control socket (STYLE rule 11).
//
// Who calls it: daemon::ControlServer creates one per accepted connection and calls start()
// (or refuse() for a peer of another uid), deliver() for published events and stop() when the
// server stops. Everything runs on the io_context thread; there are no locks.
//
// Shape: one reader coroutine (read, frame with protocol::LineFramer, decode, dispatch to the
// CommandHandler one request at a time, queue the reply) and one writer coroutine (write the
// queue in order; sleep on a timer that deliver() cancels to wake it). Both hold the session
// alive with shared_from_this. EOF and cancellation arrive as values (as_tuple).
//
// Closing: the peer's EOF, an oversize line, a refused peer, a subscriber that falls too far
// behind and server shutdown all "close after flush": reading stops and the connection closes
// once the queued lines are written. stop() closes at once. The session never outlives its
// coroutines and never touches the server after stop().

#include "daemon/control_handler.hpp"
#include "protocol/line_framer.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace gavel::daemon {

class ControlServer;

struct SessionLimits {
  std::size_t max_line_bytes = protocol::k_default_max_line_bytes;
  std::size_t max_queued_bytes = 8 * 1024 * 1024;  // unsent output before a subscriber is dropped
};

class ControlSession : public std::enable_shared_from_this<ControlSession> {
 public:
  using Socket = boost::asio::local::stream_protocol::socket;

  ControlSession(Socket socket, ControlServer& server, CommandHandler& handler, Peer peer,
                 SessionLimits limits);

  // Starts the reader and writer coroutines.
  void start();

  // Sends `line` (one encoded error reply) and closes, without reading anything.
  void refuse(std::string line);

  // Queues one encoded line (ending in '\n') for the writer. Ignored once closing.
  void deliver(std::string line);

  // Stops reading; closes once the queue is written.
  void close_after_flush();

  // Forgets the server (which is stopping) and closes after flush.
  void detach();

  // Closes the socket and cancels the timer now; forgets the server.
  void stop();

  // The repository filter of a subscription: nullopt when not subscribed, "" for every repo.
  const std::optional<std::string>& subscription() const noexcept { return m_subscription; }

 private:
  boost::asio::awaitable<void> reader();
  boost::asio::awaitable<void> writer();
  boost::asio::awaitable<void> handle_line(std::string line);
  void spawn_writer();

  Socket m_socket;
  boost::asio::steady_timer m_wake;
  ControlServer* m_server;  // null after stop()
  CommandHandler& m_handler;
  Peer m_peer;
  SessionLimits m_limits;
  protocol::LineFramer m_framer;
  std::deque<std::string> m_queue;
  std::size_t m_queued_bytes = 0;
  std::optional<std::string> m_subscription;
  bool m_closing = false;     // reading stopped; close when the queue is empty
  bool m_overloaded = false;  // output bound crossed: nothing more is queued
  bool m_stopped = false;
};

}  // namespace gavel::daemon
