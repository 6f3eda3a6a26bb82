#include "git/snapshot.hpp"

#include "git/abbrev.hpp"
#include "git/fingerprint.hpp"
#include "git/libgit2.hpp"
#include "git/patch_text.hpp"
#include "git/repository.hpp"
#include "git/shadow_index.hpp"
#include "git/similarity.hpp"
#include "git/typechange.hpp"
#include "git/snapshot_parts.hpp"
#include "git/worktree_file.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace gavel::git {

namespace {

constexpr int k_attempts = 3;
constexpr std::size_t k_max_path_pieces = 4;
constexpr std::size_t k_max_since_paths = 1000;

}  // namespace

struct SnapshotReader::Impl {
  Repository repo;
  ShadowIndex shadow;
  ReaderMode mode;
  std::size_t since_limited = 0;
  IndexPtr repo_index;  // one_shot: the repository's own index, read once, never written
  IndexPtr file_index;  // SnapshotOptions::index_file, opened for one snapshot, never written

  Impl(Repository r, ReaderMode m)
      : repo(std::move(r)), shadow(repo.raw(), repo.workdir(), repo.index_path()), mode(m) {}

  git_index* index() const {
    if (file_index) return file_index.get();
    return mode == ReaderMode::one_shot ? repo_index.get() : shadow.get();
  }
  Result<void> prepare_index(const SnapshotOptions& o);

  struct Diffs {
    DiffPtr merged;   // what is reported: HEAD vs index, or HEAD vs index+working tree
    DiffPtr workdir;  // index vs working tree (worktree kind only), for untracked files
  };
  Result<Diffs> diff(const SnapshotOptions& o, git_tree* tree);
  Result<void> render(const Diffs& d, const SnapshotOptions& o, Snapshot& snap,
                      std::vector<std::string>& full);
  Result<void> fill_new_text(review::FileDiff& f, review::DiffKind kind);
  Result<std::pair<RenderedFile, RenderedFile>> split_type_change(const git_diff_delta& d,
                                                                  review::DiffKind kind,
                                                                  const Abbreviator& abbrev);
  Result<Snapshot> take_once(const SnapshotOptions& o);
};

Result<SnapshotReader::Impl::Diffs> SnapshotReader::Impl::diff(const SnapshotOptions& o,
                                                               git_tree* tree) {
  git_repository* r = repo.raw();
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  // INDENT_HEURISTIC: git's default since 2.14. INCLUDE_TYPECHANGE: one delta per path in
  // each diff, so that git_diff_merge pairs them right (split again when rendered).
  opts.flags = GIT_DIFF_INDENT_HEURISTIC | GIT_DIFF_INCLUDE_TYPECHANGE;
  if (o.kind == review::DiffKind::worktree) {
    opts.flags |= GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
                  GIT_DIFF_SHOW_UNTRACKED_CONTENT;
  }
  opts.context_lines = 3;
  opts.interhunk_lines = 0;
  opts.id_abbrev = GIT_OID_SHA1_HEXSIZE;  // full ids; git's abbreviation is applied later

  // A short limit is diffed one literal path at a time: libgit2 then derives a start/end range from
  // the path and its iterators seek straight to it (a list of paths would make them visit
  // every index entry). The pieces are merged. A longer limit, and paths with glob
  // characters, go in one piece with pathspec matching off (literal paths, one pass), as do
  // paths with leading or trailing whitespace (pathspec parsing trims trailing whitespace).
  // Past a few paths one pass is cheaper: each piece re-reads the directories on its way.
  std::vector<std::vector<std::string>> groups;
  std::vector<std::string> literal_only;
  for (const std::string& p : o.paths) {
    const bool plain = p.find_first_of("*?[\\") == std::string::npos && !p.empty() &&
                       !std::isspace(static_cast<unsigned char>(p.front())) &&
                       !std::isspace(static_cast<unsigned char>(p.back()));
    if (plain && o.paths.size() <= k_max_path_pieces) groups.push_back({p});
    else literal_only.push_back(p);
  }
  if (!literal_only.empty()) groups.push_back(literal_only);
  if (o.paths.empty()) groups.emplace_back();

  Diffs out;
  DiffPtr tree_index, index_wd;
  for (const auto& group : groups) {
    std::vector<char*> specs;
    for (const std::string& p : group) specs.push_back(const_cast<char*>(p.c_str()));
    git_diff_options piece = opts;
    piece.pathspec.strings = specs.data();
    piece.pathspec.count = specs.size();
    if (&group == &groups.back() && !literal_only.empty()) {
      piece.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
    }
    git_diff* raw = nullptr;
    if (git_diff_tree_to_index(&raw, r, tree, index(), &piece) < 0) {
      return git_failure(Errc::git, "cannot diff HEAD against the index");
    }
    DiffPtr d1(raw);
    if (!tree_index) tree_index = std::move(d1);
    else if (git_diff_merge(tree_index.get(), d1.get()) < 0) {
      return git_failure(Errc::git, "cannot merge diffs");
    }
    if (o.kind != review::DiffKind::worktree) continue;
    git_diff* wd = nullptr;
    if (git_diff_index_to_workdir(&wd, r, index(), &piece) < 0) {
      return git_failure(Errc::git, "cannot diff the index against the working tree");
    }
    DiffPtr d2(wd);
    if (!index_wd) index_wd = std::move(d2);
    else if (git_diff_merge(index_wd.get(), d2.get()) < 0) {
      return git_failure(Errc::git, "cannot merge diffs");
    }
  }
  out.merged = std::move(tree_index);
  if (o.kind == review::DiffKind::worktree) {
    // What git_diff_tree_to_workdir_with_index does, over our own index.
    out.workdir = std::move(index_wd);
    if (git_diff_merge(out.merged.get(), out.workdir.get()) < 0) {
      return git_failure(Errc::git, "cannot merge diffs");
    }
  }
  git_diff_find_options find = GIT_DIFF_FIND_OPTIONS_INIT;
  find.flags = rename_flags(r);
  GitSimilarity similarity(r, repo.workdir());
  find.metric = similarity.metric();
  if (find.flags != 0) {
    // git never pairs either half of a type change as a rename; libgit2 does (its TYPECHANGE
    // is a rename source and target). Park type changes under a status find_similar skips
    // (CONFLICTED) and put them back after. The deltas belong to our diff; only `status` moves.
    std::map<std::string, git_delta_t> parked;
    const std::size_t n = git_diff_num_deltas(out.merged.get());
    for (std::size_t i = 0; i < n; ++i) {
      auto* d = const_cast<git_diff_delta*>(git_diff_get_delta(out.merged.get(), i));
      if (is_type_change(*d)) {
        parked.emplace(d->new_file.path, d->status);
        d->status = GIT_DELTA_CONFLICTED;
      }
    }
    const int rc = git_diff_find_similar(out.merged.get(), &find);
    const std::size_t m = git_diff_num_deltas(out.merged.get());
    for (std::size_t i = 0; i < m && !parked.empty(); ++i) {
      auto* d = const_cast<git_diff_delta*>(git_diff_get_delta(out.merged.get(), i));
      if (d->status != GIT_DELTA_CONFLICTED) continue;
      if (auto it = parked.find(d->new_file.path); it != parked.end()) d->status = it->second;
    }
    if (rc < 0) return git_failure(Errc::git, "cannot detect renames");
  }
  return out;
}

Result<void> SnapshotReader::Impl::render(const Diffs& d, const SnapshotOptions& o,
                                          Snapshot& snap, std::vector<std::string>& full) {
  const Abbreviator abbrev(repo.raw());
  auto push = [&](RenderedFile file) -> Result<void> {
    if (o.contents == SnapshotOptions::Contents::new_text) {
      if (auto t = fill_new_text(file.file, o.kind); !t) return t.error();
    }
    snap.changes.files.push_back(std::move(file.file));
    snap.file_patches.push_back(std::move(file.patch));
    full.push_back(std::move(file.full_patch));
    return {};
  };
  auto add = [&](git_diff* diff, std::size_t i) -> Result<void> {
    const git_diff_delta* delta = git_diff_get_delta(diff, i);
    if (is_type_change(*delta)) {
      auto halves = split_type_change(*delta, o.kind, abbrev);
      if (!halves) return halves.error();
      if (auto r = push(std::move(halves->first)); !r) return r;
      return push(std::move(halves->second));
    }
    auto file = render_delta(diff, i, abbrev);
    if (!file) return file.error();
    return push(std::move(*file));
  };
  // A file deleted from the index but still on disk is untracked; libgit2's merge keeps only
  // the deletion (as `git diff HEAD` shows it), so the untracked file is added back from the
  // index-to-workdir diff, right after the deletion of the same path.
  std::map<std::string, std::size_t> untracked;  // path -> delta in d.workdir
  if (d.workdir) {
    const std::size_t n = git_diff_num_deltas(d.workdir.get());
    for (std::size_t j = 0; j < n; ++j) {
      const git_diff_delta* delta = git_diff_get_delta(d.workdir.get(), j);
      if (delta->status == GIT_DELTA_UNTRACKED) untracked.emplace(delta->new_file.path, j);
    }
  }
  const std::size_t n = git_diff_num_deltas(d.merged.get());
  for (std::size_t i = 0; i < n; ++i) {
    const git_diff_delta* delta = git_diff_get_delta(d.merged.get(), i);
    const bool gone = delta->status == GIT_DELTA_DELETED || delta->status == GIT_DELTA_RENAMED;
    const std::string old_path = delta->old_file.path;
    if (delta->status == GIT_DELTA_UNTRACKED) untracked.erase(delta->new_file.path);
    if (auto r = add(d.merged.get(), i); !r) return r;
    if (gone) {
      if (auto it = untracked.find(old_path); it != untracked.end()) {
        if (auto r = add(d.workdir.get(), it->second); !r) return r;
        untracked.erase(it);
      }
    }
  }
  normalize(snap, full);
  return {};
}

Result<std::pair<RenderedFile, RenderedFile>> SnapshotReader::Impl::split_type_change(
    const git_diff_delta& d, review::DiffKind kind, const Abbreviator& abbrev) {
  git_repository* r = repo.raw();
  auto blob = [&](const git_oid& id) -> std::optional<std::string> {
    git_blob* raw = nullptr;
    if (git_oid_is_zero(&id) || git_blob_lookup(&raw, r, &id) < 0) {
      git_error_clear();
      return std::nullopt;
    }
    BlobPtr b(raw);
    return std::string(static_cast<const char*>(git_blob_rawcontent(raw)),
                       static_cast<std::size_t>(git_blob_rawsize(raw)));
  };
  auto old_content = blob(d.old_file.id);
  if (!old_content) return fail(Errc::corrupt, std::string("missing blob for ") + d.old_file.path);
  std::optional<std::string> new_content = blob(d.new_file.id);
  if (!new_content) {
    if (kind == review::DiffKind::staged) {
      return fail(Errc::corrupt, std::string("missing blob for ") + d.new_file.path);
    }
    auto read = read_worktree_file(r, repo.workdir(), d.new_file.path);
    if (!read) return fail(Errc::conflict, "working tree changed while reading " +
                                               std::string(d.new_file.path));
    new_content = std::move(*read);
  }
  return render_typechange(d, *old_content, *new_content, abbrev);
}

Result<void> SnapshotReader::Impl::fill_new_text(review::FileDiff& f, review::DiffKind kind) {
  if (f.binary || f.submodule || f.new_path.empty() || f.new_mode == review::k_mode_symlink) {
    return {};
  }
  git_repository* r = repo.raw();
  git_oid id{};
  const bool have_id = !f.new_id.empty() && git_oid_fromstr(&id, f.new_id.c_str()) == 0;
  if (have_id) {
    git_blob* blob = nullptr;
    if (git_blob_lookup(&blob, r, &id) == 0) {
      BlobPtr b(blob);
      f.new_text = std::string(static_cast<const char*>(git_blob_rawcontent(blob)),
                               static_cast<std::size_t>(git_blob_rawsize(blob)));
      return {};
    }
    git_error_clear();
  }
  if (kind == review::DiffKind::staged) {
    return fail(Errc::corrupt, "staged blob of " + f.new_path + " is missing");
  }
  auto text = read_worktree_file(r, repo.workdir(), f.new_path);
  if (!text) return fail(Errc::conflict, "working tree changed while reading " + f.new_path);
  git_oid got{};
  git_odb_hash(&got, text->data(), text->size(), GIT_OBJECT_BLOB);
  if (have_id && !git_oid_equal(&got, &id)) {
    return fail(Errc::conflict, "working tree changed while reading " + f.new_path);
  }
  f.new_text = std::move(*text);
  return {};
}

Result<void> SnapshotReader::Impl::prepare_index(const SnapshotOptions& o) {
  file_index.reset();
  if (!o.index_file.empty()) {
    if (o.kind != review::DiffKind::staged) {
      return fail(Errc::invalid_argument, "an index file can only be given for a staged snapshot");
    }
    git_index* idx = nullptr;
    if (git_index_open(&idx, o.index_file.c_str()) < 0) {
      return git_failure(Errc::corrupt, "cannot open the index file " + o.index_file.string());
    }
    file_index.reset(idx);
    if (git_index_read(idx, 1) < 0) {
      return git_failure(Errc::corrupt, "cannot read the index file " + o.index_file.string());
    }
    return {};
  }
  if (mode == ReaderMode::one_shot) {
    // libgit2's own racy-git checks apply; touched files are hashed, nothing is remembered.
    git_index* idx = nullptr;
    if (git_repository_index(&idx, repo.raw()) < 0) {
      return git_failure(Errc::corrupt, "cannot load the index");
    }
    repo_index.reset(idx);
    if (git_index_read(idx, 0) < 0) return git_failure(Errc::corrupt, "cannot read the index");
    return {};
  }
  if (auto s = shadow.sync(); !s) return s.error();
  if (o.kind == review::DiffKind::worktree) return shadow.refresh(o.paths);
  return {};
}

Result<Snapshot> SnapshotReader::Impl::take_once(const SnapshotOptions& o) {
  Snapshot snap;
  snap.paths = o.paths;
  auto state = read_repo_state(repo.raw());
  if (!state) return state.error();
  snap.state = std::move(*state);
  auto base = read_base(repo.raw());
  if (!base) return base.error();

  if (auto s = prepare_index(o); !s) return s.error();
  auto d = diff(o, base->tree.get());
  if (!d) return d.error();

  std::vector<std::string> full;
  if (auto r = render(*d, o, snap, full); !r) return r.error();
  snap.changes.kind = o.kind;
  snap.changes.base_commit = base->commit;
  snap.changes.fingerprint = fingerprint(base->commit, full);
  return snap;
}

SnapshotScope Snapshot::scope() const {
  SnapshotScope out{changes.kind, changes.base_commit, {}};
  for (const review::FileDiff& f : changes.files) {
    if (!f.old_path.empty()) out.paths.push_back(f.old_path);
    if (!f.new_path.empty()) out.paths.push_back(f.new_path);
  }
  std::sort(out.paths.begin(), out.paths.end());
  out.paths.erase(std::unique(out.paths.begin(), out.paths.end()), out.paths.end());
  return out;
}

std::string Snapshot::patch() const {
  std::string out;
  for (const std::string& p : file_patches) out += p;
  return out;
}

SnapshotReader::SnapshotReader(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
SnapshotReader::SnapshotReader(SnapshotReader&&) noexcept = default;
SnapshotReader& SnapshotReader::operator=(SnapshotReader&&) noexcept = default;
SnapshotReader::~SnapshotReader() = default;

Result<SnapshotReader> SnapshotReader::open(const std::filesystem::path& dir, ReaderMode mode) {
  auto repo = Repository::open(dir);
  if (!repo) return repo.error();
  return SnapshotReader(std::make_unique<Impl>(std::move(*repo), mode));
}

Result<Snapshot> SnapshotReader::take(const SnapshotOptions& options) {
  Result<Snapshot> out = fail(Errc::internal, "no attempt");
  for (int attempt = 0; attempt < k_attempts; ++attempt) {
    out = m_impl->take_once(options);
    if (out || out.error().code != Errc::conflict) break;
  }
  return out;
}

Result<Snapshot> SnapshotReader::take_since(const SnapshotScope& since,
                                            const std::vector<std::string>& changed,
                                            SnapshotOptions options) {
  if (!options.paths.empty() || !options.index_file.empty()) {
    return fail(Errc::invalid_argument, "take_since reads the repository's own whole tree");
  }
  std::vector<std::string> named = changed;
  // A submodule changes without an event in the superproject's tree (the watcher never enters
  // it), so every gitlink is read each time: a short list, fixed until the index changes.
  if (auto links = gitlinks(m_impl->repo.raw()); links) {
    named.insert(named.end(), links->begin(), links->end());
  } else {
    return take(options);
  }
  auto limit = since_limit(since, named, k_max_since_paths);
  if (!limit || since.kind != options.kind) return take(options);
  SnapshotOptions limited = options;
  limited.paths = std::move(*limit);
  auto snap = take(limited);
  if (!snap) return snap;
  if (snap->changes.base_commit != since.base_commit) return take(options);  // HEAD moved
  snap->paths.clear();  // whole-tree content: nothing outside the limit differs from HEAD
  ++m_impl->since_limited;
  return snap;
}

Result<RepoState> SnapshotReader::state() const { return read_repo_state(m_impl->repo.raw()); }
const std::string& SnapshotReader::workdir() const noexcept { return m_impl->repo.workdir(); }
const std::string& SnapshotReader::gitdir() const noexcept { return m_impl->repo.gitdir(); }
git_repository* SnapshotReader::repository() const noexcept { return m_impl->repo.raw(); }

ReaderStats SnapshotReader::stats() const noexcept {
  const auto& s = m_impl->shadow.stats();
  return ReaderStats{s.reloads, s.hashed, s.refreshed, m_impl->since_limited};
}

}  // namespace gavel::git
