#include "git/head_file.hpp"

#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>

namespace gavel::git {
namespace {

TEST(ReadHeadFile, ReadsTheCommittedBytesNotTheWorkingTree) {
  test::TempGitRepo repo;
  repo.write("sub/.gavel.toml", "[review]\nround_limit = 3\n");
  repo.commit_all("config");
  repo.write("sub/.gavel.toml", "[review]\nround_limit = 99\n");
  auto text = read_head_file(repo.path() / "sub", "sub/.gavel.toml");
  ASSERT_TRUE(text.has_value()) << text.error().message;
  ASSERT_TRUE(text->has_value());
  EXPECT_EQ(**text, "[review]\nround_limit = 3\n");
}

TEST(ReadHeadFile, AbsentOnAnUnbornBranchOrWhenNotCommitted) {
  test::TempGitRepo repo;
  repo.write(".gavel.toml", "[review]\n");
  auto unborn = read_head_file(repo.path(), ".gavel.toml");
  ASSERT_TRUE(unborn.has_value()) << unborn.error().message;
  EXPECT_FALSE(unborn->has_value());
  repo.write("a.txt", "a\n");
  repo.git({"add", "a.txt"});
  repo.git({"commit", "-qm", "a"});
  auto missing = read_head_file(repo.path(), ".gavel.toml");
  ASSERT_TRUE(missing.has_value());
  EXPECT_FALSE(missing->has_value());
}

TEST(ReadHeadFile, OutsideARepositoryIsAnError) {
  auto r = read_head_file("/", ".gavel.toml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::not_a_repository);
}

}  // namespace
}  // namespace gavel::git
