#pragma once
// LineFramer: splits a byte stream into newline-terminated lines, with a bound on line length.
//
// Who calls it: the daemon's control session (daemon/control_session.cpp) after every read, and
// the client (client/client.cpp) after every recv. It owns only the bytes of the unfinished last
// line. It never reads or writes a socket, so split reads and oversize lines are tested without
// one (tests/unit/protocol/line_framer_test.cpp). Not thread-safe; one framer per connection.
//
// Rules:
// - A line ends at '\n'; one '\r' before it is dropped (CRLF from nc/socat is accepted).
// - Empty lines are skipped.
// - A line longer than `max_line_bytes` (terminator excluded) is an error as soon as that many
//   bytes are buffered without a newline: memory stays bounded by the limit, whatever the peer
//   sends. After an error the framer is poisoned: every later feed() returns the same error and
//   no lines, until reset(). The connection is expected to be closed.

#include "base/error.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::protocol {

inline constexpr std::size_t k_default_max_line_bytes = 1024 * 1024;  // 1 MiB

// What one feed() produced: the lines completed by these bytes, in order, and, when the limit
// was crossed, the error. Lines completed before the oversize one are still delivered, so
// pipelined requests in front of a bad one are answered.
struct FeedResult {
  std::vector<std::string> lines;
  std::optional<Error> error;  // Errc::invalid_argument, "line exceeds N bytes"
};

class LineFramer {
 public:
  explicit LineFramer(std::size_t max_line_bytes = k_default_max_line_bytes);

  // Appends `bytes` and returns every line they complete.
  FeedResult feed(std::string_view bytes);

  // Bytes of the unfinished line held back so far.
  std::size_t pending_bytes() const noexcept { return m_partial.size(); }
  std::size_t max_line_bytes() const noexcept { return m_max; }
  bool failed() const noexcept { return m_failed; }

  // Forgets the partial line and any error.
  void reset();

 private:
  Error oversize_error() const;

  std::size_t m_max;
  std::string m_partial;
  bool m_failed = false;
};

}  // namespace gavel::protocol
