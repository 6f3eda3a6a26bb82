#include "git/worktree_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include <unistd.h>

namespace gavel::git {

namespace {

Result<std::string> read_link(const std::string& full) {
  std::vector<char> buf(256);
  for (;;) {
    const ssize_t n = ::readlink(full.c_str(), buf.data(), buf.size());
    if (n < 0) return fail(Errc::io, "cannot read link " + full + ": " + std::strerror(errno));
    if (static_cast<std::size_t>(n) < buf.size()) return std::string(buf.data(), n);
    buf.resize(buf.size() * 2);
  }
}

Result<FilterListPtr> load_filters(git_repository* repo, const std::string& rel) {
  git_filter_list* raw = nullptr;
  // ALLOW_UNSAFE: like the diff itself, never refuse a lossy CRLF conversion.
  if (git_filter_list_load(&raw, repo, nullptr, rel.c_str(), GIT_FILTER_TO_ODB,
                           GIT_FILTER_ALLOW_UNSAFE) < 0) {
    return git_failure(Errc::git, "cannot load filters for " + rel);
  }
  return FilterListPtr(raw);
}

}  // namespace

Result<git_oid> hash_worktree_file(git_repository* repo, const std::string& workdir,
                                   const std::string& rel, const struct stat& st) {
  const std::string full = workdir + rel;
  git_oid id{};
  if (S_ISLNK(st.st_mode)) {
    auto target = read_link(full);
    if (!target) return target.error();
    if (git_odb_hash(&id, target->data(), target->size(), GIT_OBJECT_BLOB) < 0) {
      return git_failure(Errc::git, "cannot hash " + rel);
    }
    return id;
  }
  auto filters = load_filters(repo, rel);
  if (!filters) return filters.error();
  if (!*filters) {
    if (git_odb_hashfile(&id, full.c_str(), GIT_OBJECT_BLOB) < 0) {
      return git_failure(Errc::io, "cannot hash " + rel);
    }
    return id;
  }
  Buf out;
  if (git_filter_list_apply_to_file(out.get(), filters->get(), repo, rel.c_str()) < 0) {
    return git_failure(Errc::io, "cannot filter " + rel);
  }
  if (git_odb_hash(&id, out.view().data(), out.view().size(), GIT_OBJECT_BLOB) < 0) {
    return git_failure(Errc::git, "cannot hash " + rel);
  }
  return id;
}

Result<std::string> read_worktree_file(git_repository* repo, const std::string& workdir,
                                       const std::string& rel) {
  const std::string full = workdir + rel;
  struct stat st {};
  if (::lstat(full.c_str(), &st) != 0) {
    return fail(Errc::io, "cannot stat " + rel + ": " + std::strerror(errno));
  }
  if (S_ISLNK(st.st_mode)) return read_link(full);
  auto filters = load_filters(repo, rel);
  if (!filters) return filters.error();
  if (!*filters) {
    std::ifstream in(full, std::ios::binary);
    if (!in) return fail(Errc::io, "cannot read " + rel);
    std::ostringstream ss;
    ss << in.rdbuf();
    return std::move(ss).str();
  }
  Buf out;
  if (git_filter_list_apply_to_file(out.get(), filters->get(), repo, rel.c_str()) < 0) {
    return git_failure(Errc::io, "cannot filter " + rel);
  }
  return std::string(out.view());
}

}  // namespace gavel::git
