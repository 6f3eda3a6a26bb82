#include "agents/process_tempdir.hpp"

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gavel::agents {

Result<ProcessTempDir> ProcessTempDir::create() {
  std::error_code ec;
  auto base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string templ = (base / "gavel-agent-XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr) {  // mkdtemp creates it 0700
    return fail(Errc::io,
                "cannot create a temp dir under " + base.string() + ": " + std::strerror(errno));
  }
  return ProcessTempDir(std::filesystem::path(templ));
}

ProcessTempDir::ProcessTempDir(ProcessTempDir&& other) noexcept : m_path(std::move(other.m_path)) {
  other.m_path.clear();
}

ProcessTempDir::~ProcessTempDir() {
  if (m_path.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

Result<std::filesystem::path> ProcessTempDir::write_file(const std::string& name,
                                                         std::string_view content) {
  const auto file = m_path / name;
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::io, "cannot create " + file.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < content.size()) {
    const auto n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return fail(Errc::io, "cannot write " + file.string() + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) {
    return fail(Errc::io, "cannot write " + file.string() + ": " + std::strerror(errno));
  }
  return file;
}

Result<std::string> ProcessTempDir::read_capped(const std::filesystem::path& file, std::size_t cap,
                                                bool& truncated) {
  truncated = false;
  // The agent controls this path: O_NONBLOCK so that a FIFO planted there cannot block the
  // event loop on open, and only a regular file is read.
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    return fail(errno == ENOENT ? Errc::not_found : Errc::io,
                "cannot read " + file.string() + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return fail(Errc::io, "cannot read " + file.string() + ": not a regular file");
  }
  std::string out;
  char chunk[64 * 1024];
  while (true) {
    const auto n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return fail(Errc::io, "cannot read " + file.string() + ": " + std::strerror(err));
    }
    if (n == 0) break;
    const auto room = out.size() < cap ? cap - out.size() : 0;
    const auto got = static_cast<std::size_t>(n);
    out.append(chunk, got < room ? got : room);
    if (got > room) {
      truncated = true;
      break;
    }
  }
  ::close(fd);
  return out;
}

}  // namespace gavel::agents
