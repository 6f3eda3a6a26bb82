// Opening repositories: from anywhere inside one, and clear errors for everything else.
#include "git/repository.hpp"
#include "git/snapshot.hpp"

#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace gavel::git {
namespace {

using test::TempGitRepo;
namespace fs = std::filesystem;

TEST(Repository, OpensFromASubdirectory) {
  TempGitRepo repo;
  repo.write("a/b/c.txt", "x\n");
  repo.commit_all();
  auto reader = SnapshotReader::open(repo.path() / "a" / "b");
  ASSERT_TRUE(reader) << reader.error().message;
  EXPECT_EQ(reader->workdir(), fs::canonical(repo.path()).string() + "/");
}

TEST(Repository, BareRepositoryIsRejected) {
  TempGitRepo repo(TempGitRepo::Init::bare);
  auto reader = SnapshotReader::open(repo.path());
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, Errc::bare_repository);
  EXPECT_NE(reader.error().message.find("bare"), std::string::npos);
}

TEST(Repository, DirectoryOutsideAnyRepositoryIsRejected) {
  TempGitRepo dir(TempGitRepo::Init::none);
  auto reader = SnapshotReader::open(dir.path());
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, Errc::not_a_repository);
}

TEST(Repository, MissingDirectoryIsNotARepository) {
  TempGitRepo dir(TempGitRepo::Init::none);
  auto reader = SnapshotReader::open(dir.path() / "does-not-exist");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, Errc::not_a_repository);
}

TEST(Repository, GarbageHeadIsCorrupt) {
  TempGitRepo repo;
  repo.write("f.txt", "x\n");
  repo.commit_all();
  std::ofstream(repo.path() / ".git" / "HEAD", std::ios::trunc) << "this is not a ref\n";
  auto reader = SnapshotReader::open(repo.path());
  ASSERT_FALSE(reader);
  // libgit2 refuses a repository whose HEAD is unreadable at open; either way it is typed.
  EXPECT_TRUE(reader.error().code == Errc::corrupt || reader.error().code == Errc::not_a_repository)
      << to_string(reader.error().code) << ": " << reader.error().message;
}

TEST(Repository, HeadNamingAMissingCommitIsCorrupt) {
  TempGitRepo repo;
  repo.write("f.txt", "x\n");
  repo.commit_all();
  std::ofstream(repo.path() / ".git" / "refs" / "heads" / "main", std::ios::trunc)
      << "1234567890123456789012345678901234567890\n";
  auto reader = SnapshotReader::open(repo.path());
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, Errc::corrupt) << reader.error().message;
}

// The index is read by the first snapshot, not by open(); check_index() reads it up front.
void expect_corrupt_index(const TempGitRepo& repo) {
  auto opened = Repository::open(repo.path());
  ASSERT_TRUE(opened) << opened.error().message;
  auto checked = opened->check_index();
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, Errc::corrupt) << checked.error().message;
  auto reader = SnapshotReader::open(repo.path());
  ASSERT_TRUE(reader) << reader.error().message;
  auto snap = reader->take();
  ASSERT_FALSE(snap);
  EXPECT_EQ(snap.error().code, Errc::corrupt) << snap.error().message;
}

TEST(Repository, TruncatedIndexIsCorrupt) {
  TempGitRepo repo;
  repo.write("f.txt", "x\n");
  repo.commit_all();
  const fs::path index = repo.path() / ".git" / "index";
  fs::resize_file(index, fs::file_size(index) / 2);
  expect_corrupt_index(repo);
}

TEST(Repository, GarbageIndexIsCorrupt) {
  TempGitRepo repo;
  repo.write("f.txt", "x\n");
  repo.commit_all();
  std::ofstream(repo.path() / ".git" / "index", std::ios::trunc) << "DIRC garbage garbage";
  expect_corrupt_index(repo);
}

TEST(Repository, LinkedWorktreeHasItsOwnIndexAndHead) {
  TempGitRepo repo;
  repo.write("f.txt", "one\n");
  repo.commit_all();
  const fs::path wt = repo.root() / "wt";
  repo.git({"worktree", "add", "-q", "-b", "side", wt.string()});
  std::ofstream(wt / "f.txt", std::ios::trunc) << "two\n";
  std::ofstream(wt / "new.txt") << "new\n";

  auto reader = SnapshotReader::open(wt);
  ASSERT_TRUE(reader) << reader.error().message;
  auto snap = reader->take();
  ASSERT_TRUE(snap) << snap.error().message;
  ASSERT_EQ(snap->changes.files.size(), 2u);
  EXPECT_EQ(snap->changes.files[0].path(), "f.txt");
  EXPECT_EQ(snap->changes.files[1].path(), "new.txt");
  EXPECT_TRUE(snap->changes.files[1].untracked);
  EXPECT_EQ(snap->state.branch, "side");

  auto main_reader = SnapshotReader::open(repo.path());  // the main tree is untouched
  ASSERT_TRUE(main_reader);
  auto main_snap = main_reader->take();
  ASSERT_TRUE(main_snap);
  EXPECT_TRUE(main_snap->changes.files.empty());
  EXPECT_EQ(main_snap->state.branch, "main");
}

}  // namespace
}  // namespace gavel::git
