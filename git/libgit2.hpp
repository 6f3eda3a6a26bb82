#pragma once
// RAII ownership of libgit2 handles and the one place libgit2 failures become gavel::Error.
//
// Internal to git/ (and its tests): every other module sees libgit2-free headers. Callers are
// the git/ sources, on whatever thread the daemon runs a snapshot on; a handle is owned by one
// thread at a time. Nothing here writes to a repository.

#include "base/error.hpp"

#include <git2.h>
#include <git2/sys/errors.h>

#include <memory>
#include <string>
#include <string_view>

namespace gavel::git {

// Calls git_libgit2_init exactly once per process (thread-safe); never shuts libgit2 down,
// so handles may outlive any one caller.
void ensure_libgit2();

// Deleter calling libgit2's free function `F` on a handle of type `T`.
template <class T, void (*F)(T*)>
struct Free {
  void operator()(T* p) const noexcept {
    if (p) F(p);
  }
};

using RepositoryPtr = std::unique_ptr<git_repository, Free<git_repository, git_repository_free>>;
using IndexPtr = std::unique_ptr<git_index, Free<git_index, git_index_free>>;
using TreePtr = std::unique_ptr<git_tree, Free<git_tree, git_tree_free>>;
using TreeEntryPtr = std::unique_ptr<git_tree_entry, Free<git_tree_entry, git_tree_entry_free>>;
using CommitPtr = std::unique_ptr<git_commit, Free<git_commit, git_commit_free>>;
using ReferencePtr = std::unique_ptr<git_reference, Free<git_reference, git_reference_free>>;
using DiffPtr = std::unique_ptr<git_diff, Free<git_diff, git_diff_free>>;
using PatchPtr = std::unique_ptr<git_patch, Free<git_patch, git_patch_free>>;
using BlobPtr = std::unique_ptr<git_blob, Free<git_blob, git_blob_free>>;
using OdbPtr = std::unique_ptr<git_odb, Free<git_odb, git_odb_free>>;
using ConfigPtr = std::unique_ptr<git_config, Free<git_config, git_config_free>>;
using SignaturePtr = std::unique_ptr<git_signature, Free<git_signature, git_signature_free>>;
using FilterListPtr = std::unique_ptr<git_filter_list, Free<git_filter_list, git_filter_list_free>>;

// A git_buf released on scope exit.
class Buf {
 public:
  Buf() = default;
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
  ~Buf() { git_buf_dispose(&m_buf); }
  git_buf* get() noexcept { return &m_buf; }
  std::string_view view() const noexcept {
    return m_buf.ptr ? std::string_view(m_buf.ptr, m_buf.size) : std::string_view();
  }

 private:
  git_buf m_buf = GIT_BUF_INIT;
};

// The Error for a failed libgit2 call: "`what`: <git_error_last()->message>".
Error git_failure(Errc code, std::string_view what);

// Hex form of `id`; empty for the zero id.
std::string hex(const git_oid& id);

}  // namespace gavel::git
