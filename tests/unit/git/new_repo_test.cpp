#include "git/new_repo.hpp"

#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>

namespace gavel::git {
namespace {

TEST(CreateRepository, GitSeesOneCleanCommitOnMain) {
  test::TempGitRepo scratch(test::TempGitRepo::Init::none);
  const auto dir = scratch.path() / "demo";
  auto r = create_repository(dir, {{"a.py", "print(1)\n"}, {"lib/b.py", "x = 2\n"}}, "start");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(scratch.git({"log", "--format=%s|%an"}, dir), "start|gavel demo\n");
  EXPECT_EQ(scratch.git({"ls-files"}, dir), "a.py\nlib/b.py\n");
  EXPECT_EQ(scratch.git({"status", "--porcelain"}, dir), "");
  EXPECT_EQ(scratch.git({"branch", "--show-current"}, dir), "main\n");
}

}  // namespace
}  // namespace gavel::git
