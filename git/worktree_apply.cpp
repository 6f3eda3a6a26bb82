#include "git/worktree_apply.hpp"

#include "git/apply_checks.hpp"
#include "git/libgit2.hpp"
#include "git/repository.hpp"
#include "git/snapshot.hpp"
#include "git/worktree_file.hpp"
#include "git/worktree_state.hpp"
#include "git/worktree_write.hpp"

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>

#include <sys/stat.h>

namespace gavel::git {

namespace {

// What the patch does to one path: the bytes to write (mode != 0) or a removal (mode == 0).
struct Change {
  std::uint32_t mode = 0;
  std::string bytes;
};

bool is_null_path(const char* p) { return p == nullptr || *p == '\0' || std::strcmp(p, "/dev/null") == 0; }

// Every path the patch reads or writes, after checking each is safe to write.
Result<std::set<std::string>> touched_paths(git_diff* diff, const std::string& workdir) {
  std::set<std::string> paths, removed;
  for (std::size_t i = 0, n = git_diff_num_deltas(diff); i < n; ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff, i);
    if (d->old_file.mode == GIT_FILEMODE_COMMIT || d->new_file.mode == GIT_FILEMODE_COMMIT) {
      return fail(Errc::invalid_argument, std::string("patch changes a submodule: ") + d->new_file.path);
    }
    for (const git_diff_file* f : {&d->old_file, &d->new_file}) {
      if (is_null_path(f->path)) continue;
      if (!is_writable_path(f->path)) {
        return fail(Errc::invalid_argument,
                    std::string("patch touches a path outside the working tree or under .git: ") + f->path);
      }
      paths.insert(f->path);
    }
    if (d->status == GIT_DELTA_DELETED || d->status == GIT_DELTA_RENAMED) removed.insert(d->old_file.path);
  }
  if (paths.empty()) return fail(Errc::invalid_argument, "the patch changes nothing");
  auto is_removed = [&](const std::string& p) { return removed.count(p) > 0; };
  for (const std::string& p : paths) {
    if (auto r = check_parents(workdir, p, is_removed); !r) return fail(Errc::invalid_argument, r.error().message);
  }
  return paths;
}

// A second handle on the repository whose object writes go to memory only.
Result<RepositoryPtr> open_in_memory(const std::string& workdir) {
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, workdir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
    return git_failure(Errc::git, "open " + workdir);
  }
  RepositoryPtr repo(raw);
  git_odb* odb = nullptr;
  if (git_repository_odb(&odb, raw) != 0) return git_failure(Errc::git, "object database");
  OdbPtr odb_ref(odb);
  git_odb_backend* mem = nullptr;
  if (git_mempack_new(&mem) != 0) return git_failure(Errc::git, "in-memory objects");
  if (git_odb_add_backend(odb, mem, 1000) != 0) {  // the odb owns it from here
    mem->free(mem);
    return git_failure(Errc::git, "in-memory objects");
  }
  return repo;
}

// The filtered content ("as git stores it") of each existing path, as blobs in `repo`'s
// memory, and a tree of them.
Result<git_oid> read_preimage(git_repository* repo, const std::string& workdir,
                              const std::set<std::string>& paths, std::map<std::string, TreeFile>& pre) {
  git_index* raw = nullptr;
  if (git_index_new(&raw) != 0) return git_failure(Errc::git, "in-memory index");
  IndexPtr index(raw);
  for (const std::string& p : paths) {
    struct stat st {};
    if (::lstat((workdir + p).c_str(), &st) != 0) {
      if (errno == ENOENT) continue;
      return fail(Errc::io, "cannot stat " + p + ": " + std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) return fail(Errc::conflict, "a directory is in the way of " + p);
    if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) return fail(Errc::conflict, "not a file: " + p);
    auto text = read_worktree_file(repo, workdir, p);
    if (!text) return text.error();
    TreeFile f;
    f.mode = S_ISLNK(st.st_mode) ? 0120000 : (st.st_mode & S_IXUSR) ? 0100755 : 0100644;
    if (git_blob_create_from_buffer(&f.id, repo, text->data(), text->size()) != 0) {
      return git_failure(Errc::git, "read " + p);
    }
    git_index_entry e{};
    e.path = p.c_str();
    e.mode = f.mode;
    e.id = f.id;
    if (git_index_add(index.get(), &e) != 0) return git_failure(Errc::git, "read " + p);
    pre.emplace(p, f);
  }
  git_oid tree{};
  if (git_index_write_tree_to(&tree, index.get(), repo) != 0) return git_failure(Errc::git, "preimage");
  return tree;
}

// The working-tree bytes of blob `id` at `path`: through the smudge filters for a file.
Result<std::string> checkout_bytes(git_repository* repo, const std::string& path, const TreeFile& f) {
  git_blob* raw = nullptr;
  if (git_blob_lookup(&raw, repo, &f.id) != 0) return git_failure(Errc::git, "patched " + path);
  BlobPtr blob(raw);
  git_filter_list* fl = nullptr;
  if (f.mode != 0120000 &&
      git_filter_list_load(&fl, repo, raw, path.c_str(), GIT_FILTER_TO_WORKTREE, GIT_FILTER_DEFAULT) != 0) {
    return git_failure(Errc::git, "filters for " + path);
  }
  FilterListPtr filters(fl);
  if (!filters) {
    return std::string(static_cast<const char*>(git_blob_rawcontent(raw)),
                       static_cast<std::size_t>(git_blob_rawsize(raw)));
  }
  Buf out;
  if (git_filter_list_apply_to_blob(out.get(), fl, raw) != 0) return git_failure(Errc::git, "filter " + path);
  return std::string(out.view());
}

// Applies `diff` to the preimage; what each touched path becomes.
Result<std::map<std::string, Change>> plan(git_repository* mem, const git_oid& pre_tree, git_diff* diff,
                                           const std::map<std::string, TreeFile>& pre,
                                           const std::set<std::string>& paths) {
  if (auto r = check_creations_and_deletions(diff, pre); !r) return r.error();
  git_tree* tree = nullptr;
  if (git_tree_lookup(&tree, mem, &pre_tree) != 0) return git_failure(Errc::git, "preimage");
  TreePtr tree_ref(tree);
  git_index* raw = nullptr;
  git_apply_options opts = GIT_APPLY_OPTIONS_INIT;
  if (git_apply_to_tree(&raw, mem, tree, diff, &opts) != 0) {
    return git_failure(Errc::conflict, "the patch does not apply cleanly; nothing was written");
  }
  IndexPtr post(raw);
  std::map<std::string, Change> out;
  for (const std::string& p : paths) {
    const git_index_entry* e = git_index_get_bypath(raw, p.c_str(), 0);
    const auto before = pre.find(p);
    if (!e) {
      if (before != pre.end()) out.emplace(p, Change{});
      continue;
    }
    const TreeFile after{e->mode, e->id};
    if (before != pre.end() && before->second == after) continue;
    auto bytes = checkout_bytes(mem, p, after);
    if (!bytes) return bytes.error();
    if (after.mode == 0120000) {
      if (auto r = check_link_target(p, *bytes); !r) return r.error();
    }
    out.emplace(p, Change{after.mode, std::move(*bytes)});
  }
  return out;
}

// Whether every touched path still holds what the preimage was read from.
Result<void> unchanged_since_read(git_repository* repo, const std::string& workdir,
                                  const std::set<std::string>& paths, const std::map<std::string, TreeFile>& pre) {
  for (const std::string& p : paths) {
    struct stat st {};
    const bool exists = ::lstat((workdir + p).c_str(), &st) == 0;
    const auto before = pre.find(p);
    bool same = exists == (before != pre.end());
    if (same && exists) {
      auto id = hash_worktree_file(repo, workdir, p, st);
      same = id && git_oid_equal(&*id, &before->second.id);
    }
    if (!same) return fail(Errc::conflict, p + " changed while the patch was being applied; nothing was written");
  }
  return {};
}

}  // namespace

Result<ApplyOutcome> apply_to_worktree(const std::filesystem::path& repo_dir, const std::string& patch,
                                       const std::string& expected_fingerprint, std::string_view reason,
                                       std::int64_t now_ms) {
  auto repo = Repository::open(repo_dir);
  if (!repo) return repo.error();
  const std::string& workdir = repo->workdir();
  git_diff* raw_diff = nullptr;
  if (git_diff_from_buffer(&raw_diff, patch.data(), patch.size()) != 0) {
    return git_failure(Errc::parse, "not a patch");
  }
  DiffPtr diff(raw_diff);
  auto paths = touched_paths(diff.get(), workdir);
  if (!paths) return paths.error();
  auto mem = open_in_memory(workdir);
  if (!mem) return mem.error();
  std::map<std::string, TreeFile> pre;
  auto pre_tree = read_preimage(mem->get(), workdir, *paths, pre);
  if (!pre_tree) return pre_tree.error();

  // Read after the preimage: an edit before this point changes the fingerprint, one after it
  // is caught by unchanged_since_read.
  auto reader = SnapshotReader::open(repo_dir, ReaderMode::one_shot);
  if (!reader) return reader.error();
  auto snap = reader->take();
  if (!snap) return snap.error();
  if (snap->state.busy()) {
    return fail(Errc::conflict, std::string("a ") + to_string(snap->state.operation) +
                                    " is in progress; the patch is kept");
  }
  if (snap->changes.fingerprint != expected_fingerprint) {
    return fail(Errc::conflict, "the working tree changed since it was reviewed; the patch is kept");
  }
  auto changes = plan(mem->get(), *pre_tree, diff.get(), pre, *paths);
  if (!changes) return changes.error();

  auto tree = write_worktree_tree(repo->raw(), workdir);
  if (!tree) return tree.error();
  if (auto r = unchanged_since_read(repo->raw(), workdir, *paths, pre); !r) return r.error();
  auto point = record_undo_point(repo->raw(), hex(*tree), reason, now_ms);
  if (!point) return point.error();

  ApplyOutcome out{{}, *point};
  auto stopped = [&](const Error& e) {
    return fail(e.code, "applying stopped part way (" + e.message + "); undo point " +
                            std::to_string(point->number) + " holds the state before it");
  };
  for (const auto& [p, change] : *changes) {
    if (change.mode != 0) continue;
    if (auto r = remove_worktree_file(workdir, p); !r) return stopped(r.error());
  }
  for (const auto& [p, change] : *changes) {
    if (change.mode == 0) continue;
    if (auto r = write_worktree_file(workdir, p, change.bytes, change.mode); !r) return stopped(r.error());
  }
  for (const auto& [p, change] : *changes) out.changed.push_back(p);
  return out;
}

}  // namespace gavel::git
