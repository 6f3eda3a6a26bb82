#pragma once
// Client: one connection to gaveld's control socket, with blocking POSIX calls and a timeout.
//
// Who calls it: the `gavel` CLI and the git pre-commit hook (one gate.check round trip; the
// budget is a few milliseconds, so there is no asio, no thread and no allocation beyond the
// lines), and tests. Single-threaded: one Client per thread. It owns the socket descriptor and
// closes it on destruction. It never starts gaveld: a missing daemon is Errc::unavailable and the
// caller decides (the hook's fail-open/closed rule lives there).
//
// Requests may be pipelined: send() several, then receive() each reply in order. After
// `subscribe`, next_event() returns the daemon's events in order; replies to requests sent after
// subscribing are still matched by receive(). A server error reply becomes a gavel::Error (see
// protocol::from_wire for the code mapping; the message keeps the wire code).

#include "base/error.hpp"
#include "protocol/codec.hpp"
#include "protocol/line_framer.hpp"
#include "protocol/messages.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace gavel::client {

// A timeout that never expires (next_event on a quiet stream).
inline constexpr std::chrono::milliseconds k_wait_forever{-1};

struct ClientOptions {
  std::chrono::milliseconds timeout{10'000};  // per wait for the socket to be readable/writable
  std::size_t max_line_bytes = protocol::k_default_max_line_bytes;
};

class Client {
 public:
  // Connects to the Unix socket at `socket_path`. Errc::unavailable when nothing listens there
  // (no file, or a stale one); Errc::io for permission problems; invalid_argument for a path too
  // long for sockaddr_un.
  static Result<Client> connect(const std::string& socket_path, ClientOptions options = {});

  Client(Client&& other) noexcept;
  Client& operator=(Client&& other) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client();

  // Sends `request` and waits for its reply.
  Result<protocol::Response> request(const protocol::Request& request);

  // Typed form: `client.call(protocol::GateCheckRequest{...})` -> Result<GateCheckResponse>.
  template <class Req>
  Result<typename Req::Response> call(const Req& req);

  // Pipelining: send() returns the id it used; receive() returns the reply to the oldest request
  // not yet received (Errc::invalid_argument when none is outstanding).
  Result<std::int64_t> send(const protocol::Request& request);
  Result<protocol::Response> receive();

  // The next event of a subscription, waiting up to `timeout` (k_wait_forever: no limit).
  Result<protocol::Event> next_event(std::chrono::milliseconds timeout = k_wait_forever);

  // Raw access, for tools and tests: write bytes as they are; read one line as it is.
  Result<void> send_raw(std::string_view bytes);
  Result<std::string> read_line(std::chrono::milliseconds timeout);

  int native_handle() const noexcept { return m_fd; }
  void close() noexcept;

 private:
  Client(int fd, ClientOptions options);

  // Reads one server line and files it: a reply into m_replies, an event into m_events.
  Result<void> read_one(std::chrono::milliseconds timeout);
  Result<void> write_all(std::string_view bytes);
  // After a failed write: the error line the daemon sent before closing, if any.
  std::optional<Error> read_refusal();

  int m_fd = -1;
  ClientOptions m_options;
  protocol::LineFramer m_framer;
  std::deque<std::string> m_lines;  // complete lines not yet decoded
  std::int64_t m_next_id = 1;
  struct Pending {
    std::int64_t id;
    protocol::Command command;
  };
  std::deque<Pending> m_pending;  // sent, reply not yet read
  std::deque<protocol::Reply> m_replies;  // read, not yet received (arrived during next_event)
  std::deque<protocol::Event> m_events;   // read, not yet returned by next_event
};

template <class Req>
Result<typename Req::Response> Client::call(const Req& req) {
  auto response = request(protocol::Request{req});
  if (!response) return response.error();
  if (auto* typed = std::get_if<typename Req::Response>(&*response)) return std::move(*typed);
  return fail(Errc::internal, "reply of the wrong type");  // decode_server_line prevents this
}

}  // namespace gavel::client
