// The real OpenAI Codex CLI (`codex exec`, pinned by scripts/install-agent-clis) driven through
// gavel's codex preset and ProcessAgent against the fake Responses server, in a private network
// namespace. Reviewer: the findings come out of codex's -o file and review/'s parser. Implementer:
// codex's own apply_patch tool edits the scratch worktree; the developer's repository is untouched.
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

constexpr const char* k_model = "gpt-5.5";  // a slug codex knows: it then offers apply_patch

// The codex preset with its binary at `cli`, pointed at `server` as provider "gavelfake".
config::AgentSpec codex_spec(const fs::path& cli, const FakeLlmServer& server) {
  agents::CodexPresetOptions options;
  options.model = k_model;
  options.extra_args = {"-c", "model_provider=gavelfake",
                        "-c", "model_providers.gavelfake.name=\"gavelfake\"",
                        "-c", "model_providers.gavelfake.base_url=\"" + server.openai_base_url() + "\"",
                        "-c", "model_providers.gavelfake.env_key=\"OPENAI_API_KEY\"",
                        "-c", "model_providers.gavelfake.wire_api=\"responses\""};
  config::AgentSpec spec = agents::codex_preset(options);
  spec.process.reviewer_argv.front() = cli.string();
  spec.process.implementer_argv.front() = cli.string();
  return spec;
}

agents::EnvLookup codex_env(const DevRepo& dev) {
  return fake_env({{"HOME", dev.home().string()},
                   {"CODEX_HOME", (dev.home() / ".codex").string()},
                   {"OPENAI_API_KEY", k_dummy_key},
                   {"LANG", "C.UTF-8"}});
}

class CodexCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    ASSERT_TRUE(in_private_netns(why)) << why;
    cli = cli_from_env("GAVEL_REALCLIENT_CODEX");
    ASSERT_FALSE(cli.empty());
    fs::create_directories(dev.home() / ".codex");
  }
  void TearDown() override { write_log(server, dev.repo().root() / "server.jsonl"); }

  fs::path cli;
  DevRepo dev;
  FakeLlmServer server;
};

TEST_F(CodexCli, ReviewerFindingsAreParsedFromTheRealCliOutput) {
  std::string patch;
  dev.snapshot(patch);
  ASSERT_NE(patch.find("+  return divide(total, count);"), std::string::npos) << patch;
  const std::string before = dev.state();
  const std::string root = dev.repo().path().string();
  server.enqueue([&] {
    auto reply = FakeReply::message(reviewer_report(dev.abs("src/calc.cpp")).dump());
    reply.endpoint = FakeEndpoint::responses;
    return reply;
  }());

  agents::ProcessAgent agent(codex_spec(cli, server), codex_env(dev));
  agents::Task task;
  task.role = agents::Role::reviewer;
  task.prompt = reviewer_prompt(root, patch);
  task.output_schema_json = review::reviewer_output_schema();
  task.workdir = dev.repo().path();
  task.timeout = std::chrono::seconds(90);
  const auto result = run(agent, task);
  ASSERT_TRUE(result) << describe(result);

  const auto report = review::parse_review_report(result->text, {root});
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->findings.size(), 1u);
  const auto& finding = report->findings[0];
  EXPECT_EQ(finding.title, "average() divides by zero when count is 0");
  EXPECT_EQ(finding.priority, review::Priority::p1);
  EXPECT_EQ(finding.location.path, "src/calc.cpp");
  EXPECT_EQ(finding.location.lines.start, 6);
  EXPECT_EQ(finding.location.lines.end, 6);
  EXPECT_EQ(report->overall_correct, std::optional<bool>(false));
  EXPECT_EQ(result->usage.input_tokens, 11);  // codex's turn.completed, from the fake's usage

  // What codex sent: our model, our key, gavel's prompt and gavel's schema.
  const auto requests = server.requests(FakeEndpoint::responses);
  ASSERT_EQ(requests.size(), 1u);
  const json body = requests[0].json();
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/v1/responses");
  EXPECT_EQ(requests[0].header("authorization"), std::string("Bearer ") + k_dummy_key);
  EXPECT_EQ(body.value("model", ""), k_model);
  EXPECT_TRUE(body.value("stream", false));
  const std::string shown = texts_of(body.at("input"));
  EXPECT_NE(shown.find(task.prompt.substr(0, task.prompt.find_last_not_of(" \n") + 1)),
            std::string::npos)
      << "gavel's prompt is not in what codex sent:\n" << shown.substr(0, 4000);
  const json schema = body.at("text").at("format").at("schema");
  EXPECT_EQ(schema.at("required"), json::parse(review::reviewer_output_schema()).at("required"));
  EXPECT_EQ(dev.state(), before);  // a read-only reviewer left the repository alone
}

TEST_F(CodexCli, ImplementerEditLandsInTheScratchTreeOnly) {
  std::string patch;
  const auto snapshot = dev.snapshot(patch);
  const std::string before = dev.state();
  const fs::path scratch_parent = dev.repo().root() / "scratch";
  fs::create_directories(scratch_parent);
  auto scratch = git::ScratchTree::create(dev.repo().path(), snapshot, scratch_parent);
  ASSERT_TRUE(scratch) << scratch.error().message;
  const fs::path workdir = scratch->workdir();

  // Turn 1: codex's freeform apply_patch tool (a Responses custom tool call), paths relative to
  // its cwd, the scratch worktree. Turn 2: the final implementer report.
  FakeReply edit;
  edit.endpoint = FakeEndpoint::responses;
  edit.tool_calls.push_back({"apply_patch",
                             "*** Begin Patch\n"
                             "*** Update File: src/calc.cpp\n"
                             "@@ int average(int total, int count) {\n"
                             "-  return divide(total, count);\n"
                             "+  return count == 0 ? 0 : divide(total, count);\n"
                             "*** End Patch\n",
                             "call_gavel_edit", FakeToolKind::custom});
  server.enqueue(edit);
  auto final_reply = FakeReply::message(implementer_report().dump());
  final_reply.endpoint = FakeEndpoint::responses;
  server.enqueue(final_reply);

  agents::ProcessAgent agent(codex_spec(cli, server), codex_env(dev));
  agents::Task task;
  task.role = agents::Role::implementer;
  task.prompt = implementer_prompt(workdir.string(), patch);
  task.output_schema_json = review::implementer_output_schema();
  task.workdir = workdir;
  task.timeout = std::chrono::seconds(90);
  const auto result = run(agent, task);
  ASSERT_TRUE(result) << describe(result);

  const auto report = review::parse_implementer_report(result->text);
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->responses.size(), 1u);
  EXPECT_EQ(report->responses[0].finding, "f-average-zero");
  EXPECT_EQ(report->responses[0].action, review::FindingResponse::Action::fixed);

  // The edit was made by codex itself, in the scratch tree.
  std::ifstream in(workdir / "src/calc.cpp");
  const std::string edited((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(edited.find("  return count == 0 ? 0 : divide(total, count);\n"), std::string::npos)
      << edited;
  const auto changes = scratch->changes_since_created();
  ASSERT_TRUE(changes) << changes.error().message;
  EXPECT_NE(changes->find("+  return count == 0 ? 0 : divide(total, count);"), std::string::npos)
      << *changes;
  EXPECT_NE(changes->find("-  return divide(total, count);"), std::string::npos) << *changes;

  // Codex ran the tool and sent its result back before the final turn.
  const auto requests = server.requests(FakeEndpoint::responses);
  ASSERT_EQ(requests.size(), 2u);
  bool tool_output_seen = false;
  const json second = requests[1].json();
  for (const auto& item : second.at("input")) {
    if (item.value("type", "") == "custom_tool_call_output" &&
        item.value("call_id", "") == "call_gavel_edit") {
      tool_output_seen = true;
      EXPECT_NE(item.dump().find("Success"), std::string::npos) << item.dump();
    }
  }
  EXPECT_TRUE(tool_output_seen) << requests[1].body.substr(0, 4000);
  EXPECT_EQ(dev.state(), before);  // the developer's working tree and HEAD are untouched
}

}  // namespace
}  // namespace gavel::test::realclient
