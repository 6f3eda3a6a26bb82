// The builtin patch implementer, the agents' JSON and the factory. Fixes are applied by a real
// `git apply` in a temp repository (tests/support/temp_git_repo.hpp), as the orchestrator's
// apply_patch callback would.
#include "agents/builtin_agents.hpp"
#include "agents/builtin_patch.hpp"
#include "agents/builtin_rules.hpp"

#include "review/report_parser.hpp"
#include "tests/support/diff_fixture.hpp"
#include "tests/support/temp_git_repo.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>

namespace gavel::agents {
namespace {

namespace asio = boost::asio;
using ApplyResult = boost::system::result<void, std::string>;

AgentResult run_agent(Agent& agent, Task task) {
  asio::io_context io;
  auto future = asio::co_spawn(io, agent.run(std::move(task)), asio::use_future);
  io.run();
  return future.get();
}

// apply_patch over `git apply` in `repo`; counts the calls in `calls`.
std::function<ApplyResult(const std::string&, bool)> git_apply(const test::TempGitRepo& repo,
                                                               std::shared_ptr<int> calls) {
  return [&repo, calls](const std::string& patch, bool check_only) -> ApplyResult {
    const auto file = repo.root() / ("fix-" + std::to_string((*calls)++) + ".patch");
    std::ofstream(file, std::ios::binary) << patch;
    std::vector<std::string> args{"apply"};
    if (check_only) args.push_back("--check");
    args.push_back(file.string());
    const auto r = repo.run_git(args);
    if (r.status != 0) return ApplyResult(boost::system::in_place_error, r.err);
    return {};
  };
}

// A snapshot of one added file, as the repo holds it, and the findings the rules raise on it.
struct Scenario {
  std::shared_ptr<TaskContext> context = std::make_shared<TaskContext>();
  std::vector<RuleFinding> raised;
};

Scenario scenario(const test::TempGitRepo& repo, const std::string& path, const std::string& text) {
  repo.write(path, text);
  std::string diff = "diff --git a/" + path + " b/" + path + "\nnew file mode 100644\n--- /dev/null\n+++ b/" + path + "\n";
  std::string body;
  int n = 0;
  for (std::size_t pos = 0; pos < text.size(); ++n) {
    const std::size_t nl = text.find('\n', pos);
    body += "+" + text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos) + "\n";
    if (nl == std::string::npos) body += "\\ No newline at end of file\n";
    pos = nl == std::string::npos ? text.size() : nl + 1;
  }
  diff += "@@ -0,0 +1," + std::to_string(n) + " @@\n" + body;
  Scenario s;
  s.context->changeset = test::changeset_from_diff(diff, {{path, text}});
  s.raised = run_rules(s.context->changeset, {});
  int id = 0;
  for (const auto& r : s.raised) {
    review::Finding f;
    f.id = "f" + std::to_string(++id);
    f.raised = r.raised;
    f.raised_by = "rules";
    s.context->findings.push_back(std::move(f));
  }
  return s;
}

TEST(BuiltinPatch, AppliesNeighbouringFixesThroughGit) {
  test::TempGitRepo repo;
  auto calls = std::make_shared<int>(0);
  // Trailing whitespace on 1-2, a debug line on 3, blank lines at EOF: overlapping contexts.
  auto s = scenario(repo, "web/app.js", "let a = 1; \nlet b = 2;\t\nconsole.log(a, b);\nrun(a);\n\n\n");
  ASSERT_EQ(s.raised.size(), 3u);
  s.context->apply_patch = git_apply(repo, calls);
  PatchImplementer agent("patch");
  Task task;
  task.role = Role::implementer;
  task.context = s.context;
  const auto result = run_agent(agent, task);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  const auto json = nlohmann::json::parse(result->text);
  EXPECT_EQ(json["patch"], "");
  ASSERT_EQ(json["responses"].size(), 3u);
  for (const auto& r : json["responses"]) EXPECT_EQ(r["action"], "fixed") << r.dump();
  EXPECT_EQ(repo.read("web/app.js"), "let a = 1;\nlet b = 2;\nrun(a);\n");
  EXPECT_EQ(*calls, 6) << "check then apply, per fix";
  const auto parsed = review::parse_implementer_report(result->text);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(parsed->responses.size(), 3u);
  EXPECT_EQ(parsed->responses[0].finding, "f1");
  EXPECT_TRUE(parsed->patch.empty());
}

TEST(BuiltinPatch, DisputesWhatHasNoMechanicalFix) {
  test::TempGitRepo repo;
  auto calls = std::make_shared<int>(0);
  auto s = scenario(repo, "conf.py", "TOKEN = \"" + std::string("gh") + "p_pfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0Rlg\"\n");
  ASSERT_EQ(s.raised.size(), 1u);
  s.context->apply_patch = git_apply(repo, calls);
  const auto report = implement_fixes(*s.context);
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->responses.size(), 1u);
  EXPECT_EQ(report->responses[0].finding, "f1");
  EXPECT_EQ(report->responses[0].action, review::FindingResponse::Action::disputed);
  EXPECT_NE(report->responses[0].rationale.find("no mechanical fix"), std::string::npos);
  EXPECT_NE(report->responses[0].rationale.find("rotate"), std::string::npos);
  EXPECT_EQ(*calls, 0);
}

TEST(BuiltinPatch, DisputesAFixThatNoLongerApplies) {
  test::TempGitRepo repo;
  auto calls = std::make_shared<int>(0);
  auto s = scenario(repo, "a.py", "x = 1  \ny = 2\n");
  ASSERT_EQ(s.raised.size(), 1u);
  repo.write("a.py", "x = 10  \ny = 2\n");  // the worktree moved on since the review
  s.context->changeset.files[0].new_text = "x = 10  \ny = 2\n";
  s.context->apply_patch = git_apply(repo, calls);
  const auto report = implement_fixes(*s.context);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->responses[0].action, review::FindingResponse::Action::disputed);
  EXPECT_NE(report->responses[0].rationale.find("does not apply"), std::string::npos);
  EXPECT_EQ(repo.read("a.py"), "x = 10  \ny = 2\n");
}

TEST(BuiltinPatch, SameEditTwiceIsFixedOnce) {
  test::TempGitRepo repo;
  auto calls = std::make_shared<int>(0);
  auto s = scenario(repo, "a.txt", "a\nlast ");  // trailing blank + no final newline, one line
  ASSERT_EQ(s.raised.size(), 2u);
  s.context->apply_patch = git_apply(repo, calls);
  const auto report = implement_fixes(*s.context);
  ASSERT_TRUE(report.has_value());
  for (const auto& r : report->responses) EXPECT_EQ(r.action, review::FindingResponse::Action::fixed);
  EXPECT_EQ(repo.read("a.txt"), "a\nlast\n");
  EXPECT_EQ(*calls, 2);
}

TEST(BuiltinPatch, RefusesReviewsAndMissingContext) {
  PatchImplementer agent("patch");
  Task task;
  task.role = Role::reviewer;
  auto r = run_agent(agent, task);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, FailureKind::unavailable);
  task.role = Role::implementer;
  r = run_agent(agent, task);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, FailureKind::crash);
}

TEST(BuiltinRulesReviewer, EmitsCodexReviewJson) {
  test::TempGitRepo repo;
  auto s = scenario(repo, "src/a.py", "<<<<<<< HEAD\nx = 1 \n=======\nx = 2\n>>>>>>> b\n");
  RulesReviewer agent("rules");
  Task task;
  s.context->findings.clear();
  task.context = s.context;
  task.workdir = "/work/tree";
  const auto result = run_agent(agent, task);
  ASSERT_TRUE(result.has_value());
  const auto json = nlohmann::json::parse(result->text);
  EXPECT_EQ(json["overall_correctness"], "patch is incorrect");
  ASSERT_EQ(json["findings"].size(), 2u);
  const auto& f = json["findings"][0];
  EXPECT_EQ(f["title"], "[P0] Unresolved merge conflict markers");
  EXPECT_EQ(f["priority"], 0);
  EXPECT_EQ(f["category"], "conflict-marker");
  EXPECT_EQ(f["code_location"]["absolute_file_path"], "src/a.py");
  EXPECT_EQ(f["code_location"]["line_range"]["start"], 1);
  EXPECT_EQ(f["code_location"]["line_range"]["end"], 5);
  EXPECT_TRUE(json["findings"][1].contains("suggested_fix"));
  EXPECT_FALSE(json.contains("prior"));
  const auto parsed = review::parse_review_report(result->text);  // review/'s one parser
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(parsed->findings.size(), 2u);
  EXPECT_EQ(parsed->findings[0].title, "Unresolved merge conflict markers");
  EXPECT_EQ(parsed->findings[0].priority, review::Priority::p0);
  EXPECT_EQ(parsed->findings[0].category, "conflict-marker");
  EXPECT_EQ(parsed->findings[0].location.path, "src/a.py");
  EXPECT_TRUE(parsed->findings[1].suggested_fix.has_value());
  EXPECT_EQ(parsed->overall_correct, std::optional<bool>(false));

  RulesOptions joined;
  joined.path_style = PathStyle::workdir_joined;
  RulesReviewer absolute("rules", joined);
  const auto abs = nlohmann::json::parse(run_agent(absolute, task)->text);
  EXPECT_EQ(abs["findings"][0]["code_location"]["absolute_file_path"], "/work/tree/src/a.py");
  review::ParseOptions root;
  root.repo_root = "/work/tree";
  const auto reparsed = review::parse_review_report(abs.dump(), root);
  ASSERT_TRUE(reparsed.has_value()) << reparsed.error().message;
  EXPECT_EQ(reparsed->findings[0].location.path, "src/a.py");
}

TEST(BuiltinRulesReviewer, JudgesItsPriorFindings) {
  test::TempGitRepo repo;
  auto before = scenario(repo, "a.py", "a = 1 \nb = 2\nc = 3 \n");
  ASSERT_EQ(before.raised.size(), 2u);
  auto after = scenario(repo, "a.py", "a = 1\nb = 2\nc = 3 \n");  // line 1 fixed, 3 not
  auto prior = before.context->findings;
  review::Finding foreign;
  foreign.id = "codex-1";
  foreign.raised_by = "codex";
  foreign.raised.category = "bug";
  prior.push_back(foreign);
  const auto verdicts = judge_prior(prior, after.raised, "rules");
  ASSERT_EQ(verdicts.size(), 2u) << "another reviewer's finding gets no verdict";
  EXPECT_EQ(verdicts[0].id, "f1");
  EXPECT_EQ(verdicts[0].verdict, review::PriorVerdict::Kind::resolved);
  EXPECT_EQ(verdicts[1].id, "f2");
  EXPECT_EQ(verdicts[1].verdict, review::PriorVerdict::Kind::still_open);
  const auto json = nlohmann::json::parse(render_review(after.raised, verdicts, {}, {}));
  ASSERT_EQ(json["prior"].size(), 2u);
  const auto parsed = review::parse_review_report(json.dump());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  ASSERT_EQ(parsed->prior.size(), 2u);
  EXPECT_EQ(parsed->prior[0].id, "f1");
  EXPECT_EQ(json["prior"][0]["verdict"], "resolved");
  EXPECT_EQ(json["prior"][1]["verdict"], "still_open");
}

TEST(BuiltinAgents, FactoryByName) {
  config::AgentSpec spec;
  spec.kind = config::AgentKind::builtin;
  spec.builtin = "rules";
  auto rules = make_builtin_agent(spec);
  ASSERT_TRUE(rules);
  EXPECT_EQ(rules->name(), "rules");
  spec.builtin = "patch";
  spec.name = "fixer";
  auto patch = make_builtin_agent(spec);
  ASSERT_TRUE(patch);
  EXPECT_EQ(patch->name(), "fixer");
  spec.builtin = "nope";
  EXPECT_FALSE(make_builtin_agent(spec));
  spec.builtin = "rules";
  spec.kind = config::AgentKind::process;
  EXPECT_FALSE(make_builtin_agent(spec));
  EXPECT_EQ(builtin_agent_names().size(), 2u);
}

}  // namespace
}  // namespace gavel::agents
