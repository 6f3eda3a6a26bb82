#include "git/scratch.hpp"

#include "git/libgit2.hpp"

#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <system_error>

namespace gavel::git {

namespace fs = std::filesystem;

namespace {

using IndexOwn = IndexPtr;

Result<fs::path> make_private_dir(const fs::path& parent) {
  std::random_device rd;
  for (int i = 0; i < 16; ++i) {
    std::ostringstream name;
    name << "gavel-scratch-" << std::hex << rd() << rd();
    fs::path dir = parent / name.str();
    std::error_code ec;
    if (fs::create_directory(dir, ec)) {
      fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
      return dir;
    }
  }
  return fail(Errc::io, "cannot create a scratch directory under " + parent.string());
}

Result<void> write_file(const fs::path& file, const std::string& bytes, std::uint32_t mode) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  fs::remove(file, ec);
  if (mode == review::k_mode_symlink) {
    fs::create_symlink(bytes, file, ec);
    if (ec) return fail(Errc::io, "cannot create symlink " + file.string() + ": " + ec.message());
    return {};
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) return fail(Errc::io, "cannot write " + file.string());
  out.close();
  const auto perms = mode == review::k_mode_executable ? fs::perms(0755) : fs::perms(0644);
  fs::permissions(file, perms, fs::perm_options::replace, ec);
  return {};
}

Result<std::string> read_bytes(const fs::path& file) {
  std::error_code ec;
  if (fs::is_symlink(fs::symlink_status(file, ec))) return fs::read_symlink(file, ec).string();
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(Errc::io, "cannot read " + file.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Whether `rel` under `root` reaches through a symlink: any leading directory that is a link,
// or the file itself when it is a link and the patch does not treat it as one (mode 120000).
bool through_symlink(const fs::path& root, const std::string& rel, bool target_is_link) {
  std::error_code ec;
  fs::path at = root;
  const fs::path relative(rel);
  for (auto it = relative.begin(); it != relative.end(); ++it) {
    at /= *it;
    const bool last = std::next(it) == relative.end();
    if (fs::is_symlink(fs::symlink_status(at, ec)) && (!last || !target_is_link)) return true;
  }
  return false;
}

}  // namespace

bool is_confined_path(const std::string& path) {
  if (path.empty() || path.front() == '/') return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    for (char& c : part) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (part == ".." || part == ".git") return false;
    start = end + 1;
  }
  return true;
}

struct ScratchTree::Impl {
  fs::path dir;
  RepositoryPtr repo;
  git_oid created_tree{};  // the snapshot as written: what changes_since_created() diffs from
  std::string base_commit;  // where HEAD was detached (empty: unborn)

  ~Impl() {
    repo.reset();
    std::error_code ec;
    if (!dir.empty()) fs::remove_all(dir, ec);
  }

  Result<void> init(const fs::path& source_workdir, const review::Changeset& snapshot);
  Result<void> write_changes(const fs::path& source_workdir, const review::Changeset& snapshot);
  Result<void> record_created_tree();
};

Result<void> ScratchTree::Impl::init(const fs::path& source_workdir, const review::Changeset& snapshot) {
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, source_workdir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
    return git_failure(Errc::not_a_repository, "open " + source_workdir.string());
  }
  RepositoryPtr source(raw);
  const fs::path objects = fs::path(git_repository_commondir(source.get())) / "objects";

  if (git_repository_init(&raw, dir.c_str(), 0) != 0) return git_failure(Errc::git, "init scratch");
  repo.reset(raw);
  {
    std::ofstream alt(fs::path(git_repository_path(repo.get())) / "objects" / "info" / "alternates");
    alt << objects.string() << "\n";
    if (!alt) return fail(Errc::io, "cannot write scratch alternates");
  }
  // Reopen so the object database sees the alternates.
  repo.reset();
  if (git_repository_open(&raw, dir.c_str()) != 0) return git_failure(Errc::git, "reopen scratch");
  repo.reset(raw);

  if (!snapshot.base_commit.empty()) {
    git_oid oid;
    if (git_oid_fromstr(&oid, snapshot.base_commit.c_str()) != 0) {
      return fail(Errc::invalid_argument, "bad base commit " + snapshot.base_commit);
    }
    git_commit* commit = nullptr;
    if (git_commit_lookup(&commit, repo.get(), &oid) != 0) return git_failure(Errc::git, "base commit");
    CommitPtr owned(commit);
    git_checkout_options co = GIT_CHECKOUT_OPTIONS_INIT;
    co.checkout_strategy = GIT_CHECKOUT_FORCE;
    if (git_checkout_tree(repo.get(), reinterpret_cast<git_object*>(commit), &co) != 0) {
      return git_failure(Errc::git, "check out base in scratch");
    }
    if (git_repository_set_head_detached(repo.get(), &oid) != 0) {
      return git_failure(Errc::git, "detach scratch HEAD");
    }
    base_commit = snapshot.base_commit;
  }
  if (auto r = write_changes(source_workdir, snapshot); !r) return r;
  return record_created_tree();
}

Result<void> ScratchTree::check_head() const {
  git_repository* repo = m_impl->repo.get();
  const bool moved = [&] {
    if (m_impl->base_commit.empty()) return git_repository_head_unborn(repo) != 1;
    git_oid head{};
    if (git_repository_head_detached(repo) != 1) return true;
    if (git_reference_name_to_id(&head, repo, "HEAD") != 0) return true;
    char hex[GIT_OID_MAX_HEXSIZE + 1] = {};
    git_oid_tostr(hex, sizeof hex, &head);
    return m_impl->base_commit != hex;
  }();
  if (!moved) return {};
  return fail(Errc::invalid_argument,
              "the scratch worktree's HEAD was moved (a commit, reset or checkout in the scratch "
              "repository); it is not read");
}

Result<void> ScratchTree::Impl::write_changes(const fs::path& source_workdir,
                                              const review::Changeset& snapshot) {
  for (const review::FileDiff& f : snapshot.files) {
    if (f.submodule) continue;
    for (const std::string* p : {&f.old_path, &f.new_path}) {
      if (!p->empty() && !is_confined_path(*p)) return fail(Errc::invalid_argument, "unsafe path " + *p);
    }
    std::error_code ec;
    if (!f.old_path.empty() && f.old_path != f.new_path && f.status != review::FileStatus::copied) {
      fs::remove(dir / f.old_path, ec);
    }
    if (f.new_path.empty()) continue;  // deleted
    std::string bytes;
    if (f.new_text) {
      bytes = *f.new_text;
    } else {
      auto b = read_bytes(source_workdir / f.new_path);
      if (!b) return b.error();
      bytes = std::move(*b);
    }
    if (auto r = write_file(dir / f.new_path, bytes, f.new_mode); !r) return r;
  }
  return {};
}

Result<void> ScratchTree::Impl::record_created_tree() {
  git_index* raw = nullptr;
  if (git_index_new(&raw) != 0) return git_failure(Errc::git, "scratch index");
  IndexOwn index(raw);
  git_index* repo_index = nullptr;
  if (git_repository_index(&repo_index, repo.get()) != 0) return git_failure(Errc::git, "scratch index");
  IndexOwn owned_repo_index(repo_index);
  // The scratch's own index: add everything now in its working tree, then keep that tree.
  git_strarray all{nullptr, 0};
  if (git_index_add_all(repo_index, &all, GIT_INDEX_ADD_FORCE, nullptr, nullptr) != 0 ||
      git_index_update_all(repo_index, &all, nullptr, nullptr) != 0) {
    return git_failure(Errc::git, "stage scratch snapshot");
  }
  if (git_index_write_tree(&created_tree, repo_index) != 0) return git_failure(Errc::git, "scratch tree");
  // Leave the scratch index at the base again so the agent sees the change as uncommitted.
  git_object* head = nullptr;
  if (git_revparse_single(&head, repo.get(), "HEAD^{tree}") == 0) {
    git_index_read_tree(repo_index, reinterpret_cast<git_tree*>(head));
    git_object_free(head);
  } else {
    git_index_clear(repo_index);
  }
  if (git_index_write(repo_index) != 0) return git_failure(Errc::git, "scratch index write");
  return {};
}

Result<ScratchTree> ScratchTree::create(const fs::path& source_workdir, const review::Changeset& snapshot,
                                        const fs::path& parent) {
  ensure_libgit2();
  auto dir = make_private_dir(parent);
  if (!dir) return dir.error();
  auto impl = std::make_unique<Impl>();
  impl->dir = *dir;
  if (auto r = impl->init(source_workdir, snapshot); !r) return r.error();
  return ScratchTree(std::move(impl));
}

ScratchTree::ScratchTree(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
ScratchTree::ScratchTree(ScratchTree&&) noexcept = default;
ScratchTree& ScratchTree::operator=(ScratchTree&&) noexcept = default;
ScratchTree::~ScratchTree() = default;

const fs::path& ScratchTree::workdir() const noexcept { return m_impl->dir; }

Result<void> ScratchTree::apply_patch(const std::string& patch, ApplyMode mode) {
  git_diff* raw = nullptr;
  if (git_diff_from_buffer(&raw, patch.data(), patch.size()) != 0) {
    return git_failure(Errc::parse, "read patch");
  }
  DiffPtr diff(raw);
  for (size_t i = 0; i < git_diff_num_deltas(diff.get()); ++i) {
    const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
    for (const git_diff_file* f : {&d->old_file, &d->new_file}) {
      const char* p = f->path;
      if (p == nullptr || std::string(p) == "/dev/null") continue;
      if (!is_confined_path(p)) {
        return fail(Errc::invalid_argument,
                    std::string("patch touches a path outside the repository or under .git: ") + p);
      }
      // libgit2 reads and writes the working tree with plain open(): a symlink on the way
      // would take it outside the repository.
      if (through_symlink(m_impl->dir, p, f->mode == GIT_FILEMODE_LINK)) {
        return fail(Errc::invalid_argument,
                    std::string("patch touches a path through a symlink: ") + p);
      }
    }
  }
  git_apply_options opts = GIT_APPLY_OPTIONS_INIT;
  if (mode == ApplyMode::check_only) opts.flags |= GIT_APPLY_CHECK;
  if (git_apply(m_impl->repo.get(), diff.get(), GIT_APPLY_LOCATION_WORKDIR, &opts) != 0) {
    return git_failure(Errc::conflict, "patch does not apply");
  }
  return {};
}

Result<std::string> ScratchTree::changes_since_created() const {
  git_tree* tree = nullptr;
  if (git_tree_lookup(&tree, m_impl->repo.get(), &m_impl->created_tree) != 0) {
    return git_failure(Errc::git, "scratch tree");
  }
  TreePtr owned(tree);
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
               GIT_DIFF_SHOW_UNTRACKED_CONTENT | GIT_DIFF_SHOW_BINARY;
  git_diff* raw = nullptr;
  if (git_diff_tree_to_workdir(&raw, m_impl->repo.get(), tree, &opts) != 0) {
    return git_failure(Errc::git, "diff scratch");
  }
  DiffPtr diff(raw);
  Buf buf;
  if (git_diff_to_buf(buf.get(), diff.get(), GIT_DIFF_FORMAT_PATCH) != 0) {
    return git_failure(Errc::git, "render scratch diff");
  }
  return std::string(buf.view());
}

}  // namespace gavel::git
