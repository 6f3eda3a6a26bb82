#pragma once
// How `gavel` reaches gaveld: the socket path (protocol/socket_path.hpp), a connection, and
// starting gaveld on demand as watchman does (found next to the running `gavel` first, then in
// PATH; detached in its own session; ready once its socket answers).
//
// Called by the daemon-talking commands (daemon, watch, status, findings, show, decide, export,
// arbitrate, doctor) and by `gavel hook run`, which never starts the daemon (the gate's
// gate.no_daemon policy decides instead). Blocking, single-threaded.

#include "base/error.hpp"
#include "client/client.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace gavel::cli {

enum class StartDaemon { on_demand, never };

// The control socket path: $GAVEL_SOCKET, $XDG_RUNTIME_DIR/gavel/gaveld.sock, /tmp/gavel-UID/.
std::string daemon_socket_path();

// Connects to gaveld; with StartDaemon::on_demand, starts it when nothing listens and waits up
// to `wait` for its socket. Errc::unavailable when no daemon can be reached (the message says
// why and what to run).
Result<client::Client> connect_daemon(StartDaemon start,
                                      std::chrono::milliseconds wait = std::chrono::seconds(10));

// The gaveld executable: next to this `gavel`, else the first in PATH. Errc::unavailable.
Result<std::filesystem::path> find_gaveld();

// Starts gaveld detached (own session, stdio on /dev/null) and waits until its socket
// answers `status`. Errc::unavailable when it did not come up within `wait`.
Result<void> start_daemon(std::chrono::milliseconds wait);

// This process's executable (/proc/self/exe), for hooks that must call the same `gavel`.
std::filesystem::path self_executable();

// The top of the working tree containing `dir`, without a trailing '/' (the repository path the
// daemon knows). Errors as git::Repository::open.
Result<std::string> repo_root(const std::string& dir);

// Connects (starting gaveld unless `no_start`), printing the error and setting `exit_status`
// when that fails.
std::optional<client::Client> connect_or_report(bool no_start, int& exit_status);

// Prints "gavel: MESSAGE" for `error` and returns its exit status.
int report_error(const Error& error);

// The exit status for a daemon call's error: 69 unavailable, 64 invalid argument, 65 not found
// / not a repository, 77 permission denied, 70 otherwise (docs/cli.md).
int exit_code_for_daemon_error(const Error& error);

}  // namespace gavel::cli
