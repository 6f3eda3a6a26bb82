// `gavel hook install|uninstall`: where hooks go (core.hooksPath), chaining an existing hook,
// idempotence, exact restore; and the gate with no daemon under each gate.no_daemon policy
// (real `git commit`, nothing listening on GAVEL_SOCKET).
#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace gavel::cli {
namespace {

using test::TempGitRepo;

const std::string k_gavel = std::string(GAVEL_BINARY_DIR) + "/cli/gavel";

bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

class HookInstall : public ::testing::Test {
 protected:
  void SetUp() override {
    m_repo.write("cart.py", "def total(items):\n    return sum(items)\n");
    m_repo.commit_all("cart");
  }
  std::vector<std::string> env(std::vector<std::string> extra) const {
    std::vector<std::string> all = m_repo.env();
    all.push_back("GAVEL_SOCKET=" + (m_repo.root() / "nobody.sock").string());
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  }
  test::RunResult gavel(std::vector<std::string> args, std::vector<std::string> extra = {}) const {
    args.insert(args.begin(), k_gavel);
    return test::run_process(args, m_repo.path(), env(std::move(extra)));
  }
  test::RunResult commit(std::vector<std::string> extra = {}) const {
    return test::run_process({"git", "commit", "-q", "-m", "change"}, m_repo.path(),
                             env(std::move(extra)));
  }
  std::string head() const { return m_repo.git({"rev-parse", "HEAD"}); }
  std::filesystem::path hooks() const { return m_repo.path() / ".git" / "hooks"; }
  void stage(const std::string& content) const {
    m_repo.write("cart.py", content);
    m_repo.git({"add", "cart.py"});
  }

  TempGitRepo m_repo;
};

TEST_F(HookInstall, InstallsBothHooksAndIsIdempotent) {
  auto r = gavel({"hook", "install"});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string pre = m_repo.read(".git/hooks/pre-commit");
  EXPECT_TRUE(has(pre, "hook run")) << pre;
  EXPECT_TRUE(has(m_repo.read(".git/hooks/post-commit"), "hook post-commit"));
  r = gavel({"hook", "install"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(m_repo.read(".git/hooks/pre-commit"), pre);
  EXPECT_FALSE(std::filesystem::exists(hooks() / "pre-commit.gavel-chained"));
  ASSERT_EQ(gavel({"hook", "uninstall"}).status, 0);
  EXPECT_FALSE(std::filesystem::exists(hooks() / "pre-commit"));
  EXPECT_FALSE(std::filesystem::exists(hooks() / "post-commit"));
}

TEST_F(HookInstall, ChainsAnExistingHookWhichStillRunsAndStillBlocks) {
  const std::string mine =
      "#!/bin/sh\necho ran >> \"$(git rev-parse --git-dir)/mine.log\"\n"
      "test ! -f \"$(git rev-parse --git-dir)/mine-fails\"\n";
  m_repo.write(".git/hooks/pre-commit", mine);
  m_repo.set_executable(".git/hooks/pre-commit", true);
  ASSERT_EQ(gavel({"hook", "install"}).status, 0);
  ASSERT_EQ(gavel({"hook", "install"}).status, 0);  // again: the chained hook is not lost
  EXPECT_EQ(m_repo.read(".git/hooks/pre-commit.gavel-chained"), mine);

  stage("x = 1\n");
  auto r = commit({"GAVEL_GATE_NO_DAEMON=warn"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(m_repo.read(".git/mine.log"), "ran\n");

  m_repo.write(".git/mine-fails", "");
  stage("x = 2\n");
  const std::string before = head();
  r = commit({"GAVEL_GATE_NO_DAEMON=warn"});
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(head(), before);
  EXPECT_FALSE(has(r.err, "not reviewed")) << "gavel must not run after a failed chained hook";

  ASSERT_EQ(gavel({"hook", "uninstall"}).status, 0);
  EXPECT_EQ(m_repo.read(".git/hooks/pre-commit"), mine);  // byte-identical
  EXPECT_FALSE(std::filesystem::exists(hooks() / "pre-commit.gavel-chained"));
  const auto perms = std::filesystem::status(hooks() / "pre-commit").permissions();
  EXPECT_NE(perms & std::filesystem::perms::owner_exec, std::filesystem::perms::none);
}

TEST_F(HookInstall, HonoursCoreHooksPathRelativeToTheWorkingTree) {
  m_repo.git({"config", "core.hooksPath", "tools/hooks"});
  std::filesystem::create_directories(m_repo.path() / "sub");
  auto r = gavel({"hook", "install", "-C", (m_repo.path() / "sub").string()});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(m_repo.path() / "tools" / "hooks" / "pre-commit"));
  EXPECT_FALSE(std::filesystem::exists(hooks() / "pre-commit"));
  // git runs it from there: with gate.no_daemon=fail the commit is refused by gavel.
  stage("x = 1\n");
  r = commit({"GAVEL_GATE_NO_DAEMON=fail"});
  EXPECT_EQ(r.status, 1) << r.err;  // git reports any hook failure as 1
  EXPECT_TRUE(has(r.err, "no daemon is running")) << r.err;
}

TEST_F(HookInstall, NoDaemonPolicies) {
  ASSERT_EQ(gavel({"hook", "install"}).status, 0);
  stage("def total(items):\n    return sum(items)\n\n\ndef count(items):\n    return len(items)\n");

  // fail: refused, told plainly; `gavel hook run` itself exits 69.
  auto r = gavel({"hook", "run"}, {"GAVEL_GATE_NO_DAEMON=fail"});
  EXPECT_EQ(r.status, 69) << r.err;
  EXPECT_TRUE(has(r.err, "gate.no_daemon = fail")) << r.err;

  // warn: passes with a warning.
  r = gavel({"hook", "run"}, {"GAVEL_GATE_NO_DAEMON=warn"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.err, "NOT reviewed")) << r.err;

  // inline: the builtin rules reviewer runs here; a clean change passes and gets a note.
  const std::string before = head();
  r = commit({"GAVEL_GATE_NO_DAEMON=inline"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.err, "reviewer only")) << r.err;
  EXPECT_NE(head(), before);
  EXPECT_TRUE(has(m_repo.git({"notes", "--ref=refs/notes/gavel", "show", "HEAD"}), "inline"));

  // inline with a blocking finding (a debug print at a P2 bar): blocked, finding listed.
  stage("def total(items):\n    print(\"DEBUG total\", items)\n    return sum(items)\n");
  r = gavel({"hook", "run"}, {"GAVEL_GATE_NO_DAEMON=inline", "GAVEL_REVIEW_BLOCKING_THRESHOLD=P2"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_TRUE(has(r.err, "cart.py:2")) << r.err;
  EXPECT_TRUE(has(r.err, "gavel decide")) << r.err;
}

TEST_F(HookInstall, PreCommitFrameworkManifestRunsTheGate) {
  const auto manifest = std::filesystem::path(GAVEL_TEST_DATA_DIR).parent_path().parent_path() /
                        ".pre-commit-hooks.yaml";
  ASSERT_TRUE(std::filesystem::exists(manifest)) << manifest;
  std::ifstream in(manifest);
  const std::string text{std::istreambuf_iterator<char>(in), {}};
  EXPECT_TRUE(has(text, "id: gavel"));
  EXPECT_TRUE(has(text, "entry: gavel hook run"));
  EXPECT_TRUE(has(text, "pass_filenames: false"));
  EXPECT_TRUE(has(text, "always_run: true"));
}

}  // namespace
}  // namespace gavel::cli
