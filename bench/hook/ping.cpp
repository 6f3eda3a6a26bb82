// bench_hook_ping: the hook benchmark's reference "small compiled client doing one Unix-socket
// round trip": connects to $GAVEL_SOCKET, sends one `status` request line, reads the reply
// line; exit 0 when the daemon answered ok, 1 otherwise. Plain POSIX, no gavel library, so its
// cost is a process start plus the round trip.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

int main() {
  const char* path = std::getenv("GAVEL_SOCKET");
  if (!path || std::strlen(path) >= sizeof(sockaddr_un::sun_path)) return 1;
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strcpy(addr.sun_path, path);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return 1;
  const std::string request = "{\"id\":1,\"command\":\"status\"}\n";
  if (::write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) return 1;
  std::string reply;
  char buf[4096];
  while (reply.find('\n') == std::string::npos) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return 1;
    reply.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return reply.find("\"ok\":true") != std::string::npos ? 0 : 1;
}
