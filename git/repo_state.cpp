#include "git/repo_state.hpp"

#include "git/libgit2.hpp"

namespace gavel::git {

const char* to_string(Operation op) noexcept {
  switch (op) {
    case Operation::none: return "none";
    case Operation::merge: return "merge";
    case Operation::rebase: return "rebase";
    case Operation::apply_mailbox: return "apply_mailbox";
    case Operation::cherry_pick: return "cherry_pick";
    case Operation::revert: return "revert";
    case Operation::bisect: return "bisect";
  }
  return "none";
}

namespace {

Operation operation_of(int state) {
  switch (state) {
    case GIT_REPOSITORY_STATE_MERGE: return Operation::merge;
    case GIT_REPOSITORY_STATE_REVERT:
    case GIT_REPOSITORY_STATE_REVERT_SEQUENCE: return Operation::revert;
    case GIT_REPOSITORY_STATE_CHERRYPICK:
    case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE: return Operation::cherry_pick;
    case GIT_REPOSITORY_STATE_BISECT: return Operation::bisect;
    case GIT_REPOSITORY_STATE_REBASE:
    case GIT_REPOSITORY_STATE_REBASE_INTERACTIVE:
    case GIT_REPOSITORY_STATE_REBASE_MERGE:
    case GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE: return Operation::rebase;
    case GIT_REPOSITORY_STATE_APPLY_MAILBOX: return Operation::apply_mailbox;
    default: return Operation::none;
  }
}

}  // namespace

Result<RepoState> read_repo_state(git_repository* repo) {
  RepoState out;
  out.operation = operation_of(git_repository_state(repo));

  const int detached = git_repository_head_detached(repo);
  if (detached < 0) return git_failure(Errc::corrupt, "cannot read HEAD");
  out.detached = detached == 1;

  git_reference* raw = nullptr;
  int rc = git_repository_head(&raw, repo);
  ReferencePtr head(raw);
  if (rc == GIT_EUNBORNBRANCH || rc == GIT_ENOTFOUND) {
    out.unborn = true;
    git_reference* sym = nullptr;  // HEAD itself: "ref: refs/heads/<branch>"
    if (git_reference_lookup(&sym, repo, "HEAD") == 0) {
      ReferencePtr sym_ref(sym);
      if (const char* target = git_reference_symbolic_target(sym)) {
        std::string t = target;
        constexpr std::string_view k_heads = "refs/heads/";
        out.branch = t.starts_with(k_heads) ? t.substr(k_heads.size()) : t;
      }
    }
    return out;
  }
  if (rc < 0) return git_failure(Errc::corrupt, "cannot resolve HEAD");
  if (const git_oid* id = git_reference_target(head.get())) out.head_commit = hex(*id);
  if (!out.detached) out.branch = git_reference_shorthand(head.get());
  return out;
}

}  // namespace gavel::git
