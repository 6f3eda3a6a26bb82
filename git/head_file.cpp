#include "git/head_file.hpp"

#include "git/libgit2.hpp"
#include "git/repository.hpp"

namespace gavel::git {

Result<std::optional<std::string>> read_head_file(const std::filesystem::path& dir,
                                                  const std::string& path) {
  auto repo = Repository::open(dir);
  if (!repo) return repo.error();
  git_object* head = nullptr;
  const int rc = git_revparse_single(&head, repo->raw(), "HEAD^{commit}");
  if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH) return std::optional<std::string>();
  if (rc != 0) return git_failure(Errc::corrupt, "reading HEAD");
  CommitPtr commit(reinterpret_cast<git_commit*>(head));
  git_tree* raw_tree = nullptr;
  if (git_commit_tree(&raw_tree, commit.get()) != 0) {
    return git_failure(Errc::corrupt, "reading HEAD's tree");
  }
  TreePtr tree(raw_tree);
  git_tree_entry* raw_entry = nullptr;
  if (git_tree_entry_bypath(&raw_entry, tree.get(), path.c_str()) != 0) {
    return std::optional<std::string>();
  }
  TreeEntryPtr entry(raw_entry);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB ||
      git_tree_entry_filemode(entry.get()) == GIT_FILEMODE_LINK) {
    return std::optional<std::string>();
  }
  git_blob* raw_blob = nullptr;
  if (git_blob_lookup(&raw_blob, repo->raw(), git_tree_entry_id(entry.get())) != 0) {
    return git_failure(Errc::corrupt, "reading " + path + " at HEAD");
  }
  BlobPtr blob(raw_blob);
  const auto* bytes = static_cast<const char*>(git_blob_rawcontent(blob.get()));
  return std::optional<std::string>(
      std::string(bytes, static_cast<std::size_t>(git_blob_rawsize(blob.get()))));
}

}  // namespace gavel::git
