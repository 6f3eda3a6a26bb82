#include "git/snapshot_files.hpp"

#include "git/libgit2.hpp"

#include <algorithm>
#include <cctype>

namespace gavel::git {

namespace {

constexpr std::size_t k_binary_probe = 8000;  // git's buffer_is_binary looks this far

bool looks_binary(std::string_view s) {
  return s.substr(0, std::min(s.size(), k_binary_probe)).find('\0') != std::string_view::npos;
}

std::size_t count_lines(std::string_view s) {
  const auto n = static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
  return n + (!s.empty() && s.back() != '\n' ? 1 : 0);
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::string> blob_text(git_repository* repo, const std::string& hex_id) {
  git_oid id{};
  if (hex_id.empty() || git_oid_fromstr(&id, hex_id.c_str()) < 0) return std::nullopt;
  git_blob* raw = nullptr;
  if (git_blob_lookup(&raw, repo, &id) < 0) {
    git_error_clear();
    return std::nullopt;
  }
  BlobPtr blob(raw);
  return std::string(static_cast<const char*>(git_blob_rawcontent(raw)),
                     static_cast<std::size_t>(git_blob_rawsize(raw)));
}

}  // namespace

bool is_safe_repo_path(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.find('\0') != std::string_view::npos) {
    return false;
  }
  std::size_t pos = 0;
  while (pos <= path.size()) {
    const std::size_t end = std::min(path.find('/', pos), path.size());
    const std::string_view part = path.substr(pos, end - pos);
    if (part.empty() || part == "." || part == ".." || iequals(part, ".git")) return false;
    pos = end + 1;
  }
  return true;
}

GitSnapshotFiles::GitSnapshotFiles(const SnapshotReader& reader, const Snapshot& snapshot)
    : m_repo(reader.repository()),
      m_base_commit(snapshot.changes.base_commit),
      m_snapshot(snapshot) {
  for (const auto& f : m_snapshot.changes.files) {
    if (!f.new_path.empty()) m_changed.emplace(f.new_path, &f);
    if (!f.old_path.empty() && f.old_path != f.new_path && f.status != review::FileStatus::copied) {
      m_gone.insert(f.old_path);
    }
  }
}

review::SnapshotFiles::Info GitSnapshotFiles::stat(std::string_view path) const {
  if (!is_safe_repo_path(path)) return {};
  return resolve(std::string(path), false).info;
}

std::optional<std::string> GitSnapshotFiles::text(std::string_view path) const {
  if (!is_safe_repo_path(path)) return std::nullopt;
  Resolved r = resolve(std::string(path), true);
  if (r.info.kind != Kind::regular || r.info.binary || r.info.through_symlink) return std::nullopt;
  return std::move(r.content);
}

GitSnapshotFiles::Resolved GitSnapshotFiles::resolve(const std::string& path,
                                                     bool want_content) const {
  // Any leading directory that is a symlink in the snapshot stops the walk: never read.
  for (std::size_t slash = path.find('/'); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    const Resolved dir = resolve_leaf(path.substr(0, slash), false);
    if (dir.info.kind == Kind::symlink) {
      Resolved r;
      r.info.through_symlink = true;
      return r;
    }
    if (dir.info.kind != Kind::directory) return {};  // missing, a file, or a submodule
  }
  return resolve_leaf(path, want_content);
}

GitSnapshotFiles::Resolved GitSnapshotFiles::resolve_leaf(const std::string& path,
                                                          bool want_content) const {
  Resolved r;
  if (auto it = m_changed.find(path); it != m_changed.end()) {
    const review::FileDiff& f = *it->second;
    if (f.submodule) {
      r.info.kind = Kind::submodule;
    } else if (f.new_mode == review::k_mode_symlink) {
      r.info.kind = Kind::symlink;
    } else {
      r.info.kind = Kind::regular;
      r.info.binary = f.binary;
      if (!f.binary) {
        std::optional<std::string> content = f.new_text ? f.new_text : blob_text(m_repo, f.new_id);
        if (content) r.info.line_count = count_lines(*content);
        if (want_content) r.content = std::move(content);
      }
    }
    return r;
  }
  // A directory holding a changed file (e.g. an untracked one) exists in the snapshot.
  if (auto it = m_changed.lower_bound(path + "/");
      it != m_changed.end() && it->first.starts_with(path + "/")) {
    r.info.kind = Kind::directory;
    return r;
  }
  if (m_gone.contains(path) || m_base_commit.empty()) return r;

  git_oid cid{};
  git_commit* commit = nullptr;
  git_tree* tree = nullptr;
  git_tree_entry* entry = nullptr;
  if (git_oid_fromstr(&cid, m_base_commit.c_str()) < 0 ||
      git_commit_lookup(&commit, m_repo, &cid) < 0) {
    git_error_clear();
    return r;
  }
  CommitPtr commit_ref(commit);
  if (git_commit_tree(&tree, commit) < 0) {
    git_error_clear();
    return r;
  }
  TreePtr tree_ref(tree);
  if (git_tree_entry_bypath(&entry, tree, path.c_str()) < 0) {
    git_error_clear();
    return r;
  }
  TreeEntryPtr entry_ref(entry);
  const git_filemode_t mode = git_tree_entry_filemode(entry);
  if (mode == GIT_FILEMODE_TREE) {
    r.info.kind = Kind::directory;
  } else if (mode == GIT_FILEMODE_COMMIT) {
    r.info.kind = Kind::submodule;
  } else if (mode == GIT_FILEMODE_LINK) {
    r.info.kind = Kind::symlink;
  } else {
    r.info.kind = Kind::regular;
    std::optional<std::string> content = blob_text(m_repo, hex(*git_tree_entry_id(entry)));
    if (content) {
      r.info.binary = looks_binary(*content);
      if (!r.info.binary) r.info.line_count = count_lines(*content);
      if (want_content && !r.info.binary) r.content = std::move(content);
    }
  }
  return r;
}

}  // namespace gavel::git
