// `gavel snapshot` end to end: the built binary against real repositories. Skipped when the
// binary has not been built (it is a separate target from git_test).
#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace gavel::git {
namespace {

using test::TempGitRepo;

const std::string k_gavel = std::string(GAVEL_BINARY_DIR) + "/cli/gavel";

test::RunResult gavel(const TempGitRepo& repo, std::vector<std::string> args) {
  args.insert(args.begin(), {k_gavel, "snapshot"});
  return test::run_process(args, repo.path(), repo.env());
}

class SnapshotCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(k_gavel)) GTEST_SKIP() << "gavel not built: " << k_gavel;
  }
};

TEST_F(SnapshotCommand, NotARepositoryExits65WithAMessage) {
  TempGitRepo dir(TempGitRepo::Init::none);
  const auto r = gavel(dir, {});
  EXPECT_EQ(r.status, 65);
  EXPECT_NE(r.err.find("not a git repository"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
}

TEST_F(SnapshotCommand, BareRepositoryExits65) {
  TempGitRepo bare(TempGitRepo::Init::bare);
  const auto r = gavel(bare, {});
  EXPECT_EQ(r.status, 65);
  EXPECT_NE(r.err.find("bare"), std::string::npos) << r.err;
}

TEST_F(SnapshotCommand, PatchEqualsGitDiffHead) {
  TempGitRepo repo;
  repo.write("a b.txt", "one\ntwo\n");
  repo.commit_all();
  repo.write("a b.txt", "one\n2\n");
  EXPECT_EQ(gavel(repo, {"--patch"}).out, repo.git({"diff", "HEAD"}));
  repo.git({"add", "-A"});
  EXPECT_EQ(gavel(repo, {"--patch", "--staged"}).out, repo.git({"diff", "--cached"}));
}

TEST_F(SnapshotCommand, JsonDescribesTheSnapshot) {
  TempGitRepo repo;
  repo.write("f.txt", "x\n");
  const std::string head = repo.commit_all();
  repo.write("f.txt", "y\n");
  repo.write("new.txt", "n\n");
  const auto r = gavel(repo, {"--json", "--patch", "-C", repo.path().string()});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["kind"], "worktree");
  EXPECT_EQ(j["base"], head);
  EXPECT_EQ(j["state"]["branch"], "main");
  EXPECT_EQ(j["fingerprint"].get<std::string>().size(), 40u);
  ASSERT_EQ(j["files"].size(), 2u);
  EXPECT_EQ(j["files"][0]["new_path"], "f.txt");
  EXPECT_EQ(j["files"][0]["additions"], 1);
  EXPECT_EQ(j["files"][0]["deletions"], 1);
  EXPECT_EQ(j["files"][1]["untracked"], true);
  EXPECT_NE(j["patch"].get<std::string>().find("+n"), std::string::npos);
}

TEST_F(SnapshotCommand, TextListsFilesAndFingerprint) {
  TempGitRepo repo;
  repo.write("f.txt", "x\n");
  repo.commit_all();
  repo.write("f.txt", "y\n");
  const auto r = gavel(repo, {});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("M  f.txt  +1 -1  1 hunk(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fingerprint "), std::string::npos);
}

}  // namespace
}  // namespace gavel::git
