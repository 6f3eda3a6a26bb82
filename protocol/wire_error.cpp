// gavel::Error <-> the wire's {"code", "message"}.
#include "protocol/codec.hpp"

#include <array>

namespace gavel::protocol {

namespace {

constexpr std::array k_all_errc{
    Errc::invalid_argument, Errc::not_found,         Errc::not_a_repository,
    Errc::bare_repository,  Errc::corrupt,           Errc::io,
    Errc::git,              Errc::parse,             Errc::config,
    Errc::conflict,         Errc::permission_denied, Errc::unavailable,
    Errc::timeout,          Errc::cancelled,         Errc::internal,
};

}  // namespace

WireError to_wire(const Error& e) { return WireError{to_string(e.code), e.message}; }

Error from_wire(const WireError& e) {
  for (const auto code : k_all_errc) {
    if (e.code == to_string(code)) return Error(code, e.message);
  }
  Errc code = Errc::internal;
  if (e.code == codes::bad_request || e.code == codes::unknown_command ||
      e.code == codes::line_too_long) {
    code = Errc::invalid_argument;
  } else if (e.code == codes::forbidden) {
    code = Errc::io;
  } else if (e.code == codes::overloaded) {
    code = Errc::unavailable;
  }
  return Error(code, e.code + ": " + e.message);
}

}  // namespace gavel::protocol
