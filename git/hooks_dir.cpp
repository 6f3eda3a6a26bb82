#include "git/hooks_dir.hpp"

#include "git/libgit2.hpp"
#include "git/repository.hpp"

#include <cstdlib>

namespace gavel::git {

namespace {

// core.hooksPath from the repository's configuration (all levels); empty when unset.
Result<std::string> configured_hooks_path(git_repository* repo) {
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo) < 0) {
    return git_failure(Errc::corrupt, "cannot read the repository configuration");
  }
  ConfigPtr config(raw);
  const char* value = nullptr;
  const int rc = git_config_get_string(&value, raw, "core.hooksPath");
  if (rc == GIT_ENOTFOUND) {
    git_error_clear();
    return std::string();
  }
  if (rc < 0) return git_failure(Errc::corrupt, "cannot read core.hooksPath");
  return std::string(value ? value : "");
}

}  // namespace

Result<HooksLocation> hooks_location(const std::filesystem::path& dir) {
  auto repo = Repository::open(dir);
  if (!repo) return repo.error();
  HooksLocation out;
  out.workdir = std::filesystem::path(repo->workdir()).lexically_normal();
  out.gitdir = std::filesystem::path(repo->gitdir()).lexically_normal();
  auto configured = configured_hooks_path(repo->raw());
  if (!configured) return configured.error();
  std::string value = *configured;
  if (!value.empty()) {
    if (value.rfind("~/", 0) == 0) {
      const char* home = std::getenv("HOME");
      value = std::string(home ? home : "") + value.substr(1);
    }
    std::filesystem::path p(value);
    out.dir = (p.is_absolute() ? p : out.workdir / p).lexically_normal();
    out.from_config = true;
    return out;
  }
  const char* common = git_repository_commondir(repo->raw());
  out.dir = (std::filesystem::path(common ? common : repo->gitdir()) / "hooks").lexically_normal();
  return out;
}

}  // namespace gavel::git
