// cli_envelope: reading codex/claude envelopes and judging a finished run, from recorded samples.
#include "agents/cli_envelope.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace gavel::agents {
namespace {

std::string sample(const std::string& name) {
  std::ifstream in(std::string(GAVEL_TEST_DATA_DIR) + "/cli_envelopes/" + name);
  EXPECT_TRUE(in) << name;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

RunRecord codex_run(const std::string& events, std::optional<std::string> file, int exit_code = 0) {
  RunRecord r;
  r.format = config::OutputFormat::codex_jsonl;
  r.output_from = config::OutputFrom::file;
  r.exit_code = exit_code;
  r.stdout_text = events;
  r.output_file = std::move(file);
  return r;
}

RunRecord claude_run(const std::string& json, int exit_code = 0, bool schema = true) {
  RunRecord r;
  r.format = config::OutputFormat::claude_json;
  r.exit_code = exit_code;
  r.stdout_text = json;
  r.schema_required = schema;
  return r;
}

TEST(CodexEnvelope, FinalMessageFromOutputFileAndUsageFromTurnCompleted) {
  const auto events = sample("codex_success.jsonl");
  const auto file = sample("codex_success.last.txt");
  const auto read = read_codex_jsonl(events, file);
  ASSERT_TRUE(read.text);
  EXPECT_EQ(*read.text, file);
  EXPECT_FALSE(read.failure);
  EXPECT_EQ(read.usage.input_tokens, 24763);
  EXPECT_EQ(read.usage.cached_input_tokens, 24448);
  EXPECT_EQ(read.usage.output_tokens, 122);
  EXPECT_FALSE(read.usage.cost_usd);
}

TEST(CodexEnvelope, FallsBackToLastAgentMessageWithoutFile) {
  const auto read = read_codex_jsonl(sample("codex_success.jsonl"), std::nullopt);
  ASSERT_TRUE(read.text);
  EXPECT_NE(read.text->find("from events"), std::string::npos);
  const auto blank_file = read_codex_jsonl(sample("codex_success.jsonl"), std::string("\n"));
  ASSERT_TRUE(blank_file.text);
  EXPECT_NE(blank_file.text->find("from events"), std::string::npos);
}

TEST(CodexEnvelope, LastMessageWinsAndUsageSumsOverTurns) {
  const auto read = read_codex_jsonl(sample("codex_two_turns.jsonl"), std::nullopt);
  ASSERT_TRUE(read.text);
  EXPECT_EQ(*read.text, R"({"responses":[],"summary":"final answer"})");
  EXPECT_EQ(read.usage.input_tokens, 4000);
  EXPECT_EQ(read.usage.cached_input_tokens, 1200);
  EXPECT_EQ(read.usage.output_tokens, 120);
}

TEST(CodexEnvelope, TurnFailedIsTypedFromItsMessage) {
  const auto quota =
      interpret_run(codex_run(sample("codex_turn_failed_429.jsonl"), std::nullopt, 1));
  ASSERT_FALSE(quota);
  EXPECT_EQ(quota.error().kind, FailureKind::quota);
  EXPECT_NE(quota.error().message.find("429"), std::string::npos);

  const auto auth =
      interpret_run(codex_run(sample("codex_turn_failed_401.jsonl"), std::nullopt, 1));
  ASSERT_FALSE(auth);
  EXPECT_EQ(auth.error().kind, FailureKind::auth);

  const auto server =
      interpret_run(codex_run(sample("codex_turn_failed_500.jsonl"), std::nullopt, 1));
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().kind, FailureKind::crash);
}

TEST(CodexEnvelope, RetryErrorsBeforeAFinalMessageAreNotAFailure) {
  const auto result =
      interpret_run(codex_run(sample("codex_retry_then_success.jsonl"), std::nullopt));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->text, "recovered");
}

TEST(CodexEnvelope, NoFinalMessageIsMalformedNeverAnEmptyReview) {
  const auto result = interpret_run(codex_run(sample("codex_no_message.jsonl"), std::nullopt));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::malformed_output);
  EXPECT_EQ(result.error().usage.output_tokens, 5);

  const auto garbage = interpret_run(codex_run("not json at all\n", std::nullopt));
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().kind, FailureKind::malformed_output);
}

TEST(CodexEnvelope, ExitZeroWithSuccessIsOutput) {
  const auto file = sample("codex_success.last.txt");
  const auto result = interpret_run(codex_run(sample("codex_success.jsonl"), file));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->text, file);
  EXPECT_EQ(result->usage.output_tokens, 122);
}

TEST(CodexEnvelope, TruncatedEventsWithoutFileAreMalformed) {
  const auto events = sample("codex_success.jsonl");  // the record only views it
  auto run = codex_run(events, std::nullopt);
  run.stdout_dropped = 10;
  const auto result = interpret_run(run);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::malformed_output);
  run.output_file = sample("codex_success.last.txt");  // the -o file does not depend on stdout
  EXPECT_TRUE(interpret_run(run));
}

TEST(ClaudeEnvelope, StructuredOutputIsPreferredAndSerialised) {
  const auto read = read_claude_json(sample("claude_success_structured.json"), true);
  ASSERT_TRUE(read.text);
  const auto parsed = nlohmann::json::parse(*read.text);
  EXPECT_EQ(parsed["findings"][0]["title"], "Null dereference");
  EXPECT_EQ(read.usage.input_tokens, 12 + 2048 + 15000);
  EXPECT_EQ(read.usage.cached_input_tokens, 15000);
  EXPECT_EQ(read.usage.output_tokens, 640);
  ASSERT_TRUE(read.usage.cost_usd);
  EXPECT_DOUBLE_EQ(*read.usage.cost_usd, 0.04218);
}

TEST(ClaudeEnvelope, ResultTextWhenNoSchemaWasRequired) {
  const auto result = interpret_run(claude_run(sample("claude_success_text.json"), 0, false));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->text, R"({"responses":[],"summary":"done"})");
  EXPECT_EQ(result->usage.input_tokens, 100);
}

TEST(ClaudeEnvelope, SuccessWithoutStructuredOutputIsMalformedWhenSchemaRequired) {
  const auto result = interpret_run(claude_run(sample("claude_success_no_structured.json")));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::malformed_output);
  EXPECT_NE(result.error().message.find("structured_output"), std::string::npos);
}

TEST(ClaudeEnvelope, ApiErrorStatusIsTyped) {
  const auto quota = interpret_run(claude_run(sample("claude_api_error_429.json"), 1));
  ASSERT_FALSE(quota);
  EXPECT_EQ(quota.error().kind, FailureKind::quota);
  EXPECT_NE(quota.error().message.find("429"), std::string::npos);
  const auto auth = interpret_run(claude_run(sample("claude_api_error_401.json"), 1));
  ASSERT_FALSE(auth);
  EXPECT_EQ(auth.error().kind, FailureKind::auth);
  // is_error with exit 0 is still a failure.
  const auto quiet = interpret_run(claude_run(sample("claude_api_error_429.json"), 0));
  ASSERT_FALSE(quiet);
  EXPECT_EQ(quiet.error().kind, FailureKind::quota);
}

TEST(ClaudeEnvelope, MaxTurnsIsACrashWithItsReason) {
  const auto result = interpret_run(claude_run(sample("claude_max_turns.json"), 1));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::crash);
  EXPECT_NE(result.error().message.find("max-turns"), std::string::npos);
  EXPECT_EQ(result.error().usage.cached_input_tokens, 90000);
}

TEST(ClaudeEnvelope, ResultFoundAfterOtherLinesAndGarbageIsMalformed) {
  const auto json = sample("claude_success_structured.json");
  EXPECT_TRUE(read_claude_json("warning: something\n" + json, true).text);
  const auto result = interpret_run(claude_run("Error: unknown option\n"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::malformed_output);
  const auto cut = interpret_run(claude_run(json.substr(0, json.size() / 2)));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().kind, FailureKind::malformed_output);
}

TEST(TextEnvelope, NonZeroExitIsCrashUnlessOutputSaysQuotaOrAuth) {
  RunRecord r;
  r.exit_code = 2;
  r.stderr_text = "segfault-ish trouble";
  auto result = interpret_run(r);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::crash);
  EXPECT_NE(result.error().message.find("status 2"), std::string::npos);

  r.stderr_text = "Error: 429 Too Many Requests";
  EXPECT_EQ(interpret_run(r).error().kind, FailureKind::quota);
  r.stderr_text = "error: Invalid API key";
  EXPECT_EQ(interpret_run(r).error().kind, FailureKind::auth);
  r.stderr_text = "fatal";
  r.term_signal = 9;
  result = interpret_run(r);
  EXPECT_EQ(result.error().kind, FailureKind::crash);
  EXPECT_NE(result.error().message.find("SIGKILL"), std::string::npos);
}

TEST(TextEnvelope, BlankOrCutShortOutputIsMalformed) {
  RunRecord r;
  r.stdout_text = "  \n";
  EXPECT_EQ(interpret_run(r).error().kind, FailureKind::malformed_output);
  r.stdout_text = "an answer";
  r.stdout_dropped = 1;
  EXPECT_EQ(interpret_run(r).error().kind, FailureKind::malformed_output);
  r.stdout_dropped = 0;
  EXPECT_EQ(interpret_run(r)->text, "an answer");
  r.output_from = config::OutputFrom::file;  // the file is missing
  EXPECT_EQ(interpret_run(r).error().kind, FailureKind::malformed_output);
}

TEST(ClassifyFailureText, MatchesStatusesAsWholeNumbersOnly) {
  EXPECT_EQ(classify_failure_text("HTTP 429"), FailureKind::quota);
  EXPECT_EQ(classify_failure_text("You've hit your usage limit"), FailureKind::quota);
  EXPECT_EQ(classify_failure_text("status=401"), FailureKind::auth);
  EXPECT_EQ(classify_failure_text("Please run /login"), FailureKind::auth);
  EXPECT_FALSE(classify_failure_text("wrote 14290 bytes, line 4011"));
  EXPECT_FALSE(classify_failure_text("connection reset"));
}

TEST(BoundedTail, KeepsTheEndWithoutSplittingUtf8) {
  EXPECT_EQ(bounded_tail("abcdef", 3), "def");
  EXPECT_EQ(bounded_tail("ab", 3), "ab");
  EXPECT_EQ(bounded_tail("a\xC3\xA9z", 2), "z");  // would start inside é
}

}  // namespace
}  // namespace gavel::agents
