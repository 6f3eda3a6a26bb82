#include "git/worktree_write.hpp"

#include "git/scratch.hpp"

#include <cerrno>
#include <cstring>
#include <random>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gavel::git {

namespace {

constexpr std::uint32_t k_link = 0120000;
constexpr std::uint32_t k_exec = 0100755;

Error os_error(const std::string& what, const std::string& rel) {
  return fail(Errc::io, what + " " + rel + ": " + std::strerror(errno));
}

std::string temp_name(const std::string& dir) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::ostringstream s;
  s << dir << ".gavel-tmp-" << std::hex << rng();
  return s.str();
}

// Creates the missing leading directories of `rel`; each existing one must be a real directory.
Result<void> make_parents(const std::string& workdir, const std::string& rel) {
  for (std::size_t slash = rel.find('/'); slash != std::string::npos;
       slash = rel.find('/', slash + 1)) {
    const std::string full = workdir + rel.substr(0, slash);
    struct stat st {};
    if (::lstat(full.c_str(), &st) != 0) {
      if (errno != ENOENT) return os_error("cannot stat", rel.substr(0, slash));
      if (::mkdir(full.c_str(), 0777) != 0 && errno != EEXIST) {
        return os_error("cannot create directory", rel.substr(0, slash));
      }
      if (::lstat(full.c_str(), &st) != 0) return os_error("cannot stat", rel.substr(0, slash));
    }
    if (!S_ISDIR(st.st_mode)) {
      return fail(Errc::conflict, "not a directory (a file or symlink is in the way): " +
                                      rel.substr(0, slash));
    }
  }
  return {};
}

Result<void> write_all(int fd, std::string_view bytes, const std::string& rel) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return os_error("cannot write", rel);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  if (::fsync(fd) != 0) return os_error("cannot sync", rel);
  return {};
}

}  // namespace

bool is_writable_path(const std::string& rel) {
  if (!is_confined_path(rel)) return false;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = rel.find('/', start);
    const std::string_view part =
        std::string_view(rel).substr(start, end == std::string::npos ? end : end - start);
    if (part.empty() || part == ".") return false;
    if (end == std::string::npos) return true;
    start = end + 1;
  }
}

Result<void> check_parents(const std::string& workdir, const std::string& rel,
                           const std::function<bool(const std::string&)>& will_be_removed) {
  for (std::size_t slash = rel.find('/'); slash != std::string::npos;
       slash = rel.find('/', slash + 1)) {
    const std::string part = rel.substr(0, slash);
    struct stat st {};
    if (::lstat((workdir + part).c_str(), &st) != 0) {
      if (errno == ENOENT) return {};  // nothing deeper exists either
      return os_error("cannot stat", part);
    }
    if (S_ISDIR(st.st_mode)) continue;
    if (will_be_removed && will_be_removed(part)) return {};
    return fail(Errc::conflict, (S_ISLNK(st.st_mode) ? "path goes through a symlink: "
                                                     : "path goes through a file: ") + rel);
  }
  return {};
}

Result<void> write_worktree_file(const std::string& workdir, const std::string& rel,
                                 std::string_view bytes, std::uint32_t mode) {
  if (!is_writable_path(rel)) return fail(Errc::invalid_argument, "refusing to write " + rel);
  if (auto r = make_parents(workdir, rel); !r) return r;
  const std::string full = workdir + rel;
  const std::string dir = full.substr(0, full.rfind('/') + 1);

  struct stat old {};
  const bool exists = ::lstat(full.c_str(), &old) == 0;
  if (exists && S_ISDIR(old.st_mode)) {
    return fail(Errc::conflict, "a directory is in the way of " + rel);
  }
  const std::string tmp = temp_name(dir);
  if (mode == k_link) {
    if (bytes.find('\0') != std::string_view::npos) {
      return fail(Errc::invalid_argument, "symlink target holds a NUL byte: " + rel);
    }
    if (::symlink(std::string(bytes).c_str(), tmp.c_str()) != 0) {
      return os_error("cannot create symlink", rel);
    }
  } else {
    const bool exec = mode == k_exec;
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                          exec ? 0777 : 0666);
    if (fd < 0) return os_error("cannot create", rel);
    Result<void> written = write_all(fd, bytes, rel);
    if (written && exists && S_ISREG(old.st_mode)) {
      mode_t perms = old.st_mode & 07777;
      perms = exec ? (perms | ((perms & 0444) >> 2)) : (perms & ~mode_t{0111});
      if (::fchmod(fd, perms) != 0) written = os_error("cannot set mode of", rel);
    }
    ::close(fd);
    if (!written) {
      ::unlink(tmp.c_str());
      return written;
    }
  }
  if (::rename(tmp.c_str(), full.c_str()) != 0) {
    Error e = os_error("cannot replace", rel);
    ::unlink(tmp.c_str());
    return e;
  }
  return {};
}

Result<void> remove_worktree_file(const std::string& workdir, const std::string& rel) {
  if (!is_writable_path(rel)) return fail(Errc::invalid_argument, "refusing to remove " + rel);
  if (auto r = check_parents(workdir, rel); !r) return r;
  const std::string full = workdir + rel;
  struct stat st {};
  if (::lstat(full.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return {};
    return os_error("cannot stat", rel);
  }
  if (S_ISDIR(st.st_mode)) return fail(Errc::conflict, "a directory is in the way of " + rel);
  if (::unlink(full.c_str()) != 0) return os_error("cannot remove", rel);
  for (std::size_t slash = rel.rfind('/'); slash != std::string::npos && slash > 0;
       slash = rel.rfind('/', slash - 1)) {
    if (::rmdir((workdir + rel.substr(0, slash)).c_str()) != 0) break;  // not empty: stop
  }
  return {};
}

}  // namespace gavel::git
