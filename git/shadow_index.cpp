#include "git/shadow_index.hpp"

#include "git/worktree_file.hpp"

#include <chrono>

#include <sys/stat.h>

namespace gavel::git {

namespace {

// A stamp this close to "now" may be shared by a later write (coarse kernel clocks, or
// filesystems with 1-2 s timestamps), so it is never remembered.
constexpr std::int64_t k_racy_margin_ns = 100'000'000;
constexpr std::int64_t k_racy_margin_coarse_ns = 2'000'000'000;

std::int64_t ns(std::int64_t s, std::int64_t n) { return s * 1'000'000'000 + n; }

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool stat_matches(const git_index_entry& e, const struct stat& st) {
  return e.mtime.seconds == static_cast<std::int32_t>(st.st_mtim.tv_sec) &&
         e.mtime.nanoseconds == static_cast<std::uint32_t>(st.st_mtim.tv_nsec) &&
         e.ctime.seconds == static_cast<std::int32_t>(st.st_ctim.tv_sec) &&
         e.ctime.nanoseconds == static_cast<std::uint32_t>(st.st_ctim.tv_nsec) &&
         e.ino == static_cast<std::uint32_t>(st.st_ino) &&
         e.uid == static_cast<std::uint32_t>(st.st_uid) &&
         e.gid == static_cast<std::uint32_t>(st.st_gid) &&
         e.file_size == static_cast<std::uint32_t>(st.st_size);
}

// The mode libgit2 will see for the working-tree file, compared with the entry's.
bool mode_matches(std::uint32_t mode, const struct stat& st, bool filemode) {
  if (S_ISLNK(st.st_mode)) return mode == GIT_FILEMODE_LINK;
  if (!S_ISREG(st.st_mode)) return false;
  if (!filemode) return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
  return mode == ((st.st_mode & S_IXUSR) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB);
}

bool under(const char* path, const std::string& p) {
  const std::string_view s(path);
  return s == p || (s.size() > p.size() && s.starts_with(p) && s[p.size()] == '/');
}

}  // namespace

ShadowIndex::ShadowIndex(git_repository* repo, std::string workdir, std::string index_path)
    : m_repo(repo), m_workdir(std::move(workdir)), m_index_path(std::move(index_path)) {}

Result<void> ShadowIndex::sync() {
  struct stat st {};
  FileStamp stamp;  // all zero when there is no index file yet
  if (::stat(m_index_path.c_str(), &st) == 0) stamp = FileStamp::of(st);
  if (m_loaded && stamp == m_index_stamp) return {};

  git_index* repo_index = nullptr;  // the repository's own; reading it never writes
  if (git_repository_index(&repo_index, m_repo) < 0) {
    return git_failure(Errc::corrupt, "cannot load the index");
  }
  IndexPtr repo_ref(repo_index);
  if (git_index_read(repo_index, 1) < 0) return git_failure(Errc::corrupt, "cannot read the index");

  git_index* fresh = nullptr;
  if (git_index_new(&fresh) < 0) return git_failure(Errc::git, "cannot create an index");
  IndexPtr shadow(fresh);
  // Entry by entry (libgit2 1.8 exports no index copy): entries arrive sorted, so each add
  // appends. Conflict stages are kept; extensions (cache-tree, REUC) are not needed.
  const std::size_t n = git_index_entrycount(repo_index);
  for (std::size_t i = 0; i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(repo_index, i);
    if (!e) continue;
    int rc = 0;
    if (GIT_INDEX_ENTRY_STAGE(e) == 0) {
      rc = git_index_add(fresh, e);
    } else {  // stages 1-3 of one path are adjacent; add them as one conflict
      const git_index_entry* sides[4] = {nullptr, nullptr, nullptr, nullptr};
      const std::string path = e->path;
      for (; i < n; ++i) {
        const git_index_entry* c = git_index_get_byindex(repo_index, i);
        if (!c || path != c->path || GIT_INDEX_ENTRY_STAGE(c) == 0) break;
        sides[GIT_INDEX_ENTRY_STAGE(c)] = c;
      }
      --i;
      rc = git_index_conflict_add(fresh, sides[1], sides[2], sides[3]);
    }
    if (rc < 0) return git_failure(Errc::corrupt, "cannot copy the index");
  }
  git_config* cfg = nullptr;
  int filemode = 1;
  if (git_repository_config_snapshot(&cfg, m_repo) == 0) {
    ConfigPtr cfg_ref(cfg);
    if (git_config_get_bool(&filemode, cfg, "core.filemode") < 0) filemode = 1;
  }
  git_error_clear();
  m_filemode = filemode != 0;
  m_shadow = std::move(shadow);
  m_index_stamp = stamp;
  m_loaded = true;
  ++m_stats.reloads;
  return {};
}

Result<void> ShadowIndex::refresh(const std::vector<std::string>& paths) {
  const std::int64_t now = now_ns();
  git_index* idx = m_shadow.get();
  if (paths.empty()) {
    const std::size_t n = git_index_entrycount(idx);
    for (std::size_t i = 0; i < n; ++i) {
      const git_index_entry* e = git_index_get_byindex(idx, i);
      if (e) refresh_entry(*e, now);
    }
    return {};
  }
  for (const std::string& p : paths) {
    std::size_t pos = 0;
    if (git_index_find_prefix(&pos, idx, p.c_str()) < 0) {
      git_error_clear();
      continue;
    }
    for (; pos < git_index_entrycount(idx); ++pos) {
      const git_index_entry* e = git_index_get_byindex(idx, pos);
      if (!e || !std::string_view(e->path).starts_with(p)) break;
      if (under(e->path, p)) refresh_entry(*e, now);
    }
  }
  return {};
}

void ShadowIndex::refresh_entry(const git_index_entry& e, std::int64_t now) {
  if (GIT_INDEX_ENTRY_STAGE(&e) != 0 || e.mode == GIT_FILEMODE_COMMIT) return;
  const std::string path = e.path;
  struct stat st {};
  if (::lstat((m_workdir + path).c_str(), &st) != 0) return;  // deleted: the diff reports it
  if (!mode_matches(e.mode, st, m_filemode)) return;           // mode change: reported too

  const bool same = stat_matches(e, st);
  const bool racy = m_index_stamp.mtime_s != 0 &&
                    ns(e.mtime.seconds, e.mtime.nanoseconds) >=
                        ns(m_index_stamp.mtime_s, m_index_stamp.mtime_ns) - k_racy_margin_ns;
  if (same && !racy) return;  // libgit2 will trust the entry, as git would

  const FileStamp stamp = FileStamp::of(st);
  std::optional<git_oid> id = m_cache.find(path, stamp);
  if (!id) {
    auto hashed = hash_worktree_file(m_repo, m_workdir, path, st);
    if (!hashed) return;  // unreadable now: leave it to the diff
    ++m_stats.hashed;
    id = *hashed;
    const std::int64_t margin =
        st.st_mtim.tv_nsec == 0 ? k_racy_margin_coarse_ns : k_racy_margin_ns;
    if (ns(st.st_mtim.tv_sec, st.st_mtim.tv_nsec) < now - margin &&
        ns(st.st_ctim.tv_sec, st.st_ctim.tv_nsec) < now - margin) {
      m_cache.remember(path, stamp, *id);
    }
  }
  git_index_entry updated = e;
  if (git_oid_equal(&*id, &e.id)) {
    if (same) return;  // racy but verified: the stampless copy is trusted as is
    updated.ctime.seconds = static_cast<std::int32_t>(st.st_ctim.tv_sec);
    updated.ctime.nanoseconds = static_cast<std::uint32_t>(st.st_ctim.tv_nsec);
    updated.mtime.seconds = static_cast<std::int32_t>(st.st_mtim.tv_sec);
    updated.mtime.nanoseconds = static_cast<std::uint32_t>(st.st_mtim.tv_nsec);
    updated.dev = static_cast<std::uint32_t>(st.st_dev);
    updated.ino = static_cast<std::uint32_t>(st.st_ino);
    updated.uid = st.st_uid;
    updated.gid = st.st_gid;
    updated.file_size = static_cast<std::uint32_t>(st.st_size);
    ++m_stats.refreshed;
  } else if (same) {
    // Racily clean in the index but changed on disk: make libgit2 look at the content.
    updated.mtime.seconds = 0;
    updated.mtime.nanoseconds = 0;
  } else {
    return;  // modified: libgit2 sees the stat difference and hashes it itself
  }
  if (git_index_add(m_shadow.get(), &updated) < 0) git_error_clear();
}

}  // namespace gavel::git
