#pragma once
// The control socket's file-system side: the owner-only directory, stale sockets, and the
// peer's credentials. Plain POSIX, synchronous; called by daemon::ControlServer on the
// io_context thread at open() and per accepted connection. Owns nothing.
//
// Safety (DESIGN.md "Safety rules": the control socket is owner-only):
// - The socket's directory is created 0700. An existing directory is used only if it is a real
//   directory (not a symlink), owned by `owner`, with no group or other permission bits.
// - An existing socket file is replaced only when nobody listens on it (connect is refused);
//   a live one means another gaveld is running. A non-socket file there is never removed.

#include "base/error.hpp"

#include <string>
#include <sys/types.h>

namespace gavel::daemon {

// Creates `dir` 0700 if missing (its parent must exist) or checks the existing one.
// Errc::io on a system error; Errc::conflict when the directory is unsafe to use.
Result<void> prepare_socket_directory(const std::string& dir, uid_t owner);

// Makes `path` free for bind(): removes a stale socket; Errc::conflict when a daemon answers on
// it ("already running") or it is not a socket.
Result<void> clear_stale_socket(const std::string& path);

// Identity of a file, to remove only the socket we bound.
struct FileId {
  dev_t dev = 0;
  ino_t ino = 0;
};
Result<FileId> file_id(const std::string& path);

// Unlinks `path` if it is still the file `id`.
void remove_socket_file(const std::string& path, const FileId& id);

// The peer of a connected Unix socket, from SO_PEERCRED.
struct PeerCredentials {
  uid_t uid = 0;
  pid_t pid = 0;
};
Result<PeerCredentials> peer_credentials(int fd);

}  // namespace gavel::daemon
