#include "git/snapshot_parts.hpp"

#include "git/patch_text.hpp"

#include <algorithm>
#include <string_view>

namespace gavel::git {

Result<Base> read_base(git_repository* repo) {
  Base base;
  git_reference* raw = nullptr;
  const int rc = git_repository_head(&raw, repo);
  ReferencePtr head(raw);
  if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
    git_error_clear();
    return base;
  }
  if (rc < 0) return git_failure(Errc::corrupt, "cannot resolve HEAD");
  git_object* obj = nullptr;
  if (git_reference_peel(&obj, head.get(), GIT_OBJECT_COMMIT) < 0) {
    return git_failure(Errc::corrupt, "HEAD does not name a readable commit");
  }
  CommitPtr commit(reinterpret_cast<git_commit*>(obj));
  base.commit = hex(*git_commit_id(commit.get()));
  git_tree* tree = nullptr;
  if (git_commit_tree(&tree, commit.get()) < 0) {
    return git_failure(Errc::corrupt, "cannot read the tree of HEAD");
  }
  base.tree.reset(tree);
  return base;
}

std::uint32_t rename_flags(git_repository* repo) {
  std::uint32_t flags = GIT_DIFF_FIND_RENAMES;
  git_config* cfg = nullptr;
  if (git_repository_config_snapshot(&cfg, repo) == 0) {
    ConfigPtr cfg_ref(cfg);
    git_buf value = GIT_BUF_INIT;
    if (git_config_get_string_buf(&value, cfg, "diff.renames") == 0) {
      const std::string v(value.ptr, value.size);
      int b = 1;
      if (v == "copies" || v == "copy") {
        flags |= GIT_DIFF_FIND_COPIES;
      } else if (git_config_parse_bool(&b, v.c_str()) == 0 && !b) {
        flags = 0;
      }
    }
    git_buf_dispose(&value);
  }
  git_error_clear();
  return flags;
}

// git pairs a deleted and an added symlink with the same target as an exact rename; libgit2
// only considers regular files. The rename takes the addition's place (git lists renames in
// destination order) and the deletion goes.
void normalize(Snapshot& snap, std::vector<std::string>& full) {
  auto& files = snap.changes.files;
  std::vector<bool> drop(files.size(), false);
  for (std::size_t i = 0; i < files.size(); ++i) {
    auto& add = files[i];
    if (add.status != review::FileStatus::added || add.untracked ||
        add.new_mode != review::k_mode_symlink || add.new_id.empty()) {
      continue;
    }
    for (std::size_t j = 0; j < files.size(); ++j) {
      const auto& del = files[j];
      if (drop[j] || del.status != review::FileStatus::deleted ||
          del.old_mode != review::k_mode_symlink || del.old_id != add.new_id) {
        continue;
      }
      add.status = review::FileStatus::renamed;
      add.old_path = del.old_path;
      add.old_mode = del.old_mode;
      add.old_id = del.old_id;
      add.similarity = 100;
      add.hunks.clear();
      snap.file_patches[i] = symlink_rename_patch(add.old_path, add.new_path);
      full[i] = snap.file_patches[i];
      drop[j] = true;
      break;
    }
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    // HEAD -> index -> working tree may come back to HEAD's content: libgit2 still lists the
    // file as modified, with an empty patch; git does not list it.
    if (files[i].status == review::FileStatus::modified && snap.file_patches[i].empty()) {
      drop[i] = true;
    }
  }
  std::size_t out = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (drop[i]) continue;
    if (out != i) {
      files[out] = std::move(files[i]);
      snap.file_patches[out] = std::move(snap.file_patches[i]);
      full[out] = std::move(full[i]);
    }
    ++out;
  }
  files.resize(out);
  snap.file_patches.resize(out);
  full.resize(out);
  // A type change is a deletion then an addition of one path, in that order, as git prints it.
  for (std::size_t i = 0; i + 1 < files.size(); ++i) {
    if (files[i].status == review::FileStatus::added &&
        files[i + 1].status == review::FileStatus::deleted &&
        files[i].new_path == files[i + 1].old_path && !files[i].untracked) {
      std::swap(files[i], files[i + 1]);
      std::swap(snap.file_patches[i], snap.file_patches[i + 1]);
      std::swap(full[i], full[i + 1]);
    }
  }
}

Result<std::vector<std::string>> gitlinks(git_repository* repo) {
  git_index* raw = nullptr;  // the repository's own, cached; a one_shot snapshot uses it too
  if (git_repository_index(&raw, repo) < 0) return git_failure(Errc::corrupt, "cannot load the index");
  IndexPtr index(raw);
  if (git_index_read(raw, 0) < 0) return git_failure(Errc::corrupt, "cannot read the index");
  std::vector<std::string> out;
  const std::size_t n = git_index_entrycount(raw);
  for (std::size_t i = 0; i < n; ++i) {
    const git_index_entry* e = git_index_get_byindex(raw, i);
    if (e && e->mode == GIT_FILEMODE_COMMIT) out.emplace_back(e->path);
  }
  return out;
}

std::optional<std::vector<std::string>> since_limit(const SnapshotScope& since,
                                                    const std::vector<std::string>& changed,
                                                    std::size_t max) {
  auto is_named = [](std::string_view path, std::string_view name) {
    return path == name || (path.ends_with(name) && path[path.size() - name.size() - 1] == '/');
  };
  std::vector<std::string> limit = since.paths;
  for (const std::string& p : changed) {
    if (is_named(p, ".gitattributes") || is_named(p, ".gitmodules")) return std::nullopt;
    limit.push_back(p);
  }
  std::sort(limit.begin(), limit.end());
  limit.erase(std::unique(limit.begin(), limit.end()), limit.end());
  if (limit.empty() || limit.size() > max) return std::nullopt;
  return limit;
}

}  // namespace gavel::git
