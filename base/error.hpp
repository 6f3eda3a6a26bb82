#pragma once
// gavel::Error and gavel::Result: how expected failures travel between modules.
//
// Every module turns its library's failures (libgit2 return codes, nlohmann exceptions, curl codes,
// errno) into an Error at the call site and returns Result<T>. Exceptions are left for programming
// errors; `main` and every coroutine root catch whatever is left and log it.
// Header-only; depends on nothing of ours. Any module may include it.

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <stdexcept>
#include <string>
#include <utility>

namespace gavel {

// What kind of failure; stable names appear in JSON error replies (`code`).
enum class Errc {
  invalid_argument,  // the caller's input is wrong (bad flag, bad path, bad id)
  not_found,         // the thing asked for does not exist
  not_a_repository,  // path is outside any git repository
  bare_repository,   // a bare repository has no working tree to review
  corrupt,           // repository, state file or config cannot be read as what it claims to be
  io,                // the operating system refused (errno)
  git,               // any other libgit2 failure
  parse,             // input text is malformed (JSON, TOML, agent output)
  config,            // configuration is invalid
  conflict,          // the state changed under us (stale snapshot, lock held)
  permission_denied,  // this caller may not do that (an agent's process asking to decide)
  unavailable,       // a peer (daemon, agent, server) cannot be reached
  timeout,
  cancelled,
  internal,
};

// Returns the stable snake_case name of `code`.
const char* to_string(Errc code) noexcept;

struct Error {
  Errc code = Errc::internal;
  std::string message;  // for a person: what failed and, where it helps, what to do

  Error() = default;
  Error(Errc c, std::string m) : code(c), message(std::move(m)) {}
};

// Thrown by Result<T>::value() on an error; carries the Error.
class ErrorException : public std::runtime_error {
 public:
  explicit ErrorException(Error e) : std::runtime_error(e.message), m_error(std::move(e)) {}
  const Error& error() const noexcept { return m_error; }

 private:
  Error m_error;
};

// Found by ADL from boost::system::result<T, Error>::value().
[[noreturn]] inline void throw_exception_from_error(const Error& e, const boost::source_location&) {
  throw ErrorException(e);
}

template <class T>
using Result = boost::system::result<T, Error>;

// Shorthand for returning an error: `return fail(Errc::io, "cannot open " + path);`
inline Error fail(Errc code, std::string message) { return Error(code, std::move(message)); }

inline const char* to_string(Errc code) noexcept {
  switch (code) {
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::not_found: return "not_found";
    case Errc::not_a_repository: return "not_a_repository";
    case Errc::bare_repository: return "bare_repository";
    case Errc::corrupt: return "corrupt";
    case Errc::io: return "io";
    case Errc::git: return "git";
    case Errc::parse: return "parse";
    case Errc::config: return "config";
    case Errc::conflict: return "conflict";
    case Errc::permission_denied: return "permission_denied";
    case Errc::unavailable: return "unavailable";
    case Errc::timeout: return "timeout";
    case Errc::cancelled: return "cancelled";
    case Errc::internal: return "internal";
  }
  return "internal";
}

}  // namespace gavel
