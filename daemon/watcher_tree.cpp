#include "daemon/watcher_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string_view>
#include <vector>

namespace gavel::daemon::watch {

namespace {

// The files in the git directory whose change or appearance matters (docs/daemon.md).
constexpr std::array<const char*, 9> k_git_state_files = {
    "HEAD",           "index",       "MERGE_HEAD",   "CHERRY_PICK_HEAD", "REVERT_HEAD",
    "BISECT_LOG",     "rebase-merge", "rebase-apply", "packed-refs"};

struct DirCloser {
  void operator()(DIR* d) const noexcept { closedir(d); }
};

// FNV-1a over raw bytes: cheap, stable within one process, good enough to see a difference.
struct Hasher {
  std::uint64_t h = 1469598103934665603ull;
  void bytes(const void* p, std::size_t n) {
    const auto* c = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ c[i]) * 1099511628211ull;
  }
  void text(std::string_view s) {
    bytes(s.data(), s.size());
    bytes("", 1);  // separator, so ("ab", "c") and ("a", "bc") differ
  }
  void stat_of(const struct stat& st) {
    bytes(&st.st_mode, sizeof st.st_mode);
    bytes(&st.st_size, sizeof st.st_size);
    bytes(&st.st_ino, sizeof st.st_ino);
    bytes(&st.st_mtim, sizeof st.st_mtim);
    bytes(&st.st_ctim, sizeof st.st_ctim);
  }
};

bool is_nested_repository(int dirfd, const char* name) {
  const std::string probe = std::string(name) + "/.git";
  return faccessat(dirfd, probe.c_str(), F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

// Hashes `dir` (absolute, ending in '/') and everything below it, except lock files.
void hash_git_subtree(Hasher& hash, const std::string& dir, int depth) {
  std::unique_ptr<DIR, DirCloser> d(opendir(dir.c_str()));
  if (!d || depth > 16) return;
  std::vector<std::string> names;
  while (const dirent* e = readdir(d.get())) {
    const std::string_view name = e->d_name;
    if (name == "." || name == ".." || name.ends_with(".lock")) continue;
    names.emplace_back(name);
  }
  std::sort(names.begin(), names.end());  // readdir order is not stable across renames
  for (const auto& name : names) {
    struct stat st {};
    const std::string path = dir + name;
    if (lstat(path.c_str(), &st) != 0) continue;
    hash.text(path);
    hash.stat_of(st);
    if (S_ISDIR(st.st_mode)) hash_git_subtree(hash, path + "/", depth + 1);
  }
}

}  // namespace

std::string join_rel(const std::string& dir_rel, std::string_view name) {
  if (dir_rel.empty()) return std::string(name);
  std::string out;
  out.reserve(dir_rel.size() + 1 + name.size());
  out.append(dir_rel).append("/").append(name);
  return out;
}

bool walk_tree(const std::string& root, const std::string& start_rel, git::IgnoreRules& rules,
               const TreeVisitor& visitor) {
  std::vector<std::string> stack{start_rel};
  while (!stack.empty()) {
    const std::string rel = std::move(stack.back());
    stack.pop_back();
    const std::string abs = rel.empty() ? root : root + rel;
    const int fd = open(abs.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) continue;  // vanished, a symlink now, or unreadable
    struct stat st {};
    if (fstat(fd, &st) != 0) {
      close(fd);
      continue;
    }
    const Visit v = visitor.on_dir(rel, st);
    if (v == Visit::stop) {
      close(fd);
      return false;
    }
    if (v == Visit::skip) {
      close(fd);
      continue;
    }
    std::unique_ptr<DIR, DirCloser> d(fdopendir(fd));
    if (!d) {
      close(fd);
      continue;
    }
    while (const dirent* e = readdir(d.get())) {
      const std::string_view name = e->d_name;
      if (name == "." || name == ".." || name == ".git") continue;
      unsigned char type = e->d_type;
      struct stat est {};
      const bool need_stat = type == DT_UNKNOWN || (visitor.on_file && type != DT_DIR);
      if (need_stat) {
        if (fstatat(dirfd(d.get()), e->d_name, &est, AT_SYMLINK_NOFOLLOW) != 0) continue;
        type = S_ISDIR(est.st_mode) ? DT_DIR : S_ISREG(est.st_mode) ? DT_REG
                                           : S_ISLNK(est.st_mode) ? DT_LNK : DT_UNKNOWN;
      }
      std::string child = join_rel(rel, name);
      if (type == DT_DIR) {
        if (is_nested_repository(dirfd(d.get()), e->d_name)) continue;
        if (rules.ignored(child, git::PathKind::directory)) continue;
        stack.push_back(std::move(child));
      } else if (visitor.on_file && (type == DT_REG || type == DT_LNK)) {
        if (!rules.ignored(child, git::PathKind::file)) visitor.on_file(child, est);
      }
    }
  }
  return true;
}

PollSample sample_repository(git::IgnoreRules& rules, ino_t root_ino) {
  PollSample out;
  struct stat st {};
  const std::string& root = rules.workdir();
  if (lstat(root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_ino != root_ino) {
    out.gone = true;
    out.reason = "working tree deleted or moved: " + root;
    return out;
  }
  if (lstat(rules.gitdir().c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    out.gone = true;
    out.reason = "git directory deleted or moved: " + rules.gitdir();
    return out;
  }

  Hasher work;
  TreeVisitor visitor;
  // Directory stats catch creations, deletions and renames; file stats catch content writes.
  visitor.on_dir = [&](const std::string& rel, const struct stat& dst) {
    work.text(rel);
    work.stat_of(dst);
    return Visit::descend;
  };
  visitor.on_file = [&](const std::string& rel, const struct stat& fst) {
    work.text(rel);
    work.stat_of(fst);
  };
  walk_tree(root, "", rules, visitor);
  out.work = work.h;

  Hasher git;
  for (const char* name : k_git_state_files) {
    const std::string path = rules.gitdir() + name;
    if (lstat(path.c_str(), &st) != 0) continue;
    git.text(name);
    git.stat_of(st);
  }
  for (const char* name : {"packed-refs", "info/exclude"}) {
    const std::string path = rules.commondir() + name;
    if (lstat(path.c_str(), &st) != 0) continue;
    git.text(path);
    git.stat_of(st);
  }
  hash_git_subtree(git, rules.commondir() + "refs/heads/", 0);
  out.git = git.h;
  return out;
}

}  // namespace gavel::daemon::watch
