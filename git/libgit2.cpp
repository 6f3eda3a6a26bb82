#include "git/libgit2.hpp"

#include <mutex>

namespace gavel::git {

void ensure_libgit2() {
  static std::once_flag once;
  std::call_once(once, [] {
    git_libgit2_init();
    // Objects are read, never written; strict checks only cost time on every lookup.
    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
  });
}

Error git_failure(Errc code, std::string_view what) {
  const git_error* e = git_error_last();
  std::string message(what);
  if (e && e->message && *e->message) {
    message += ": ";
    message += e->message;
  }
  return Error(code, std::move(message));
}

std::string hex(const git_oid& id) {
  if (git_oid_is_zero(&id)) return {};
  char out[GIT_OID_SHA1_HEXSIZE + 1];
  git_oid_tostr(out, sizeof out, &id);
  return out;
}

}  // namespace gavel::git
