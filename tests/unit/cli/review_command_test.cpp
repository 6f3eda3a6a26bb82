// `gavel review --once` and `gavel demo` end to end: the built binary, real repositories, the
// builtin agents and a scripted process agent. Exit codes as docs/cli.md documents them.
#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace gavel::cli {
namespace {

using test::TempGitRepo;

const std::string k_gavel = std::string(GAVEL_BINARY_DIR) + "/cli/gavel";

test::RunResult gavel(const TempGitRepo& repo, std::vector<std::string> args,
                      std::vector<std::string> env = {}) {
  args.insert(args.begin(), k_gavel);
  std::vector<std::string> all = repo.env();
  all.insert(all.end(), env.begin(), env.end());
  return test::run_process(args, repo.path(), all);
}

class ReviewOnce : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(k_gavel)) << "cli_test depends on the gavel target";
    m_repo.write("cart.py", "def total(items):\n    return sum(items)\n");
    m_repo.commit_all("cart");
  }
  // A debug print (P2, with a mechanical fix) in the uncommitted change.
  void write_debug_print() {
    m_repo.write("cart.py",
                 "def total(items):\n    print(\"DEBUG total\", items)\n    return sum(items)\n");
  }
  void write_user_config(const std::string& toml) {
    const auto file = m_repo.root() / "home" / ".config" / "gavel" / "config.toml";
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << toml;
  }
  TempGitRepo m_repo;
};

TEST_F(ReviewOnce, CleanChangeConvergesWithExit0) {
  m_repo.write("cart.py", "def total(items):\n    return sum(items)\n\n\ndef count(items):\n"
                          "    return len(items)\n");
  const auto r = gavel(m_repo, {"review", "--once"});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("converged"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("round 1 of 8"), std::string::npos) << r.err;
}

TEST_F(ReviewOnce, FixIsSavedNotAppliedWithApplyNever) {
  write_debug_print();
  const std::string before = m_repo.read("cart.py");
  const auto r = gavel(m_repo, {"review", "--once", "--json", "--apply", "never", "-c",
                                "review.blocking_threshold=P2"});
  // The agents agreed on a fix, but the developer's tree does not have it: not a pass.
  ASSERT_EQ(r.status, 1) << r.out << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["verdict"], "converged");
  EXPECT_EQ(j["fix_not_applied"], true);
  EXPECT_EQ(j["patch"]["state"], "saved");
  EXPECT_EQ(m_repo.read("cart.py"), before);  // the developer's tree is untouched
  const std::string saved = j["patch"]["path"];
  EXPECT_EQ(m_repo.run_git({"apply", "--check", saved}).status, 0);  // it applies as saved
  EXPECT_EQ(m_repo.run_git({"for-each-ref", "refs/gavel/"}).out, "");
}

TEST_F(ReviewOnce, FixIsAppliedWithApplyAutoAndUndoPointSaved) {
  write_debug_print();
  const auto r = gavel(m_repo, {"review", "--once", "--apply", "auto", "-c",
                                "review.blocking_threshold=P2"});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(m_repo.read("cart.py"), "def total(items):\n    return sum(items)\n");
  EXPECT_NE(m_repo.git({"for-each-ref", "--format=%(refname)", "refs/gavel/undo/"})
                .find("refs/gavel/undo/1"),
            std::string::npos);
  EXPECT_NE(r.out.find("gavel undo"), std::string::npos) << r.out;

  // `gavel undo` puts the developer's version back, and can itself be undone.
  auto u = gavel(m_repo, {"undo"});
  ASSERT_EQ(u.status, 0) << u.out << u.err;
  EXPECT_EQ(m_repo.read("cart.py"),
            "def total(items):\n    print(\"DEBUG total\", items)\n    return sum(items)\n");
  u = gavel(m_repo, {"undo", "--list", "--json"});
  ASSERT_EQ(u.status, 0) << u.err;
  EXPECT_EQ(nlohmann::json::parse(u.out).size(), 2U);
  u = gavel(m_repo, {"undo", "2"});
  ASSERT_EQ(u.status, 0) << u.out << u.err;
  EXPECT_EQ(m_repo.read("cart.py"), "def total(items):\n    return sum(items)\n");
  EXPECT_EQ(gavel(m_repo, {"undo", "9"}).status, 64);
}

TEST_F(ReviewOnce, ReviewerOnlyWithABlockingFindingIsBlockedExit1) {
  write_debug_print();
  const auto r = gavel(m_repo, {"review", "--once", "--no-implementer", "-c",
                                "review.blocking_threshold=P2"});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("cart.py:2"), std::string::npos) << r.out;
}

TEST_F(ReviewOnce, RepositoryFileCountsAsCommittedNotAsEdited) {
  write_debug_print();
  m_repo.write(".gavel.toml", "[review]\nblocking_threshold = \"P2\"\n");
  m_repo.git({"add", ".gavel.toml"});
  m_repo.git({"commit", "-qm", "strict bar"});
  // An uncommitted edit that would lower the bar does not count.
  m_repo.write(".gavel.toml", "[review]\nblocking_threshold = \"P0\"\n");
  const auto r = gavel(m_repo, {"review", "--once", "--no-implementer"});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
}

TEST_F(ReviewOnce, DisputedSecretEscalatesExit2) {
  m_repo.write("cart.py", "def total(items):\n    return sum(items)\n\nPASSWORD = \"Zq8#kLm2$vT9pWx4\"\n");
  const auto r = gavel(m_repo, {"review", "--once"});
  EXPECT_EQ(r.status, 2) << r.out << r.err;
  EXPECT_NE(r.out.find("escalated"), std::string::npos) << r.out;
}

TEST_F(ReviewOnce, MalformedAgentOutputIsAnInfrastructureFailureExit3) {
  write_user_config(
      "[agents.garbage]\nkind = \"process\"\nreviewer_argv = [\"sh\", \"-c\", \"echo not json\"]\n"
      "implementer_argv = [\"sh\", \"-c\", \"echo not json\"]\nenv_allow = [\"PATH\"]\n");
  write_debug_print();
  const auto r = gavel(m_repo, {"review", "--once", "--reviewer", "garbage"});
  EXPECT_EQ(r.status, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("infra_failure"), std::string::npos) << r.out;
}

TEST_F(ReviewOnce, UnknownAgentAndBadOptionsAreUsageOrDataErrors) {
  write_debug_print();
  auto r = gavel(m_repo, {"review", "--once", "--reviewer", "nobody"});
  EXPECT_EQ(r.status, 65) << r.err;
  EXPECT_NE(r.err.find("nobody"), std::string::npos) << r.err;
  r = gavel(m_repo, {"review", "--once", "--apply", "sometimes"});
  EXPECT_EQ(r.status, 64) << r.err;
  r = gavel(m_repo, {"review", "--once", "-c", "review.round_limit=many"});
  EXPECT_EQ(r.status, 65) << r.err;
}

TEST_F(ReviewOnce, MergeInProgressIsRefusedExit65) {
  write_debug_print();
  std::ofstream(m_repo.path() / ".git" / "MERGE_HEAD") << m_repo.git({"rev-parse", "HEAD"});
  const auto r = gavel(m_repo, {"review", "--once"});
  EXPECT_EQ(r.status, 65) << r.out << r.err;
  EXPECT_NE(r.err.find("merge"), std::string::npos) << r.err;
}

TEST_F(ReviewOnce, NotARepositoryExits65) {
  TempGitRepo dir(TempGitRepo::Init::none);
  const auto r = gavel(dir, {"review", "--once"});
  EXPECT_EQ(r.status, 65) << r.err;
}

TEST(Demo, BothScenariosEndAsDescribedAndNothingIsLeftBehind) {
  ASSERT_TRUE(std::filesystem::exists(k_gavel));
  TempGitRepo tmp(TempGitRepo::Init::none);
  const auto r = test::run_process({k_gavel, "demo"}, tmp.path(),
                                   {"PATH=/usr/bin:/bin", "TMPDIR=" + tmp.path().string()});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("converged: no finding at or above P2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("refs/gavel/undo/1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("escalated (dispute)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("converged: nothing blocking after human decisions"), std::string::npos)
      << r.out;
  EXPECT_TRUE(std::filesystem::is_empty(tmp.path())) << "the demo left files in TMPDIR";
}

}  // namespace
}  // namespace gavel::cli
