#include "daemon/registry.hpp"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace gavel::daemon {

namespace fs = std::filesystem;

Result<Registry> Registry::load(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail(Errc::io, "cannot create " + dir.string() + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);
  Registry r;
  r.m_file = dir / k_file_name;
  std::ifstream in(r.m_file, std::ios::binary);
  if (!in) return r;
  std::stringstream text;
  text << in.rdbuf();
  try {
    auto json = nlohmann::json::parse(text.str());
    for (const auto& p : json.at("repos")) r.m_repos.push_back(p.get<std::string>());
  } catch (const nlohmann::json::exception& e) {
    return fail(Errc::parse, r.m_file.string() + ": not a gavel registry: " + e.what());
  }
  return r;
}

bool Registry::contains(const std::string& path) const {
  return std::find(m_repos.begin(), m_repos.end(), path) != m_repos.end();
}

Result<void> Registry::add(const std::string& path) {
  if (contains(path)) return {};
  auto next = m_repos;
  next.push_back(path);
  if (auto r = save(next); !r) return r;
  m_repos = std::move(next);
  return {};
}

Result<void> Registry::remove(const std::string& path) {
  if (!contains(path)) return {};
  auto next = m_repos;
  next.erase(std::remove(next.begin(), next.end(), path), next.end());
  if (auto r = save(next); !r) return r;
  m_repos = std::move(next);
  return {};
}

Result<void> Registry::save(const std::vector<std::string>& repos) const {
  const std::string text = nlohmann::json{{"version", 1}, {"repos", repos}}.dump(2) + "\n";
  const fs::path tmp = m_file.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::io, "cannot write " + tmp.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      return fail(Errc::io, "cannot write " + tmp.string() + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || ::rename(tmp.c_str(), m_file.c_str()) != 0) {
    return fail(Errc::io, "cannot replace " + m_file.string() + ": " + std::strerror(errno));
  }
  if (int dfd = ::open(m_file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

}  // namespace gavel::daemon
