#pragma once
// GitSimilarity: git's rename score (diffcore-rename.c estimate_similarity over diffcore-delta.c
// span hashes) as a libgit2 similarity metric, so that which files pair up as renames and the
// "similarity index N%" line match `git diff` exactly. libgit2's own metric (hashsig) scores
// differently and ignores whitespace.
//
// Internal to git/. One metric object per snapshot, used on its thread; working-tree files are
// read through the clean filters, as git reads them; nothing is written.

#include "git/libgit2.hpp"

#include <string>
#include <utility>

namespace gavel::git {

class GitSimilarity {
 public:
  GitSimilarity(git_repository* repo, std::string workdir);
  GitSimilarity(const GitSimilarity&) = delete;
  GitSimilarity& operator=(const GitSimilarity&) = delete;

  // Points at this object; valid while it lives.
  git_diff_similarity_metric* metric() noexcept { return &m_metric; }

 private:
  git_repository* m_repo;
  std::string m_workdir;
  std::pair<git_repository*, const std::string*> m_payload{};
  git_diff_similarity_metric m_metric{};
};

}  // namespace gavel::git
