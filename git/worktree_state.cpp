#include "git/worktree_state.hpp"

#include <cerrno>
#include <cstring>
#include <set>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gavel::git {

namespace {

using StatusListPtr = std::unique_ptr<git_status_list, Free<git_status_list, git_status_list_free>>;

// Whether every leading directory of `rel` is a real directory (not a symlink); `good` caches
// the directories already seen to be so.
bool under_real_dirs(const std::string& workdir, const std::string& rel, std::set<std::string>& good) {
  for (std::size_t slash = rel.find('/'); slash != std::string::npos;
       slash = rel.find('/', slash + 1)) {
    std::string dir = rel.substr(0, slash);
    if (good.count(dir)) continue;
    struct stat st {};
    if (::lstat((workdir + dir).c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
    good.insert(std::move(dir));
  }
  return true;
}

// The git mode of the file at `full`, or 0 when there is none git would record.
std::uint32_t mode_on_disk(const std::string& full) {
  struct stat st {};
  if (::lstat(full.c_str(), &st) != 0) return 0;
  if (S_ISLNK(st.st_mode)) return 0120000;
  if (S_ISREG(st.st_mode)) return (st.st_mode & S_IXUSR) ? 0100755 : 0100644;
  return 0;
}

int collect_blob(const char* root, const git_tree_entry* entry, void* payload) {
  if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return 0;
  auto& out = *static_cast<std::map<std::string, TreeFile>*>(payload);
  TreeFile f;
  f.mode = static_cast<std::uint32_t>(git_tree_entry_filemode_raw(entry));
  git_oid_cpy(&f.id, git_tree_entry_id(entry));
  out.emplace(std::string(root) + git_tree_entry_name(entry), f);
  return 0;
}

}  // namespace

Result<std::map<std::string, std::uint32_t>> list_worktree_files(git_repository* repo,
                                                                 const std::string& workdir) {
  std::set<std::string> paths;
  git_index* index = nullptr;  // owned by the repository; read, never written
  if (git_repository_index(&index, repo) != 0) return git_failure(Errc::corrupt, "read the index");
  IndexPtr index_ref(index);
  if (git_index_read(index, 0) != 0) return git_failure(Errc::corrupt, "read the index");
  for (std::size_t i = 0, n = git_index_entrycount(index); i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(index, i);
    if (e->mode == GIT_FILEMODE_COMMIT) continue;
    paths.insert(e->path);
  }

  git_status_options so = GIT_STATUS_OPTIONS_INIT;
  so.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
  so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
             GIT_STATUS_OPT_EXCLUDE_SUBMODULES;  // never GIT_STATUS_OPT_UPDATE_INDEX
  git_status_list* raw = nullptr;
  if (git_status_list_new(&raw, repo, &so) != 0) return git_failure(Errc::git, "list untracked files");
  StatusListPtr status(raw);
  for (std::size_t i = 0, n = git_status_list_entrycount(raw); i < n; ++i) {
    const git_status_entry* s = git_status_byindex(raw, i);
    if (!(s->status & GIT_STATUS_WT_NEW) || !s->index_to_workdir) continue;
    const char* p = s->index_to_workdir->new_file.path;
    if (p && *p && p[std::strlen(p) - 1] != '/') paths.insert(p);  // "dir/": a nested repository
  }

  std::map<std::string, std::uint32_t> out;
  std::set<std::string> good_dirs;
  for (const std::string& p : paths) {
    if (!under_real_dirs(workdir, p, good_dirs)) continue;
    if (const std::uint32_t mode = mode_on_disk(workdir + p)) out.emplace(p, mode);
  }
  return out;
}

Result<std::string> read_raw_file(const std::string& workdir, const std::string& rel) {
  const std::string full = workdir + rel;
  struct stat st {};
  if (::lstat(full.c_str(), &st) != 0) {
    const Errc code = errno == ENOENT || errno == ENOTDIR ? Errc::not_found : Errc::io;
    return fail(code, "cannot stat " + rel + ": " + std::strerror(errno));
  }
  std::string out;
  if (S_ISLNK(st.st_mode)) {
    out.resize(static_cast<std::size_t>(st.st_size) + 256);
    const ssize_t n = ::readlink(full.c_str(), out.data(), out.size());
    if (n < 0) return fail(Errc::io, "cannot read link " + rel + ": " + std::strerror(errno));
    if (static_cast<std::size_t>(n) == out.size()) return fail(Errc::conflict, "link changed while read: " + rel);
    out.resize(static_cast<std::size_t>(n));
    return out;
  }
  const int fd = ::open(full.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return fail(Errc::io, "cannot open " + rel + ": " + std::strerror(errno));
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return fail(Errc::io, "cannot read " + rel + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

Result<git_oid> write_worktree_tree(git_repository* repo, const std::string& workdir) {
  auto files = list_worktree_files(repo, workdir);
  if (!files) return files.error();
  git_index* raw = nullptr;
  if (git_index_new(&raw) != 0) return git_failure(Errc::git, "in-memory index");
  IndexPtr index(raw);
  for (const auto& [path, mode] : *files) {
    auto bytes = read_raw_file(workdir, path);
    if (!bytes) {
      if (bytes.error().code == Errc::not_found) continue;  // removed meanwhile
      return bytes.error();
    }
    git_index_entry e{};
    e.path = path.c_str();
    e.mode = mode;
    if (git_blob_create_from_buffer(&e.id, repo, bytes->data(), bytes->size()) != 0) {
      return git_failure(Errc::git, "save " + path);
    }
    if (git_index_add(index.get(), &e) != 0) return git_failure(Errc::git, "record " + path);
  }
  git_oid tree{};
  if (git_index_write_tree_to(&tree, index.get(), repo) != 0) {
    return git_failure(Errc::git, "write the working tree's tree");
  }
  return tree;
}

Result<std::map<std::string, TreeFile>> read_tree_files(git_repository* repo, const git_oid& tree) {
  git_tree* raw = nullptr;
  if (git_tree_lookup(&raw, repo, &tree) != 0) return git_failure(Errc::corrupt, "read tree " + hex(tree));
  TreePtr owned(raw);
  std::map<std::string, TreeFile> out;
  if (git_tree_walk(raw, GIT_TREEWALK_PRE, collect_blob, &out) != 0) {
    return git_failure(Errc::corrupt, "walk tree " + hex(tree));
  }
  return out;
}

}  // namespace gavel::git
