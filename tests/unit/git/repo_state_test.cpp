// Repository states the daemon must wait for, and where HEAD points.
#include "git/snapshot.hpp"

#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>

namespace gavel::git {
namespace {

using test::TempGitRepo;

// main and side both change f.txt, so merging, rebasing or cherry-picking stops on a conflict.
void make_conflicting_branches(const TempGitRepo& repo) {
  repo.write("f.txt", "base\n");
  repo.commit_all("base");
  repo.git({"checkout", "-q", "-b", "side"});
  repo.write("f.txt", "side\n");
  repo.commit_all("side");
  repo.git({"checkout", "-q", "main"});
  repo.write("f.txt", "main\n");
  repo.commit_all("main");
}

RepoState state_of(const TempGitRepo& repo) {
  auto reader = SnapshotReader::open(repo.path());
  EXPECT_TRUE(reader) << reader.error().message;
  auto state = reader->state();
  EXPECT_TRUE(state) << state.error().message;
  return *state;
}

TEST(RepoState, CleanRepositoryOnABranch) {
  TempGitRepo repo;
  repo.write("f.txt", "x\n");
  const std::string head = repo.commit_all();
  const RepoState s = state_of(repo);
  EXPECT_EQ(s.operation, Operation::none);
  EXPECT_FALSE(s.busy());
  EXPECT_FALSE(s.detached);
  EXPECT_FALSE(s.unborn);
  EXPECT_EQ(s.branch, "main");
  EXPECT_EQ(s.head_commit, head);
}

TEST(RepoState, UnbornBranch) {
  TempGitRepo repo;
  const RepoState s = state_of(repo);
  EXPECT_TRUE(s.unborn);
  EXPECT_EQ(s.branch, "main");
  EXPECT_TRUE(s.head_commit.empty());
}

TEST(RepoState, DetachedHead) {
  TempGitRepo repo;
  repo.write("f.txt", "x\n");
  const std::string head = repo.commit_all();
  repo.git({"checkout", "-q", "--detach"});
  const RepoState s = state_of(repo);
  EXPECT_TRUE(s.detached);
  EXPECT_TRUE(s.branch.empty());
  EXPECT_EQ(s.head_commit, head);
}

TEST(RepoState, MergeInProgress) {
  TempGitRepo repo;
  make_conflicting_branches(repo);
  EXPECT_NE(repo.run_git({"merge", "side"}).status, 0);
  const RepoState s = state_of(repo);
  EXPECT_EQ(s.operation, Operation::merge);
  EXPECT_TRUE(s.busy());
}

TEST(RepoState, RebaseInProgress) {
  TempGitRepo repo;
  make_conflicting_branches(repo);
  EXPECT_NE(repo.run_git({"rebase", "side"}).status, 0);
  const RepoState s = state_of(repo);
  EXPECT_EQ(s.operation, Operation::rebase);
  EXPECT_TRUE(s.detached);  // git rebases on a detached HEAD
}

TEST(RepoState, CherryPickInProgress) {
  TempGitRepo repo;
  make_conflicting_branches(repo);
  EXPECT_NE(repo.run_git({"cherry-pick", "side"}).status, 0);
  EXPECT_EQ(state_of(repo).operation, Operation::cherry_pick);
}

TEST(RepoState, RevertInProgress) {
  TempGitRepo repo;
  repo.write("f.txt", "one\n");
  repo.commit_all("one");
  repo.write("f.txt", "two\n");
  const std::string two = repo.commit_all("two");
  repo.write("f.txt", "three\n");
  repo.commit_all("three");
  EXPECT_NE(repo.run_git({"revert", "--no-edit", two}).status, 0);
  EXPECT_EQ(state_of(repo).operation, Operation::revert);
}

TEST(RepoState, BisectInProgress) {
  TempGitRepo repo;
  repo.write("f.txt", "one\n");
  const std::string good = repo.commit_all("one");
  repo.write("f.txt", "two\n");
  repo.commit_all("two");
  repo.git({"bisect", "start"});
  repo.git({"bisect", "bad"});
  repo.git({"bisect", "good", good});
  EXPECT_EQ(state_of(repo).operation, Operation::bisect);
}

TEST(RepoState, SnapshotCarriesTheState) {
  TempGitRepo repo;
  make_conflicting_branches(repo);
  EXPECT_NE(repo.run_git({"merge", "side"}).status, 0);
  auto reader = SnapshotReader::open(repo.path());
  ASSERT_TRUE(reader);
  auto snap = reader->take();
  ASSERT_TRUE(snap) << snap.error().message;
  EXPECT_EQ(snap->state.operation, Operation::merge);
  ASSERT_FALSE(snap->changes.files.empty());  // the conflicted file is reported
  EXPECT_EQ(snap->changes.files[0].path(), "f.txt");
}

}  // namespace
}  // namespace gavel::git
