#include "daemon/control_socket.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

namespace gavel::daemon {

namespace {

Error errno_error(const std::string& what, int err) {
  return fail(Errc::io, what + ": " + std::strerror(err));
}

// True when something accepts connections on the Unix socket at `path`.
bool someone_listens(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return false;
  std::memcpy(addr.sun_path, path.data(), path.size());
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int rc;
  do {
    rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  } while (rc != 0 && errno == EINTR);
  // EAGAIN: a live listener with a full backlog.
  const bool live = rc == 0 || errno == EAGAIN;
  ::close(fd);
  return live;
}

}  // namespace

Result<void> prepare_socket_directory(const std::string& dir, uid_t owner) {
  if (::mkdir(dir.c_str(), 0700) == 0) {
    // mkdir applies the umask, which can only remove bits; make the mode exact anyway.
    if (::chmod(dir.c_str(), 0700) != 0) return errno_error("chmod " + dir, errno);
    return {};
  }
  if (errno != EEXIST) return errno_error("cannot create the socket directory " + dir, errno);
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0) return errno_error("stat " + dir, errno);
  if (!S_ISDIR(st.st_mode)) {
    return fail(Errc::conflict, dir + " is not a directory (a symlink is refused too); remove it");
  }
  if (st.st_uid != owner) {
    return fail(Errc::conflict, dir + " is owned by uid " + std::to_string(st.st_uid) +
                                    ", not by us (uid " + std::to_string(owner) + "); refusing it");
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(st.st_mode & 0777));
    return fail(Errc::conflict, dir + " is accessible by group or others (mode " + mode +
                                    "); it must be 0700: chmod 700 " + dir);
  }
  return {};
}

Result<void> clear_stale_socket(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return {};
    return errno_error("stat " + path, errno);
  }
  if (!S_ISSOCK(st.st_mode)) {
    return fail(Errc::conflict, path + " exists and is not a socket; refusing to replace it");
  }
  if (someone_listens(path)) {
    return fail(Errc::conflict, "gaveld is already running (it answers on " + path + ")");
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return errno_error("cannot remove the stale socket " + path, errno);
  }
  return {};
}

Result<FileId> file_id(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return errno_error("stat " + path, errno);
  return FileId{st.st_dev, st.st_ino};
}

void remove_socket_file(const std::string& path, const FileId& id) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return;
  if (st.st_dev == id.dev && st.st_ino == id.ino) ::unlink(path.c_str());
}

Result<PeerCredentials> peer_credentials(int fd) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    return errno_error("SO_PEERCRED", errno);
  }
  return PeerCredentials{cred.uid, cred.pid};
}

}  // namespace gavel::daemon
