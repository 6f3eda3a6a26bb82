#include "client/client.hpp"

#include "protocol/socket_path.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace gavel::client {

namespace {

Error errno_error(Errc code, const std::string& what, int err) {
  return fail(code, what + ": " + std::strerror(err));
}

// Waits until `fd` is ready for `events`; false on timeout. `timeout` < 0 waits forever.
Result<bool> wait_ready(int fd, short events, std::chrono::milliseconds timeout) {
  pollfd p{fd, events, 0};
  const int ms = timeout.count() < 0 ? -1 : static_cast<int>(timeout.count());
  for (;;) {
    const int n = ::poll(&p, 1, ms);
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return errno_error(Errc::io, "poll on the gaveld socket", errno);
  }
}

}  // namespace

Result<Client> Client::connect(const std::string& socket_path, ClientOptions options) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path.empty() || socket_path.size() > protocol::k_max_socket_path_bytes) {
    return fail(Errc::invalid_argument, "socket path is empty or too long: " + socket_path);
  }
  std::memcpy(addr.sun_path, socket_path.data(), socket_path.size());

  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno_error(Errc::io, "socket", errno);
  int rc;
  do {
    rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const int err = errno;
    ::close(fd);
    if (err == ENOENT || err == ECONNREFUSED || err == ENOTDIR) {
      return fail(Errc::unavailable,
                  "gaveld is not running (nothing listens on " + socket_path + ")");
    }
    return errno_error(Errc::io, "connect to " + socket_path, err);
  }
  return Client(fd, options);
}

Client::Client(int fd, ClientOptions options)
    : m_fd(fd), m_options(options), m_framer(options.max_line_bytes) {}

Client::Client(Client&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)),
      m_options(other.m_options),
      m_framer(std::move(other.m_framer)),
      m_lines(std::move(other.m_lines)),
      m_next_id(other.m_next_id),
      m_pending(std::move(other.m_pending)),
      m_replies(std::move(other.m_replies)),
      m_events(std::move(other.m_events)) {}

Client& Client::operator=(Client&& other) noexcept {
  if (this != &other) {
    close();
    m_fd = std::exchange(other.m_fd, -1);
    m_options = other.m_options;
    m_framer = std::move(other.m_framer);
    m_lines = std::move(other.m_lines);
    m_next_id = other.m_next_id;
    m_pending = std::move(other.m_pending);
    m_replies = std::move(other.m_replies);
    m_events = std::move(other.m_events);
  }
  return *this;
}

Client::~Client() { close(); }

void Client::close() noexcept {
  if (m_fd >= 0) ::close(m_fd);
  m_fd = -1;
}

Result<void> Client::write_all(std::string_view bytes) {
  if (m_fd < 0) return fail(Errc::unavailable, "not connected to gaveld");
  while (!bytes.empty()) {
    const auto n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return errno_error(Errc::unavailable, "write to gaveld", errno);
    }
    auto ready = wait_ready(m_fd, POLLOUT, m_options.timeout);
    if (!ready) return ready.error();
    if (!*ready) return fail(Errc::timeout, "gaveld is not reading its socket");
  }
  return {};
}

Result<void> Client::send_raw(std::string_view bytes) { return write_all(bytes); }

Result<std::string> Client::read_line(std::chrono::milliseconds timeout) {
  char buf[64 * 1024];
  while (m_lines.empty()) {
    if (m_fd < 0) return fail(Errc::unavailable, "not connected to gaveld");
    auto ready = wait_ready(m_fd, POLLIN, timeout);
    if (!ready) return ready.error();
    if (!*ready) return fail(Errc::timeout, "no answer from gaveld in time");
    const auto n = ::recv(m_fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      return errno_error(Errc::unavailable, "read from gaveld", errno);
    }
    if (n == 0) return fail(Errc::unavailable, "gaveld closed the connection");
    auto fed = m_framer.feed(std::string_view(buf, static_cast<std::size_t>(n)));
    for (auto& line : fed.lines) m_lines.push_back(std::move(line));
    if (fed.error && m_lines.empty()) return fail(Errc::parse, "gaveld sent " + fed.error->message);
  }
  auto line = std::move(m_lines.front());
  m_lines.pop_front();
  return line;
}

Result<void> Client::read_one(std::chrono::milliseconds timeout) {
  auto line = read_line(timeout);
  if (!line) return line.error();
  // Replies come in request order: the next one answers the oldest request not yet answered.
  const auto answered = m_replies.size();
  const auto expected = answered < m_pending.size() ? m_pending[answered].command
                                                    : protocol::Command::status;
  auto decoded = protocol::decode_server_line(*line, expected);
  if (!decoded) return decoded.error();
  if (auto* event = std::get_if<protocol::Event>(&*decoded)) {
    m_events.push_back(std::move(*event));
    return {};
  }
  auto& reply = std::get<protocol::Reply>(*decoded);
  if (answered >= m_pending.size()) {
    // Only an error can come unasked: the daemon refusing the connection (forbidden, oversize).
    if (!reply.ok()) return protocol::from_wire(std::get<protocol::WireError>(reply.body));
    return fail(Errc::parse, "gaveld sent a reply nobody asked for");
  }
  if (reply.id && *reply.id != m_pending[answered].id) {
    return fail(Errc::parse, "gaveld answered request " + std::to_string(*reply.id) +
                                 ", expected " + std::to_string(m_pending[answered].id));
  }
  m_replies.push_back(std::move(reply));
  return {};
}

std::optional<Error> Client::read_refusal() {
  auto line = read_line(std::chrono::milliseconds(0));
  if (!line) return std::nullopt;
  auto decoded = protocol::decode_server_line(*line, protocol::Command::status);
  if (!decoded) return std::nullopt;
  const auto* reply = std::get_if<protocol::Reply>(&*decoded);
  if (!reply || reply->ok()) return std::nullopt;
  return protocol::from_wire(std::get<protocol::WireError>(reply->body));
}

Result<std::int64_t> Client::send(const protocol::Request& request) {
  const auto id = m_next_id++;
  auto written = write_all(protocol::encode_request(id, request));
  if (!written) {
    // The daemon may have refused us and closed (forbidden, line_too_long) before we wrote:
    // its error line is more useful than "broken pipe".
    if (auto refusal = read_refusal()) return *refusal;
    return written.error();
  }
  m_pending.push_back(Pending{id, protocol::command_of(request)});
  return id;
}

Result<protocol::Response> Client::receive() {
  if (m_pending.empty()) return fail(Errc::invalid_argument, "no request is waiting for a reply");
  while (m_replies.empty()) {
    auto got = read_one(m_options.timeout);
    if (!got) return got.error();
  }
  auto reply = std::move(m_replies.front());
  m_replies.pop_front();
  m_pending.pop_front();
  if (!reply.ok()) return protocol::from_wire(std::get<protocol::WireError>(reply.body));
  return std::get<protocol::Response>(std::move(reply.body));
}

Result<protocol::Response> Client::request(const protocol::Request& request) {
  // Replies to earlier pipelined requests would come first: the caller drains them with
  // receive() before mixing in request().
  if (!m_pending.empty()) {
    return fail(Errc::invalid_argument, "request() with pipelined requests outstanding");
  }
  auto sent = send(request);
  if (!sent) return sent.error();
  return receive();
}

Result<protocol::Event> Client::next_event(std::chrono::milliseconds timeout) {
  while (m_events.empty()) {
    auto got = read_one(timeout);
    if (!got) return got.error();
  }
  auto event = std::move(m_events.front());
  m_events.pop_front();
  return event;
}

}  // namespace gavel::client
