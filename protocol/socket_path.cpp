#include "protocol/socket_path.hpp"

#include <cstdlib>

#include <unistd.h>

namespace gavel::protocol {

std::string socket_path_for(const SocketEnv& env) {
  if (env.gavel_socket && !env.gavel_socket->empty()) return *env.gavel_socket;
  if (env.xdg_runtime_dir && !env.xdg_runtime_dir->empty() && env.xdg_runtime_dir->front() == '/') {
    std::string dir = *env.xdg_runtime_dir;
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    if (dir == "/") dir.clear();
    return dir + "/gavel/" + std::string(k_socket_file_name);
  }
  return "/tmp/gavel-" + std::to_string(env.uid) + "/" + std::string(k_socket_file_name);
}

std::string default_socket_path() {
  SocketEnv env;
  if (const char* s = std::getenv("GAVEL_SOCKET")) env.gavel_socket = s;
  if (const char* x = std::getenv("XDG_RUNTIME_DIR")) env.xdg_runtime_dir = x;
  env.uid = static_cast<unsigned>(::getuid());
  return socket_path_for(env);
}

std::string socket_directory(std::string_view socket_path) {
  const auto slash = socket_path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(socket_path.substr(0, slash));
}

}  // namespace gavel::protocol
