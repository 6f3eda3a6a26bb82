#include "git/new_repo.hpp"

#include "git/libgit2.hpp"

#include <fstream>

namespace gavel::git {

namespace {


Result<void> write_file(const std::filesystem::path& path, const std::string& content) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (ec || !out) return fail(Errc::io, "cannot write " + path.string());
  return {};
}

}  // namespace

Result<void> create_repository(const std::filesystem::path& dir, const std::vector<NewFile>& files,
                               const std::string& message) {
  ensure_libgit2();
  git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  opts.flags = GIT_REPOSITORY_INIT_MKPATH;
  opts.initial_head = "main";
  git_repository* raw = nullptr;
  if (git_repository_init_ext(&raw, dir.c_str(), &opts) != 0) {
    return git_failure(Errc::git, "creating a repository in " + dir.string());
  }
  RepositoryPtr repo(raw);
  for (const NewFile& f : files) {
    if (auto r = write_file(dir / f.path, f.content); !r) return r;
  }
  git_index* raw_index = nullptr;
  if (git_repository_index(&raw_index, repo.get()) != 0) return git_failure(Errc::git, "index");
  IndexPtr index(raw_index);
  for (const NewFile& f : files) {
    if (git_index_add_bypath(index.get(), f.path.c_str()) != 0) {
      return git_failure(Errc::git, "adding " + f.path);
    }
  }
  git_oid tree_id;
  git_oid commit_id;
  if (git_index_write(index.get()) != 0 || git_index_write_tree(&tree_id, index.get()) != 0) {
    return git_failure(Errc::git, "writing the index");
  }
  git_tree* raw_tree = nullptr;
  if (git_tree_lookup(&raw_tree, repo.get(), &tree_id) != 0) return git_failure(Errc::git, "tree");
  TreePtr tree(raw_tree);
  git_signature* raw_sig = nullptr;
  if (git_signature_now(&raw_sig, "gavel demo", "demo@gavel.invalid") != 0) {
    return git_failure(Errc::git, "signature");
  }
  SignaturePtr sig(raw_sig);
  if (git_commit_create_v(&commit_id, repo.get(), "HEAD", sig.get(), sig.get(), nullptr,
                          message.c_str(), tree.get(), 0) != 0) {
    return git_failure(Errc::git, "committing");
  }
  return {};
}

}  // namespace gavel::git
