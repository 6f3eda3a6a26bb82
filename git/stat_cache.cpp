#include "git/stat_cache.hpp"

namespace gavel::git {

FileStamp FileStamp::of(const struct stat& st) noexcept {
  FileStamp s;
  s.mtime_s = st.st_mtim.tv_sec;
  s.mtime_ns = st.st_mtim.tv_nsec;
  s.ctime_s = st.st_ctim.tv_sec;
  s.ctime_ns = st.st_ctim.tv_nsec;
  s.ino = st.st_ino;
  s.dev = st.st_dev;
  s.size = static_cast<std::uint64_t>(st.st_size);
  s.mode = st.st_mode;
  s.uid = st.st_uid;
  s.gid = st.st_gid;
  return s;
}

std::optional<git_oid> StatCache::find(const std::string& path, const FileStamp& stamp) const {
  auto it = m_entries.find(path);
  if (it == m_entries.end() || !(it->second.stamp == stamp)) return std::nullopt;
  return it->second.id;
}

void StatCache::remember(const std::string& path, const FileStamp& stamp, const git_oid& id) {
  if (m_entries.size() >= k_max_entries && !m_entries.contains(path)) m_entries.clear();
  m_entries.insert_or_assign(path, Entry{stamp, id});
}

}  // namespace gavel::git
