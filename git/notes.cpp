// Git notes and the commit check of the audit trail (git/notes.hpp), with libgit2.
#include "git/notes.hpp"

#include "git/libgit2.hpp"
#include "git/repository.hpp"

namespace gavel::git {

namespace {

using NotePtr = std::unique_ptr<git_note, Free<git_note, git_note_free>>;

using ObjectPtr = std::unique_ptr<git_object, Free<git_object, git_object_free>>;

Result<git_oid> commit_id(git_repository* repo, std::string_view rev) {
  git_object* raw = nullptr;
  const std::string spec(rev);
  if (git_revparse_single(&raw, repo, spec.c_str()) < 0) {
    return git_failure(Errc::not_found, "unknown revision " + spec);
  }
  ObjectPtr obj(raw);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, raw, GIT_OBJECT_COMMIT) < 0) {
    return git_failure(Errc::not_found, spec + " is not a commit");
  }
  ObjectPtr commit(peeled);
  return *git_object_id(peeled);
}

}  // namespace

Result<std::string> resolve_commit(const std::filesystem::path& dir, std::string_view rev) {
  auto repo = Repository::open(dir);
  if (!repo) return repo.error();
  return resolve_commit(*repo, rev);
}

Result<std::string> resolve_commit(Repository& repo, std::string_view rev) {
  auto id = commit_id(repo.raw(), rev);
  if (!id) return id.error();
  return hex(*id);
}

Result<void> write_note(const std::filesystem::path& dir, std::string_view rev,
                        std::string_view text, std::string_view notes_ref) {
  auto repo = Repository::open(dir);
  if (!repo) return repo.error();
  return write_note(*repo, rev, text, notes_ref);
}

Result<void> write_note(Repository& repo_ref, std::string_view rev, std::string_view text,
                        std::string_view notes_ref) {
  Repository* repo = &repo_ref;
  auto id = commit_id(repo->raw(), rev);
  if (!id) return id.error();
  git_signature* sig = nullptr;
  if (git_signature_default(&sig, repo->raw()) < 0) {
    git_error_clear();
    if (git_signature_now(&sig, "gavel", "gavel@localhost") < 0) {
      return git_failure(Errc::git, "cannot make a signature for the note");
    }
  }
  SignaturePtr signature(sig);
  const std::string ref(notes_ref);
  const std::string note(text);
  git_oid out{};
  if (git_note_create(&out, repo->raw(), ref.c_str(), sig, sig, &*id, note.c_str(), 1) < 0) {
    return git_failure(Errc::git, "cannot write the note under " + ref);
  }
  return {};
}

Result<std::optional<std::string>> read_note(const std::filesystem::path& dir,
                                             std::string_view rev, std::string_view notes_ref) {
  auto repo = Repository::open(dir);
  if (!repo) return repo.error();
  auto id = commit_id(repo->raw(), rev);
  if (!id) return id.error();
  const std::string ref(notes_ref);
  git_note* raw = nullptr;
  const int rc = git_note_read(&raw, repo->raw(), ref.c_str(), &*id);
  if (rc == GIT_ENOTFOUND) {
    git_error_clear();
    return std::optional<std::string>();
  }
  if (rc < 0) return git_failure(Errc::git, "cannot read the note under " + ref);
  NotePtr note(raw);
  const char* message = git_note_message(raw);
  return std::optional<std::string>(std::string(message ? message : ""));
}
Result<bool> commit_matches(const std::filesystem::path& dir, std::string_view rev,
                            std::string_view base, const std::vector<StagedEntry>& entries) {
  auto repo = Repository::open(dir);
  if (!repo) return repo.error();
  return commit_matches(*repo, rev, base, entries);
}

Result<bool> commit_matches(Repository& repo_ref, std::string_view rev, std::string_view base,
                            const std::vector<StagedEntry>& entries) {
  Repository* repo = &repo_ref;
  auto id = commit_id(repo->raw(), rev);
  if (!id) return id.error();
  git_commit* raw = nullptr;
  if (git_commit_lookup(&raw, repo->raw(), &*id) < 0) {
    return git_failure(Errc::corrupt, "cannot read commit " + hex(*id));
  }
  CommitPtr commit(raw);
  const std::string parent =
      git_commit_parentcount(raw) > 0 ? hex(*git_commit_parent_id(raw, 0)) : std::string();
  if (parent != base) return false;
  git_tree* tree_raw = nullptr;
  if (git_commit_tree(&tree_raw, raw) < 0) return git_failure(Errc::corrupt, "cannot read tree");
  TreePtr tree(tree_raw);
  for (const StagedEntry& e : entries) {
    git_tree_entry* entry = nullptr;
    const int rc = git_tree_entry_bypath(&entry, tree_raw, e.path.c_str());
    TreeEntryPtr owned(entry);
    if (rc == GIT_ENOTFOUND) {
      git_error_clear();
      if (!e.id.empty()) return false;
      continue;
    }
    if (rc < 0) return git_failure(Errc::corrupt, "cannot read " + e.path);
    if (hex(*git_tree_entry_id(entry)) != e.id) return false;
  }
  return true;
}

}  // namespace gavel::git
