#pragma once
// The envelope: one JSON object per line (docs/protocol.md).
//   request   {"id": 7, "command": "gate.check", "args": {...}}
//   success   {"id": 7, "ok": true, "result": {...}}
//   failure   {"id": 7, "ok": false, "error": {"code": "bad_request", "message": "..."}}
//   event     {"event": "round.started", ...}
//
// Who calls it: the daemon's control session decodes requests and encodes replies and events;
// the client encodes requests and decodes replies and events. Pure functions; no exception leaves
// them (malformed input is a value: BadRequest or Error). Every encode_* result ends in '\n'.

#include "base/error.hpp"
#include "protocol/events.hpp"
#include "protocol/messages.hpp"

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace gavel::protocol {

// Stable error codes on the wire, beyond gavel::Errc's names (not_found, conflict, ...).
namespace codes {
// Not JSON, not an object, or a missing/mistyped id, command or argument. Connection stays.
inline constexpr std::string_view bad_request = "bad_request";
// "command" names no command. Connection stays.
inline constexpr std::string_view unknown_command = "unknown_command";
// A line longer than the framing limit; the connection is closed.
inline constexpr std::string_view line_too_long = "line_too_long";
// The peer is another user; the connection is closed.
inline constexpr std::string_view forbidden = "forbidden";
// A subscriber fell too far behind; the connection is closed.
inline constexpr std::string_view overloaded = "overloaded";
}  // namespace codes

// An error as it travels: a stable code and a message for a person.
struct WireError {
  std::string code;
  std::string message;
  bool operator==(const WireError&) const = default;
};

// gavel::Error -> wire: the code is to_string(Errc).
WireError to_wire(const Error& e);
// wire -> gavel::Error: an Errc name maps back; bad_request, unknown_command and line_too_long
// are invalid_argument; forbidden is io; anything else is internal. The message keeps the code:
// "unknown_command: no command named \"x\"".
Error from_wire(const WireError& e);

struct RequestEnvelope {
  std::int64_t id = 0;
  Request request;
  bool operator==(const RequestEnvelope&) const = default;
};

// A request line that cannot be served, with the reply to send: its id when one could be read.
struct BadRequest {
  std::optional<std::int64_t> id;
  WireError error;
  bool operator==(const BadRequest&) const = default;
};
[[noreturn]] void throw_exception_from_error(const BadRequest& e, const boost::source_location&);

using DecodedRequest = boost::system::result<RequestEnvelope, BadRequest>;

// Server side.
DecodedRequest decode_request(std::string_view line);
std::string encode_response(std::optional<std::int64_t> id, const Response& response);
std::string encode_error(std::optional<std::int64_t> id, const WireError& error);
std::string encode_event(const Event& event);

// Client side.
std::string encode_request(std::int64_t id, const Request& request);

// A decoded reply: the response, typed by the command the client sent, or the server's error.
struct Reply {
  std::optional<std::int64_t> id;  // null when the server could not read the request's id
  std::variant<Response, WireError> body;

  bool ok() const noexcept { return body.index() == 0; }
  bool operator==(const Reply&) const = default;
};

// One line from the server: a reply to a request or an event.
using ServerLine = std::variant<Reply, Event>;

// Decodes a line from the server. `expected` is the command whose reply is due (it picks the
// response type). Errors are Errc::parse.
Result<ServerLine> decode_server_line(std::string_view line, Command expected);

}  // namespace gavel::protocol
