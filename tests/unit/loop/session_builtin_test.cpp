// SessionRunner with the builtin agents on real repositories: the rules reviewer finds, the
// patch implementer fixes in a scratch worktree, the reviewer re-reviews; the developer's tree
// is never touched. Also: refusing to review while git is in the middle of an operation.
#include "loop/session_runner.hpp"

#include "session_test_support.hpp"

#include "agents/agent_factory.hpp"
#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace gavel::loop {
namespace {

namespace fs = std::filesystem;
using gavel::test::TempGitRepo;

std::shared_ptr<agents::Agent> builtin(const std::string& name) {
  auto spec = agents::resolve_agent(config::Config{}, name);
  EXPECT_TRUE(spec.has_value());
  auto agent = agents::make_agent(*spec);
  EXPECT_TRUE(agent.has_value());
  return std::shared_ptr<agents::Agent>(std::move(*agent));
}

std::string bytes_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every file of the working tree (outside .git) with its bytes, plus `git status` and the index.
std::map<std::string, std::string> developer_state(const TempGitRepo& repo) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(repo.path())) {
    const auto rel = fs::relative(entry.path(), repo.path()).generic_string();
    if (rel == ".git" || rel.rfind(".git/", 0) == 0 || !entry.is_regular_file()) continue;
    out[rel] = bytes_of(entry.path());
  }
  out["<status>"] = repo.git({"--no-optional-locks", "status", "--porcelain"});
  out["<index>"] = bytes_of(repo.path() / ".git" / "index");
  return out;
}

TEST(SessionBuiltin, RulesFindPatchFixesInScratchAndDeveloperTreeIsUntouched) {
  TempGitRepo repo;
  repo.write("app.py", "def f():\n    return 1\n");
  repo.commit_all("base");
  repo.write("app.py", "def f():\n    return 2   \n");                    // trailing blanks
  repo.write("web/app.js", "function g() {\n  debugger;\n  return 1;\n}\n");  // untracked
  const auto before = developer_state(repo);

  SessionSetup setup;
  setup.repo = repo.path();
  setup.policy = test::test_policy();
  setup.policy.blocking_threshold = review::Priority::p2;  // the hygiene rules are P2
  setup.scratch_parent = repo.root();
  test::RecordingObserver seen;
  boost::asio::io_context io;
  SessionRunner runner(io.get_executor(), setup, builtin("rules"), builtin("patch"), &seen);
  auto outcome = test::run_to_end(io, runner);

  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(outcome->verdict, review::Verdict::converged) << outcome->summary;
  ASSERT_EQ(runner.state().findings.size(), 2u);
  for (const auto& f : runner.state().findings) {
    EXPECT_EQ(f.state, review::FindingState::verified) << f.raised.title;
  }
  // reviewer, implementer, reviewer.
  ASSERT_EQ(seen.finished.size(), 3u);
  EXPECT_EQ(seen.finished[1].role, review::Role::implementer);
  EXPECT_TRUE(seen.finished[1].ok);
  // The fix is proposed as a patch, not applied.
  EXPECT_NE(outcome->proposed_patch.find("-    return 2   \n+    return 2\n"), std::string::npos)
      << outcome->proposed_patch;
  EXPECT_NE(outcome->proposed_patch.find("-  debugger;"), std::string::npos) << outcome->proposed_patch;
  EXPECT_FALSE(outcome->snapshot.empty());
  EXPECT_EQ(developer_state(repo), before);
  EXPECT_FALSE(seen.all<review::PublishVerdict>().empty());
}

TEST(SessionBuiltin, CleanChangeConvergesWithoutImplementerOrPatch) {
  TempGitRepo repo;
  repo.write("a.txt", "one\n");
  repo.commit_all("base");
  repo.write("a.txt", "one\ntwo\n");
  SessionSetup setup;
  setup.repo = repo.path();
  setup.policy = test::test_policy();
  test::RecordingObserver seen;
  boost::asio::io_context io;
  SessionRunner runner(io.get_executor(), setup, builtin("rules"), builtin("patch"), &seen);
  auto outcome = test::run_to_end(io, runner);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(outcome->verdict, review::Verdict::converged);
  EXPECT_TRUE(outcome->proposed_patch.empty());
  ASSERT_EQ(seen.finished.size(), 1u);
  EXPECT_EQ(seen.finished[0].role, review::Role::reviewer);
}

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

Result<SessionOutcome> run_rules_in(const TempGitRepo& repo) {
  SessionSetup setup;
  setup.repo = repo.path();
  setup.policy = test::test_policy();
  boost::asio::io_context io;
  SessionRunner runner(io.get_executor(), setup, builtin("rules"), builtin("patch"));
  return test::run_to_end(io, runner);
}

TEST(SessionBuiltin, RefusesWhileAMergeIsInProgress) {
  TempGitRepo repo;
  make_conflicting_branches(repo);
  EXPECT_NE(repo.run_git({"merge", "side"}).status, 0);
  auto outcome = run_rules_in(repo);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code, Errc::conflict);
  EXPECT_NE(outcome.error().message.find("merge is in progress"), std::string::npos)
      << outcome.error().message;
}

TEST(SessionBuiltin, RefusesWhileARebaseIsInProgress) {
  TempGitRepo repo;
  make_conflicting_branches(repo);
  EXPECT_NE(repo.run_git({"rebase", "side"}).status, 0);
  auto outcome = run_rules_in(repo);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_NE(outcome.error().message.find("rebase is in progress"), std::string::npos)
      << outcome.error().message;
}

TEST(SessionBuiltin, OutsideARepositoryIsAnError) {
  TempGitRepo dir(TempGitRepo::Init::none);
  auto outcome = run_rules_in(dir);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code, Errc::not_a_repository);
}

}  // namespace
}  // namespace gavel::loop
