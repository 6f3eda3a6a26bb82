// ScratchTree::open_reader: the scratch tree's snapshot reader, refused when an agent has
// redirected the scratch repository, so what is reviewed is the tree whose diff is offered.
#include "git/scratch.hpp"

#include <system_error>

namespace gavel::git {

namespace fs = std::filesystem;

Result<SnapshotReader> ScratchTree::open_reader() const {
  auto reader = SnapshotReader::open(workdir(), ReaderMode::one_shot);
  if (!reader) {  // e.g. HEAD moved to a branch that does not exist: say that
    if (auto head = check_head(); !head) return head.error();
    return reader.error();
  }
  std::error_code root_ec, tree_ec, git_ec;
  const fs::path root = fs::canonical(workdir(), root_ec);
  const fs::path tree = fs::canonical(reader->workdir(), tree_ec);
  const fs::path git = fs::canonical(reader->gitdir(), git_ec);
  if (root_ec || tree_ec || git_ec || tree != root || git != root / ".git") {
    return fail(Errc::invalid_argument,
                "the scratch worktree's repository was redirected (working tree " + reader->workdir() +
                    ", git directory " + reader->gitdir() + "); it is not read");
  }
  if (auto head = check_head(); !head) return head.error();
  return reader;
}

}  // namespace gavel::git
