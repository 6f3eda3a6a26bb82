#include "git/fingerprint.hpp"

#include "git/libgit2.hpp"

namespace gavel::git {

std::string fingerprint(std::string_view base_commit, const std::vector<std::string>& full_patches) {
  ensure_libgit2();
  std::string data = "gavel-fingerprint-1\nbase ";
  data += base_commit;
  data += '\n';
  for (const std::string& p : full_patches) data += p;
  git_oid id{};
  git_odb_hash(&id, data.data(), data.size(), GIT_OBJECT_BLOB);
  char out[GIT_OID_SHA1_HEXSIZE + 1];
  git_oid_tostr(out, sizeof out, &id);
  return out;
}

}  // namespace gavel::git
