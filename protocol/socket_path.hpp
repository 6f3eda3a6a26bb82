#pragma once
// Where gaveld's control socket lives, computed from environment values: pure, so the server
// (daemon/control_server.cpp) and the client (client/client.cpp) agree by construction and a
// test pins every case without touching the environment.
//
// Order: `gavel_socket` (the GAVEL_SOCKET variable, for tests and unusual setups) wins; then
// `$XDG_RUNTIME_DIR/gavel/gaveld.sock` when XDG_RUNTIME_DIR is an absolute path; else the per-user
// fallback `/tmp/gavel-<uid>/gaveld.sock`. The directory must be owned by the user and mode 0700;
// the server checks that (it is not a property of the string).

#include <optional>
#include <string>
#include <string_view>

namespace gavel::protocol {

inline constexpr std::string_view k_socket_file_name = "gaveld.sock";

// The environment values the path depends on; empty optional means "unset".
struct SocketEnv {
  std::optional<std::string> gavel_socket;     // GAVEL_SOCKET
  std::optional<std::string> xdg_runtime_dir;  // XDG_RUNTIME_DIR
  unsigned uid = 0;                            // the real uid of the process
};

// The socket path for `env`. Never empty.
std::string socket_path_for(const SocketEnv& env);

// socket_path_for() with this process's GAVEL_SOCKET, XDG_RUNTIME_DIR and real uid: what both
// gaveld and the client use when no path is given. Reads the environment; nothing else.
std::string default_socket_path();

// The directory part of `socket_path` ("." when it has no '/').
std::string socket_directory(std::string_view socket_path);

// Longest path a sockaddr_un can hold (sun_path is 108 bytes with its terminator on Linux).
inline constexpr std::size_t k_max_socket_path_bytes = 107;

}  // namespace gavel::protocol
