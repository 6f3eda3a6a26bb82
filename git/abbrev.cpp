#include "git/abbrev.hpp"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

namespace gavel::git {

namespace {

constexpr int k_fallback_abbrev = 7;
constexpr int k_hex_size = GIT_OID_SHA1_HEXSIZE;

// Objects listed in one pack index (v1 or v2): the last entry of its fan-out table.
std::uint64_t idx_object_count(const std::filesystem::path& idx) {
  std::FILE* f = std::fopen(idx.c_str(), "rb");
  if (!f) return 0;
  unsigned char head[8];
  std::uint64_t count = 0;
  if (std::fread(head, 1, 8, f) == 8) {
    const bool v2 = head[0] == 0xff && head[1] == 't' && head[2] == 'O' && head[3] == 'c';
    const long at = (v2 ? 8 : 0) + 255 * 4;
    unsigned char n[4];
    if (std::fseek(f, at, SEEK_SET) == 0 && std::fread(n, 1, 4, f) == 4) {
      count = (std::uint64_t{n[0]} << 24) | (std::uint64_t{n[1]} << 16) |
              (std::uint64_t{n[2]} << 8) | n[3];
    }
  }
  std::fclose(f);
  return count;
}

// git's repo_approximate_object_count: packed objects only.
std::uint64_t packed_object_count(git_repository* repo) {
  std::error_code ec;
  const std::filesystem::path dir =
      std::filesystem::path(git_repository_commondir(repo)) / "objects" / "pack";
  std::uint64_t total = 0;
  for (auto it = std::filesystem::directory_iterator(dir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (it->path().extension() == ".idx") total += idx_object_count(it->path());
  }
  return total;
}

int auto_length(std::uint64_t count) {
  int msb = 0;
  while (count >> msb) ++msb;  // index of the highest set bit, plus one
  const int bits = msb;        // git: msb(count) + 1, where msb(1) == 0
  const int len = (bits + 1) / 2;
  return len < k_fallback_abbrev ? k_fallback_abbrev : len;
}

}  // namespace

Abbreviator::Abbreviator(git_repository* repo) {
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, repo) == 0) m_odb.reset(odb);
  git_error_clear();

  int configured = -1;  // -1: auto
  git_config* cfg = nullptr;
  if (git_repository_config_snapshot(&cfg, repo) == 0) {
    ConfigPtr cfg_ref(cfg);
    git_buf value = GIT_BUF_INIT;
    if (git_config_get_string_buf(&value, cfg, "core.abbrev") == 0) {
      const std::string v(value.ptr, value.size);
      if (v == "no" || v == "false" || v == "off") {
        configured = k_hex_size;
      } else if (v != "auto") {
        try {
          configured = std::stoi(v);
        } catch (...) {
          configured = -1;
        }
      }
    }
    git_buf_dispose(&value);
  }
  git_error_clear();
  if (configured > 0) {
    m_min = configured < 4 ? 4 : (configured > k_hex_size ? k_hex_size : configured);
  } else {
    m_min = auto_length(packed_object_count(repo));
  }
}

std::string Abbreviator::abbreviate(const git_oid& id) const {
  char full[k_hex_size + 1];
  git_oid_tostr(full, sizeof full, &id);
  int len = m_min;
  while (m_odb && len < k_hex_size) {
    git_oid found{};
    const int rc = git_odb_exists_prefix(&found, m_odb.get(), &id, static_cast<std::size_t>(len));
    if (rc == GIT_ENOTFOUND || (rc == 0 && git_oid_equal(&found, &id))) break;
    if (rc < 0 && rc != GIT_EAMBIGUOUS) break;  // unreadable database: keep the minimum
    ++len;
  }
  git_error_clear();
  return std::string(full, static_cast<std::size_t>(len));
}

}  // namespace gavel::git
