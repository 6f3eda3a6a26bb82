// Presets: the exact command lines of codex and claude, and a run of each against a fake CLI of
// the same name on PATH (tests/data/fake_cli/fake_codex.sh, fake_claude.py).
#include "agents/presets.hpp"

#include "agents/process_agent.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace gavel::agents {
namespace {

namespace asio = boost::asio;
using Argv = std::vector<std::string>;

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

TEST(Presets, CodexCommandLinesFollowAgentClis) {
  const auto spec = codex_preset();
  EXPECT_EQ(spec.name, "codex");
  EXPECT_EQ(spec.kind, config::AgentKind::process);
  EXPECT_EQ(spec.process.reviewer_argv,
            (Argv{"codex", "exec", "--json", "--ephemeral", "-s", "read-only",
                  "--skip-git-repo-check", "-c", "analytics.enabled=false", "--disable", "plugins",
                  "--output-schema={schema_file}", "-o", "{output_file}", "-"}));
  EXPECT_EQ(spec.process.implementer_argv,
            (Argv{"codex", "exec", "--json", "--ephemeral", "-s", "workspace-write",
                  "--skip-git-repo-check", "-c", "analytics.enabled=false", "--disable", "plugins",
                  "--output-schema={schema_file}", "-o", "{output_file}", "-"}));
  EXPECT_EQ(spec.process.prompt_via, config::PromptVia::stdin_pipe);
  EXPECT_EQ(spec.process.output_from, config::OutputFrom::file);
  EXPECT_EQ(spec.process.output_format, config::OutputFormat::codex_jsonl);
  EXPECT_TRUE(has(spec.process.env_allow, "OPENAI_API_KEY"));
  EXPECT_TRUE(has(spec.process.env_allow, "PATH"));
  EXPECT_FALSE(has(spec.process.env_allow, "ANTHROPIC_API_KEY"));
  EXPECT_TRUE(validate_process_spec(spec));
}

TEST(Presets, CodexOptionsGoBeforeTheStdinDash) {
  CodexPresetOptions options;
  options.model = "gpt-5.5";
  options.extra_args = {"-c", "model_provider=local"};
  const auto argv = codex_preset(options).process.reviewer_argv;
  EXPECT_EQ(argv.back(), "-");
  const Argv tail(argv.end() - 5, argv.end());
  EXPECT_EQ(tail, (Argv{"-m", "gpt-5.5", "-c", "model_provider=local", "-"}));
}

TEST(Presets, ClaudeCommandLinesFollowAgentClis) {
  const auto spec = claude_preset();
  EXPECT_EQ(spec.name, "claude");
  EXPECT_EQ(spec.process.reviewer_argv,
            (Argv{"claude", "-p", "--output-format", "json", "--json-schema={schema_json}",
                  "--max-turns", "30", "--no-session-persistence", "--setting-sources", "user",
                  "--strict-mcp-config", "--disallowedTools", "Edit", "Write", "MultiEdit",
                  "NotebookEdit", "Bash"}));
  EXPECT_EQ(spec.process.implementer_argv,
            (Argv{"claude", "-p", "--output-format", "json", "--json-schema={schema_json}",
                  "--max-turns", "60", "--no-session-persistence", "--setting-sources", "user",
                  "--strict-mcp-config", "--permission-mode", "acceptEdits"}));
  EXPECT_EQ(spec.process.output_format, config::OutputFormat::claude_json);
  EXPECT_EQ(spec.process.env_set.at("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"), "1");
  EXPECT_TRUE(has(spec.process.env_allow, "ANTHROPIC_API_KEY"));
  EXPECT_FALSE(has(spec.process.env_allow, "OPENAI_API_KEY"));
  EXPECT_FALSE(has(spec.process.reviewer_argv, "--dangerously-skip-permissions"));
  EXPECT_TRUE(validate_process_spec(spec));
}

TEST(Presets, GenericAndByName) {
  const auto spec = generic_preset("gemini", {"gemini", "-o", "text"}, {"GEMINI_API_KEY"});
  EXPECT_EQ(spec.process.reviewer_argv, spec.process.implementer_argv);
  EXPECT_EQ(spec.process.output_format, config::OutputFormat::text);
  EXPECT_TRUE(has(spec.process.env_allow, "GEMINI_API_KEY"));
  EXPECT_TRUE(has(spec.process.env_allow, "HOME"));
  EXPECT_TRUE(validate_process_spec(spec));
  EXPECT_EQ(preset_by_name("codex")->name, "codex");
  EXPECT_EQ(preset_by_name("claude")->name, "claude");
  EXPECT_FALSE(preset_by_name("opencode"));
}

// A temp dir holding fake `codex` and `claude` executables, put first on the child's PATH.
class FakeCliDir {
 public:
  FakeCliDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "gavel-test-XXXXXX").string();
    m_path = ::mkdtemp(templ.data());
    const std::filesystem::path data = std::string(GAVEL_TEST_DATA_DIR) + "/fake_cli";
    for (auto [from, to] :
         {std::pair{"fake_codex.sh", "codex"}, std::pair{"fake_claude.py", "claude"}}) {
      std::filesystem::copy_file(data / from, m_path / to);
      std::filesystem::permissions(m_path / to, std::filesystem::perms::owner_all);
    }
  }
  ~FakeCliDir() {
    if (::testing::Test::HasFailure()) {
      std::cerr << "kept " << m_path << "\n";
    } else {
      std::filesystem::remove_all(m_path);
    }
  }
  EnvLookup lookup() const {
    const std::string path = m_path.string() + ":/usr/local/bin:/usr/bin:/bin";
    return [path](const std::string& name) -> std::optional<std::string> {
      if (name == "PATH") return path;
      if (name == "HOME") return std::string("/nonexistent-home");
      if (name == "OPENAI_API_KEY") return std::string("sk-fake-for-tests");
      return std::nullopt;
    };
  }
  const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

AgentResult run_with(const config::AgentSpec& spec, const FakeCliDir& dir, Task task) {
  ProcessAgent agent(spec, dir.lookup());
  asio::io_context ctx;
  auto done = asio::co_spawn(ctx, agent.run(std::move(task)), asio::use_future);
  ctx.run();
  return done.get();
}

TEST(Presets, CodexPresetRunsAgainstAFakeCodex) {
  FakeCliDir dir;
  Task task;
  task.prompt = "review the diff";
  task.output_schema_json = R"({"type":"object"})";
  task.workdir = dir.path();
  const auto result = run_with(codex_preset(), dir, task);
  ASSERT_TRUE(result) << result.error().message << "\n" << result.error().excerpt;
  EXPECT_NE(result->text.find("ARGS: exec --json --ephemeral -s read-only"), std::string::npos)
      << result->text;
  EXPECT_NE(result->text.find("STDIN:review the diff"), std::string::npos);
  EXPECT_NE(result->text.find("SCHEMA:{\"type\":\"object\"}"), std::string::npos);
  EXPECT_NE(result->text.find("CWD:" + dir.path().string()), std::string::npos);
  EXPECT_EQ(result->usage.input_tokens, 7);
  EXPECT_EQ(result->usage.cached_input_tokens, 2);
  EXPECT_EQ(result->usage.output_tokens, 3);
}

TEST(Presets, ClaudePresetRunsAgainstAFakeClaude) {
  FakeCliDir dir;
  Task task;
  task.role = Role::implementer;
  task.prompt = "fix the findings";
  task.output_schema_json = R"({"type":"object"})";
  task.workdir = dir.path();
  const auto result = run_with(claude_preset(), dir, task);
  ASSERT_TRUE(result) << result.error().message << "\n" << result.error().excerpt;
  const auto given = nlohmann::json::parse(result->text);
  EXPECT_EQ(given["stdin"], "fix the findings");
  EXPECT_EQ(given["nonessential"], "1");
  EXPECT_EQ(std::filesystem::path(given["cwd"].get<std::string>()), dir.path());
  const auto args = given["args"].get<Argv>();
  EXPECT_TRUE(has(args, "--json-schema={\"type\":\"object\"}"));
  EXPECT_TRUE(has(args, "acceptEdits"));
  EXPECT_EQ(result->usage.input_tokens, 15);
  ASSERT_TRUE(result->usage.cost_usd);
  EXPECT_DOUBLE_EQ(*result->usage.cost_usd, 0.25);
}

}  // namespace
}  // namespace gavel::agents
