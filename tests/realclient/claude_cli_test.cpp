// The real Claude Code CLI (`claude -p`, pinned by scripts/install-agent-clis) driven through
// gavel's claude preset and ProcessAgent against the fake Messages server, in a private network
// namespace. Reviewer: the findings come from the StructuredOutput tool call that --json-schema
// turns gavel's schema into. Implementer: Claude's own Read and Edit tools edit the scratch
// worktree; the developer's repository is untouched. Both: the repository's own
// .claude/settings.json (a hook) is not applied.
#include "tests/realclient/realclient.hpp"

#include "agents/presets.hpp"
#include "agents/process_agent.hpp"
#include "git/scratch.hpp"
#include "review/report_parser.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

namespace gavel::test::realclient {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* k_model = "claude-sonnet-4-5";

// The claude preset with its binary at `cli`; a dead server fails at once instead of retrying.
config::AgentSpec claude_spec(const fs::path& cli) {
  agents::ClaudePresetOptions options;
  options.model = k_model;
  config::AgentSpec spec = agents::claude_preset(options);
  spec.process.reviewer_argv.front() = cli.string();
  spec.process.implementer_argv.front() = cli.string();
  spec.process.env_set["CLAUDE_CODE_MAX_RETRIES"] = "0";
  return spec;
}

agents::EnvLookup claude_env(const DevRepo& dev, const FakeLlmServer& server) {
  return fake_env({{"HOME", dev.home().string()},
                   {"ANTHROPIC_BASE_URL", server.anthropic_base_url()},
                   {"ANTHROPIC_API_KEY", k_dummy_key},
                   {"LANG", "C.UTF-8"}});
}

FakeReply messages_reply(FakeReply reply) {
  reply.endpoint = FakeEndpoint::messages;
  return reply;
}

FakeReply tool_use(const std::string& name, const json& input, const std::string& id) {
  FakeReply reply;
  reply.endpoint = FakeEndpoint::messages;
  reply.tool_calls.push_back({name, input.dump(), id, FakeToolKind::function});
  return reply;
}

// The tool_result blocks of a Messages request's last user turn.
std::vector<json> tool_results(const FakeRequest& request) {
  std::vector<json> out;
  const json body = request.json();
  if (!body.contains("messages") || body["messages"].empty()) return out;
  const json& content = body["messages"].back().value("content", json::array());
  if (!content.is_array()) return out;
  for (const auto& block : content) {
    if (block.value("type", "") == "tool_result") out.push_back(block);
  }
  return out;
}

// Whether claude turned `schema` into its StructuredOutput tool in `request`. Claude Code
// 2.1.197 silently drops a --json-schema it cannot compile (one declaring
// "$schema": ".../draft/2020-12/schema", for instance): then no such tool is offered and the run
// can never yield structured_output.
bool offers_structured_output(const FakeRequest& request, const std::string& schema) {
  const json body = request.json();
  for (const auto& tool : body.value("tools", json::array())) {
    if (tool.value("name", "") != "StructuredOutput") continue;
    EXPECT_EQ(tool.at("input_schema").at("required"), json::parse(schema).at("required"));
    return true;
  }
  return false;
}

constexpr const char* k_no_structured_output =
    "claude offered no StructuredOutput tool: it ignored gavel's --json-schema (Claude Code "
    "2.1.197 drops a schema declaring \"$schema\": draft 2020-12 without a word; "
    "review/report_parser_schema.cpp must not declare it)";

class ClaudeCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    ASSERT_TRUE(in_private_netns(why)) << why;
    cli = cli_from_env("GAVEL_REALCLIENT_CLAUDE");
    ASSERT_FALSE(cli.empty());
  }
  void TearDown() override { write_log(server, dev.repo().root() / "server.jsonl"); }

  fs::path cli;
  DevRepo dev;
  FakeLlmServer server;
};

TEST_F(ClaudeCli, ReviewerFindingsAreParsedFromTheRealCliOutput) {
  std::string patch;
  dev.snapshot(patch);
  ASSERT_NE(patch.find("+  return divide(total, count);"), std::string::npos) << patch;
  const std::string before = dev.state();
  const std::string root = dev.repo().path().string();
  // One StructuredOutput call (the tool --json-schema adds) ends claude's run.
  server.enqueue(messages_reply(
      FakeReply::structured_output(reviewer_report(dev.abs("src/calc.cpp")))));

  agents::ProcessAgent agent(claude_spec(cli), claude_env(dev, server));
  agents::Task task;
  task.role = agents::Role::reviewer;
  task.prompt = reviewer_prompt(root, patch);
  task.output_schema_json = review::reviewer_output_schema();
  task.workdir = dev.repo().path();
  task.timeout = std::chrono::seconds(90);
  const auto result = run(agent, task);
  const auto requests = server.requests(FakeEndpoint::messages);
  ASSERT_FALSE(requests.empty());
  EXPECT_TRUE(offers_structured_output(requests[0], task.output_schema_json))
      << k_no_structured_output;
  ASSERT_TRUE(result) << describe(result);

  const auto report = review::parse_review_report(result->text, {root});
  ASSERT_TRUE(report) << report.error().message << "\n" << result->text;
  ASSERT_EQ(report->findings.size(), 1u);
  const auto& finding = report->findings[0];
  EXPECT_EQ(finding.title, "average() divides by zero when count is 0");
  EXPECT_EQ(finding.priority, review::Priority::p1);
  EXPECT_EQ(finding.location.path, "src/calc.cpp");
  EXPECT_EQ(finding.location.lines.start, 6);
  EXPECT_EQ(finding.location.lines.end, 6);
  EXPECT_EQ(report->overall_correct, std::optional<bool>(false));
  EXPECT_GT(result->usage.input_tokens, 0);
  ASSERT_TRUE(result->usage.cost_usd.has_value());  // claude's total_cost_usd

  // What claude sent: our model, our key, gavel's prompt (and, above, gavel's schema).
  ASSERT_EQ(requests.size(), 1u);
  const json body = requests[0].json();
  EXPECT_EQ(requests[0].path, "/v1/messages");
  EXPECT_EQ(requests[0].header("x-api-key"), k_dummy_key);
  EXPECT_EQ(body.value("model", ""), k_model);
  const std::string shown = texts_of(body.at("messages"));
  EXPECT_NE(shown.find(task.prompt.substr(0, task.prompt.find_last_not_of(" \n") + 1)),
            std::string::npos)
      << "gavel's prompt is not in what claude sent:\n" << shown.substr(0, 4000);
  EXPECT_FALSE(fs::exists(dev.hook_marker())) << "claude ran the repository's project hook";
  EXPECT_EQ(dev.state(), before);
}

TEST_F(ClaudeCli, ImplementerEditLandsInTheScratchTreeOnly) {
  std::string patch;
  const auto snapshot = dev.snapshot(patch);
  const std::string before = dev.state();
  const fs::path scratch_parent = dev.repo().root() / "scratch";
  fs::create_directories(scratch_parent);
  auto scratch = git::ScratchTree::create(dev.repo().path(), snapshot, scratch_parent);
  ASSERT_TRUE(scratch) << scratch.error().message;
  const fs::path workdir = scratch->workdir();
  const std::string file = (workdir / "src/calc.cpp").string();

  // Claude's Edit tool refuses a file it has not Read, so: Read, Edit, then the report.
  server.enqueue(tool_use("Read", {{"file_path", file}}, "toolu_gavel_read"));
  server.enqueue(tool_use("Edit",
                          {{"file_path", file},
                           {"old_string", "  return divide(total, count);"},
                           {"new_string", "  return count == 0 ? 0 : divide(total, count);"}},
                          "toolu_gavel_edit"));
  server.enqueue(messages_reply(FakeReply::structured_output(implementer_report())));

  agents::ProcessAgent agent(claude_spec(cli), claude_env(dev, server));
  agents::Task task;
  task.role = agents::Role::implementer;
  task.prompt = implementer_prompt(workdir.string(), patch);
  task.output_schema_json = review::implementer_output_schema();
  task.workdir = workdir;
  task.timeout = std::chrono::seconds(90);
  const auto result = run(agent, task);
  auto requests = server.requests(FakeEndpoint::messages);
  ASSERT_FALSE(requests.empty());
  EXPECT_TRUE(offers_structured_output(requests[0], task.output_schema_json))
      << k_no_structured_output;
  ASSERT_TRUE(result) << describe(result);

  const auto report = review::parse_implementer_report(result->text);
  ASSERT_TRUE(report) << report.error().message << "\n" << result->text;
  ASSERT_EQ(report->responses.size(), 1u);
  EXPECT_EQ(report->responses[0].finding, "f-average-zero");
  EXPECT_EQ(report->responses[0].action, review::FindingResponse::Action::fixed);

  std::ifstream in(file);
  const std::string edited((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(edited.find("  return count == 0 ? 0 : divide(total, count);\n"), std::string::npos)
      << edited;
  const auto changes = scratch->changes_since_created();
  ASSERT_TRUE(changes) << changes.error().message;
  EXPECT_NE(changes->find("+  return count == 0 ? 0 : divide(total, count);"), std::string::npos)
      << *changes;

  // Claude ran both tools itself and reported success for each before the final turn.
  requests = server.requests(FakeEndpoint::messages);
  ASSERT_EQ(requests.size(), 3u);
  const std::vector<std::pair<std::size_t, const char*>> expected = {{1, "toolu_gavel_read"},
                                                                     {2, "toolu_gavel_edit"}};
  for (const auto& [index, id] : expected) {
    const auto results = tool_results(requests[index]);
    ASSERT_EQ(results.size(), 1u) << requests[index].body.substr(0, 4000);
    EXPECT_EQ(results[0].value("tool_use_id", ""), id);
    EXPECT_FALSE(results[0].value("is_error", false)) << results[0].dump();
  }
  EXPECT_FALSE(fs::exists(dev.hook_marker())) << "claude ran the repository's project hook";
  EXPECT_EQ(dev.state(), before);
}

}  // namespace
}  // namespace gavel::test::realclient
