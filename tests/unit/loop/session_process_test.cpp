// SessionRunner with a real process agent built by agents::make_agent: the fake CLI
// (tests/data/fake_cli/fake_agent.py) answers a review naming an absolute path under the
// {workdir} it was given, which must come back as a repository-relative, blocking finding.
#include "loop/session_runner.hpp"

#include "session_test_support.hpp"

#include "agents/agent_factory.hpp"
#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>

namespace gavel::loop {
namespace {

using gavel::test::TempGitRepo;

const std::string k_fake = std::string(GAVEL_TEST_DATA_DIR) + "/fake_cli/fake_agent.py";

// The review the fake CLI prints; braces doubled for the argv template.
const std::string k_review =
    R"({{"findings": [{{"title": "[P1] Wrong operator", "body": "a - b", "confidence_score": 0.9,)"
    R"( "priority": 1, "code_location": {{"absolute_file_path": "{workdir}/src/calc.c",)"
    R"( "line_range": {{"start": 2, "end": 2}}}}}}], "overall_correctness": "patch is incorrect",)"
    R"( "overall_explanation": "bug", "overall_confidence_score": 0.9}})";

TEST(SessionProcess, FakeCliReviewerThroughMakeAgent) {
  TempGitRepo repo;
  repo.write("src/calc.c", "int add(int a, int b) {\n  return a + b;\n}\n");
  repo.commit_all("base");
  repo.write("src/calc.c", "int add(int a, int b) {\n  return a - b;\n}\n");

  config::Config config;
  config::AgentSpec spec;
  spec.kind = config::AgentKind::process;
  spec.process.reviewer_argv = {"python3", k_fake, "print", k_review};
  config.agents["fake"] = spec;
  auto resolved = agents::resolve_agent(config, "fake");
  ASSERT_TRUE(resolved.has_value()) << resolved.error().message;
  auto agent = agents::make_agent(*resolved);
  ASSERT_TRUE(agent.has_value()) << agent.error().message;

  SessionSetup setup;
  setup.repo = repo.path() / "src";  // any directory inside the working tree
  setup.policy = test::test_policy();
  setup.policy.implementer = review::ImplementerMode::disabled;
  setup.reviewer_timeout = std::chrono::seconds(60);
  test::RecordingObserver seen;
  boost::asio::io_context io;
  SessionRunner runner(io.get_executor(), setup, std::shared_ptr<agents::Agent>(std::move(*agent)),
                       nullptr, &seen);
  auto outcome = test::run_to_end(io, runner);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().message;
  EXPECT_EQ(outcome->verdict, review::Verdict::blocked) << outcome->summary;
  ASSERT_EQ(runner.state().findings.size(), 1u);
  const auto& finding = runner.state().findings[0];
  EXPECT_EQ(finding.raised.location.path, "src/calc.c");
  EXPECT_EQ(finding.raised.title, "Wrong operator");
  EXPECT_EQ(finding.raised_by, "fake");
  ASSERT_EQ(seen.finished.size(), 1u);
  EXPECT_TRUE(seen.finished[0].ok) << seen.finished[0].failure;
  EXPECT_EQ(seen.finished[0].agent, "fake");
}

}  // namespace
}  // namespace gavel::loop
