#pragma once
// TempGitRepo: a real git repository in a fresh temporary directory, for tests of anything that
// reads repositories (git/, the daemon's watcher, integration tests).
//
// Runs the git CLI with a clean, deterministic environment: no system or user config
// (GIT_CONFIG_NOSYSTEM=1, HOME and XDG_CONFIG_HOME inside the temp dir), fixed author and dates,
// LC_ALL=C, init.defaultBranch=main, protocol.file.allow=always (local submodules). The
// directory is removed by the destructor unless the current test failed or GAVEL_KEEP_TEMP is
// set; then its path is printed so the case can be inspected. Used from the test thread only.
// Depends on POSIX and GoogleTest only, nothing of gavel's.

#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::test {

struct RunResult {
  int status = -1;  // exit status; -1 when the command could not run or was killed
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] looked up in PATH) in `cwd` with `env` as the whole environment;
// stdout and stderr are captured byte for byte.
RunResult run_process(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                      const std::vector<std::string>& env);

class TempGitRepo {
 public:
  enum class Init { repo, bare, none };

  explicit TempGitRepo(Init init = Init::repo);
  TempGitRepo(const TempGitRepo&) = delete;
  TempGitRepo& operator=(const TempGitRepo&) = delete;
  ~TempGitRepo();

  // The repository's working tree (or the bare repository, or an empty dir for Init::none).
  const std::filesystem::path& path() const noexcept { return m_path; }
  // The temp dir holding path(), a fake HOME and anything else a test wants to put beside it.
  const std::filesystem::path& root() const noexcept { return m_root; }
  // The clean environment git runs with (as "NAME=value").
  const std::vector<std::string>& env() const noexcept { return m_env; }

  // Runs `git <args>` in `cwd` (default: path()). run_git returns the result as is; git()
  // records a test failure when git exits non-zero and returns stdout.
  RunResult run_git(const std::vector<std::string>& args, const std::filesystem::path& cwd = {}) const;
  std::string git(const std::vector<std::string>& args, const std::filesystem::path& cwd = {}) const;

  // File helpers, paths relative to path(); parent directories are created.
  void write(std::string_view rel, std::string_view content) const;
  std::string read(std::string_view rel) const;
  void remove(std::string_view rel) const;
  void symlink(std::string_view target, std::string_view rel) const;
  void set_executable(std::string_view rel, bool executable) const;
  // Changes mtime (and so ctime) of `rel` without changing its content.
  void touch(std::string_view rel) const;
  // When the directory survives the destructor. Default on_failure: kept when the current test
  // has failed (or GAVEL_KEEP_TEMP is set). A loop of many cases in one test sets it per case.
  enum class Keep { on_failure, always, never };
  void set_keep(Keep keep) noexcept { m_keep = keep; }

  // `git add -A && git commit -m <message>`; returns the new commit id.
  std::string commit_all(std::string_view message = "commit") const;

 private:
  std::filesystem::path m_root;
  std::filesystem::path m_path;
  std::vector<std::string> m_env;
  Keep m_keep = Keep::on_failure;
};

}  // namespace gavel::test
