#include "git/undo.hpp"

#include "git/libgit2.hpp"
#include "git/repo_state.hpp"
#include "git/repository.hpp"
#include "git/worktree_state.hpp"
#include "git/worktree_write.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <sys/stat.h>
#include <unistd.h>

namespace gavel::git {

namespace {

constexpr std::string_view k_prefix = "refs/gavel/undo/";
constexpr std::string_view k_subject = "gavel undo point: ";
constexpr std::string_view k_time_key = "gavel-time-ms: ";

using RefIterPtr =
    std::unique_ptr<git_reference_iterator, Free<git_reference_iterator, git_reference_iterator_free>>;

std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
  return out.empty() ? "unspecified" : out;
}

// The number of an undo ref "refs/gavel/undo/<n>", or 0 when the name is not one.
int ref_number(std::string_view name) {
  if (name.substr(0, k_prefix.size()) != k_prefix) return 0;
  name.remove_prefix(k_prefix.size());
  if (name.empty() || name.size() > 9 || name.front() == '0') return 0;
  int n = 0;
  for (char c : name) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

Result<UndoPoint> read_point(git_repository* repo, const std::string& name, int number) {
  git_oid id{};
  if (git_reference_name_to_id(&id, repo, name.c_str()) != 0) return git_failure(Errc::corrupt, name);
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo, &id) != 0) return git_failure(Errc::corrupt, name);
  CommitPtr commit(raw);
  UndoPoint p;
  p.number = number;
  p.ref = name;
  p.commit = hex(id);
  p.tree = hex(*git_commit_tree_id(raw));
  if (git_commit_parentcount(raw) > 0) p.head = hex(*git_commit_parent_id(raw, 0));
  const std::string_view msg = git_commit_message(raw) ? git_commit_message(raw) : "";
  const std::string_view subject = msg.substr(0, msg.find('\n'));
  p.reason = std::string(subject.substr(0, k_subject.size()) == k_subject
                             ? subject.substr(k_subject.size()) : subject);
  if (const auto at = msg.find(k_time_key); at != std::string_view::npos) {
    const std::string_view v = msg.substr(at + k_time_key.size());
    for (std::size_t i = 0; i < v.size() && std::isdigit(static_cast<unsigned char>(v[i])); ++i) {
      p.time_ms = p.time_ms * 10 + (v[i] - '0');
    }
  }
  return p;
}

Result<std::vector<UndoPoint>> list_points(git_repository* repo) {
  git_reference_iterator* raw = nullptr;
  const std::string glob = std::string(k_prefix) + "*";
  if (git_reference_iterator_glob_new(&raw, repo, glob.c_str()) != 0) {
    return git_failure(Errc::git, "list undo points");
  }
  RefIterPtr it(raw);
  std::vector<UndoPoint> out;
  const char* name = nullptr;
  int rc = 0;
  while ((rc = git_reference_next_name(&name, raw)) == 0) {
    const int n = ref_number(name);
    if (n == 0) continue;
    auto p = read_point(repo, name, n);
    if (!p) return p.error();
    out.push_back(std::move(*p));
  }
  if (rc != GIT_ITEROVER) return git_failure(Errc::git, "list undo points");
  std::sort(out.begin(), out.end(), [](const UndoPoint& a, const UndoPoint& b) { return a.number < b.number; });
  return out;
}

// Empties and removes the directory `full` when it holds nothing but directories.
bool remove_empty_dirs(const std::filesystem::path& full) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(full, ec)) {
    if (!e.is_directory(ec) || e.is_symlink(ec) || !remove_empty_dirs(e.path())) return false;
  }
  return ::rmdir(full.c_str()) == 0;
}

// Refuses a restore that would have to overwrite something it does not own: a file or
// symlink on the way to `rel`, or a directory at `rel` holding a file that is not removed.
Result<void> check_way(const std::string& workdir, const std::string& rel,
                       const std::set<std::string>& removals) {
  auto removed = [&](const std::string& p) { return removals.count(p) > 0; };
  if (auto r = check_parents(workdir, rel, removed); !r) return r;
  struct stat st {};
  if (::lstat((workdir + rel).c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return {};
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(workdir + rel, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_directory(ec) && !it->is_symlink(ec)) continue;
    const std::string p = it->path().string().substr(workdir.size());
    if (!removed(p)) return fail(Errc::conflict, "an ignored or unknown file is in the way: " + p);
  }
  if (ec) return fail(Errc::io, "cannot list " + rel + ": " + ec.message());
  return {};
}

}  // namespace

Result<UndoPoint> record_undo_point(git_repository* repo, const std::string& tree_hex,
                                    std::string_view reason, std::int64_t now_ms) {
  git_oid tree_id{};
  git_tree* tree = nullptr;
  if (git_oid_fromstr(&tree_id, tree_hex.c_str()) != 0 || git_tree_lookup(&tree, repo, &tree_id) != 0) {
    return git_failure(Errc::git, "undo point tree " + tree_hex);
  }
  TreePtr tree_ref(tree);
  auto state = read_repo_state(repo);
  if (!state) return state.error();
  CommitPtr parent;
  if (!state->head_commit.empty()) {
    git_oid head{};
    git_commit* raw = nullptr;
    if (git_oid_fromstr(&head, state->head_commit.c_str()) != 0 || git_commit_lookup(&raw, repo, &head) != 0) {
      return git_failure(Errc::corrupt, "HEAD commit");
    }
    parent.reset(raw);
  }
  git_signature* sig_raw = nullptr;
  if (git_signature_new(&sig_raw, "gavel", "gavel@localhost", now_ms / 1000, 0) != 0) {
    return git_failure(Errc::git, "signature");
  }
  SignaturePtr sig(sig_raw);
  const std::string line = one_line(reason);
  const std::string message = std::string(k_subject) + line + "\n\n" + std::string(k_time_key) +
                              std::to_string(now_ms) + "\n";
  const git_commit* parents[] = {parent.get()};
  git_oid commit{};
  if (git_commit_create(&commit, repo, nullptr, sig.get(), sig.get(), nullptr, message.c_str(), tree,
                        parent ? 1 : 0, parents) != 0) {
    return git_failure(Errc::git, "save undo point");
  }
  auto existing = list_points(repo);
  if (!existing) return existing.error();
  int n = existing->empty() ? 1 : existing->back().number + 1;
  for (int attempt = 0; attempt < 16; ++attempt, ++n) {
    const std::string name = std::string(k_prefix) + std::to_string(n);
    git_reference* ref = nullptr;
    const int rc = git_reference_create(&ref, repo, name.c_str(), &commit, 0, "gavel: undo point");
    git_reference_free(ref);
    if (rc == GIT_EEXISTS) continue;  // another process took this number
    if (rc != 0) return git_failure(Errc::git, "create " + name);
    return UndoPoint{n, name, hex(commit), tree_hex, state->head_commit, line, now_ms};
  }
  return fail(Errc::conflict, "could not pick a free undo point number");
}

Result<UndoPoint> save_undo_point(const std::filesystem::path& repo_dir, std::string_view reason,
                                  std::int64_t now_ms) {
  auto repo = Repository::open(repo_dir);
  if (!repo) return repo.error();
  auto tree = write_worktree_tree(repo->raw(), repo->workdir());
  if (!tree) return tree.error();
  return record_undo_point(repo->raw(), hex(*tree), reason, now_ms);
}

Result<std::vector<UndoPoint>> list_undo_points(const std::filesystem::path& repo_dir) {
  auto repo = Repository::open(repo_dir);
  if (!repo) return repo.error();
  return list_points(repo->raw());
}

Result<UndoOutcome> undo(const std::filesystem::path& repo_dir, std::optional<int> number,
                         std::int64_t now_ms, UndoHead head) {
  auto repo = Repository::open(repo_dir);
  if (!repo) return repo.error();
  git_repository* raw = repo->raw();
  const std::string& workdir = repo->workdir();
  auto state = read_repo_state(raw);
  if (!state) return state.error();
  if (state->busy()) {
    return fail(Errc::conflict, std::string("a ") + to_string(state->operation) +
                                    " is in progress; finish or abort it before undo");
  }
  auto points = list_points(raw);
  if (!points) return points.error();
  if (points->empty()) return fail(Errc::not_found, "there is no undo point");
  auto target = number ? std::find_if(points->begin(), points->end(),
                                      [&](const UndoPoint& p) { return p.number == *number; })
                       : points->end() - 1;
  if (target == points->end()) return fail(Errc::not_found, "no undo point " + std::to_string(*number));
  if (head == UndoHead::must_match && target->head != state->head_commit) {
    return fail(Errc::conflict, "HEAD moved since undo point " + std::to_string(target->number) +
                                    " was saved (a commit or checkout happened: it was " +
                                    (target->head.empty() ? "unborn" : target->head) + ", now " +
                                    (state->head_commit.empty() ? "unborn" : state->head_commit) +
                                    "); force it to restore the files anyway");
  }
  git_oid target_tree{};
  git_oid_fromstr(&target_tree, target->tree.c_str());
  auto wanted = read_tree_files(raw, target_tree);
  if (!wanted) return wanted.error();
  for (const auto& [path, file] : *wanted) {
    if (!is_writable_path(path)) return fail(Errc::corrupt, "undo point holds an unsafe path: " + path);
  }
  auto now_tree = write_worktree_tree(raw, workdir);
  if (!now_tree) return now_tree.error();
  auto now_files = read_tree_files(raw, *now_tree);
  if (!now_files) return now_files.error();

  std::set<std::string> removals;
  std::vector<std::string> writes;
  for (const auto& [path, file] : *now_files) {
    if (!wanted->count(path)) removals.insert(path);
  }
  for (const auto& [path, file] : *wanted) {
    const auto at = now_files->find(path);
    if (at == now_files->end() || !(at->second == file)) writes.push_back(path);
  }
  for (const std::string& path : writes) {
    if (auto r = check_way(workdir, path, removals); !r) return r.error();
    // A file on disk that the saved state of now does not hold (ignored, or inside a nested
    // repository) would be overwritten with no copy anywhere: refuse.
    struct stat st {};
    if (!now_files->count(path) && ::lstat((workdir + path).c_str(), &st) == 0 &&
        !S_ISDIR(st.st_mode)) {
      return fail(Errc::conflict, "an ignored or unknown file is in the way: " + path +
                                      " (no undo point holds it; move it away first)");
    }
  }

  auto saved = record_undo_point(raw, hex(*now_tree), "before undo to " + std::to_string(target->number), now_ms);
  if (!saved) return saved.error();
  auto stopped = [&](const Error& e) {
    return fail(e.code, "undo stopped part way (" + e.message + "); the state before it is undo point " +
                            std::to_string(saved->number));
  };
  for (const std::string& path : removals) {
    if (auto r = remove_worktree_file(workdir, path); !r) return stopped(r.error());
  }
  for (const std::string& path : writes) {
    const TreeFile& file = wanted->at(path);
    git_blob* blob = nullptr;
    if (git_blob_lookup(&blob, raw, &file.id) != 0) return stopped(git_failure(Errc::corrupt, path));
    BlobPtr owned(blob);
    const std::string_view bytes(static_cast<const char*>(git_blob_rawcontent(blob)),
                                 static_cast<std::size_t>(git_blob_rawsize(blob)));
    struct stat st {};
    if (::lstat((workdir + path).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) remove_empty_dirs(workdir + path);
    if (auto r = write_worktree_file(workdir, path, bytes, file.mode); !r) return stopped(r.error());
  }
  UndoOutcome out{*target, *saved, std::vector<std::string>(removals.begin(), removals.end())};
  out.changed.insert(out.changed.end(), writes.begin(), writes.end());
  std::sort(out.changed.begin(), out.changed.end());
  return out;
}

}  // namespace gavel::git
