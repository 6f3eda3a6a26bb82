#include "git/ignore.hpp"

#include "git/libgit2.hpp"

#include <system_error>

namespace gavel::git {

namespace {

// Bound on cached decisions; a polling walk of a huge tree asks about every file.
constexpr std::size_t k_cache_limit = 200'000;

std::string with_slash(const char* p) {
  std::string s = p ? p : "";
  if (!s.empty() && s.back() != '/') s += '/';
  return s;
}

}  // namespace

void IgnoreRules::RepoFree::operator()(git_repository* r) const noexcept { git_repository_free(r); }
void IgnoreRules::IndexFree::operator()(git_index* i) const noexcept { git_index_free(i); }

IgnoreRules::IgnoreRules(IgnoreRules&&) noexcept = default;
IgnoreRules& IgnoreRules::operator=(IgnoreRules&&) noexcept = default;
IgnoreRules::~IgnoreRules() = default;

Result<IgnoreRules> IgnoreRules::open(const std::filesystem::path& workdir) {
  ensure_libgit2();
  std::error_code ec;
  if (!std::filesystem::is_directory(workdir, ec)) {
    return fail(Errc::not_a_repository, "not a directory: " + workdir.string());
  }
  const std::string start = std::filesystem::absolute(workdir, ec).string();
  git_repository* raw = nullptr;
  // Opening reads config and HEAD only; the index is not loaded (see trim()).
  const int rc = git_repository_open_ext(&raw, start.c_str(), 0, nullptr);
  IgnoreRules out;
  out.m_repo.reset(raw);
  if (rc == GIT_ENOTFOUND) return fail(Errc::not_a_repository, "not a git repository: " + start);
  if (rc < 0) return git_failure(Errc::git, "cannot open repository at " + start);
  if (git_repository_is_bare(raw) || !git_repository_workdir(raw)) {
    return fail(Errc::bare_repository, "bare repository has no working tree: " + start);
  }
  out.m_workdir = with_slash(git_repository_workdir(raw));
  out.m_gitdir = with_slash(git_repository_path(raw));
  out.m_commondir = with_slash(git_repository_commondir(raw));
  out.m_index_path = out.m_gitdir + "index";
  return out;
}

bool IgnoreRules::ignored(std::string_view rel, PathKind kind) {
  std::string key = (kind == PathKind::directory ? "d:" : "f:") + std::string(rel);
  if (auto it = m_cache.find(key); it != m_cache.end()) return it->second;

  const std::string path(rel);
  int is_ignored = 0;
  bool answer = false;
  if (git_ignore_path_is_ignored(&is_ignored, m_repo.get(), path.c_str()) == 0 && is_ignored) {
    answer = !tracked(path, kind);
  }
  if (m_cache.size() >= k_cache_limit) m_cache.clear();
  m_cache.emplace(std::move(key), answer);
  return answer;
}

bool IgnoreRules::tracked(const std::string& rel, PathKind kind) {
  if (!m_index) {
    git_index* raw = nullptr;
    if (git_index_open(&raw, m_index_path.c_str()) < 0) return false;
    m_index.reset(raw);
  }
  // Re-reads the file only when its stat changed; reading takes no lock.
  if (git_index_read(m_index.get(), 0) < 0) return false;
  if (kind == PathKind::file) return git_index_get_bypath(m_index.get(), rel.c_str(), 0) != nullptr;
  std::size_t pos = 0;
  return git_index_find_prefix(&pos, m_index.get(), (rel + "/").c_str()) == 0;
}

void IgnoreRules::invalidate() { m_cache.clear(); }

void IgnoreRules::trim() {
  m_index.reset();
  m_cache.clear();
  m_cache.rehash(0);  // give the buckets back too
  if (m_repo) git_attr_cache_flush(m_repo.get());  // libgit2's parsed .gitignore files
}

}  // namespace gavel::git
