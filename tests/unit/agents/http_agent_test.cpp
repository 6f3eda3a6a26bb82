// HttpAgent against FakeLlmServer, for each API: answers, structured output, usage, headers,
// malformed replies and refusals. Retries, timeouts and cancellation: http_agent_faults_test.cpp.

#include "agents/http_agent.hpp"
#include "tests/support/fake_llm_server.hpp"
#include "tests/support/fake_llm_server_agent.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <string>

namespace gavel::agents {
namespace {

using config::HttpApi;
using nlohmann::json;
using test::FakeEndpoint;
using test::FakeLlmServer;
using test::FakeReply;

constexpr const char* k_key_env = "GAVEL_HTTP_AGENT_TEST_KEY";
constexpr const char* k_key = "sk-test-0123456789abcdefSECRET";

std::string api_name(const testing::TestParamInfo<HttpApi>& info) {
  switch (info.param) {
    case HttpApi::openai_responses: return "Responses";
    case HttpApi::openai_chat: return "Chat";
    case HttpApi::anthropic_messages: return "Anthropic";
  }
  return "Unknown";
}

class HttpAgentApi : public testing::TestWithParam<HttpApi> {
 protected:
  void SetUp() override { ::setenv(k_key_env, k_key, 1); }

  HttpAgent make_agent() { return HttpAgent(test::fake_http_spec(GetParam(), m_server, k_key_env)); }
  Task task(std::string prompt = "Review this change.") {
    Task t;
    t.prompt = std::move(prompt);
    t.timeout = std::chrono::seconds(20);
    return t;
  }
  bool anthropic() const { return GetParam() == HttpApi::anthropic_messages; }

  FakeLlmServer m_server;
};

TEST_P(HttpAgentApi, ReturnsFinalTextAndUsage) {
  FakeReply reply = FakeReply::message("looks good to me");
  reply.usage = {100, 20, 30};
  m_server.enqueue(reply);
  HttpAgent agent = make_agent();
  const AgentResult result = test::run_agent(agent, task("Please review: diff --git a/x b/x"));

  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->text, "looks good to me");
  EXPECT_EQ(result->attempts, 1);
  // Anthropic reports uncached input only; the adapter adds cache reads back in.
  EXPECT_EQ(result->usage.input_tokens, anthropic() ? 130 : 100);
  EXPECT_EQ(result->usage.cached_input_tokens, 30);
  EXPECT_EQ(result->usage.output_tokens, 20);

  const auto requests = m_server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const json body = requests[0].json();
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(body.at("model"), "fake-model");
  EXPECT_NE(requests[0].body.find("Please review: diff --git a/x b/x"), std::string::npos);
  EXPECT_FALSE(requests[0].streaming());
  switch (GetParam()) {
    case HttpApi::openai_responses: EXPECT_EQ(requests[0].path, "/v1/responses"); break;
    case HttpApi::openai_chat: EXPECT_EQ(requests[0].path, "/v1/chat/completions"); break;
    case HttpApi::anthropic_messages: EXPECT_EQ(requests[0].path, "/v1/messages"); break;
  }
}

TEST_P(HttpAgentApi, SendsTheKeyInTheApisHeader) {
  m_server.enqueue(FakeReply::message("ok"));
  HttpAgent agent = make_agent();
  ASSERT_TRUE(test::run_agent(agent, task()).has_value());
  const auto request = m_server.requests().at(0);
  if (anthropic()) {
    EXPECT_EQ(request.header("x-api-key"), k_key);
    EXPECT_EQ(request.header("anthropic-version"), "2023-06-01");
    EXPECT_EQ(request.header("authorization"), "");
  } else {
    EXPECT_EQ(request.header("authorization"), std::string("Bearer ") + k_key);
    EXPECT_EQ(request.header("x-api-key"), "");
  }
  EXPECT_EQ(request.header("content-type"), "application/json");
}

TEST_P(HttpAgentApi, ReadsTheKeyFromAPrivateKeyFile) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("gavel-key-" + std::to_string(::getpid()) + "-" + api_name({GetParam(), 0}));
  std::ofstream(file) << "  " << k_key << "\nsecond line ignored\n";
  std::filesystem::permissions(file, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_write);
  config::AgentSpec spec = test::fake_http_spec(GetParam(), m_server);
  spec.http.api_key_file = file.string();
  m_server.enqueue(FakeReply::message("ok"));
  HttpAgent agent(spec);
  ASSERT_TRUE(test::run_agent(agent, task()).has_value());
  const auto request = m_server.requests().at(0);
  EXPECT_EQ(anthropic() ? request.header("x-api-key") : request.header("authorization"),
            anthropic() ? std::string(k_key) : std::string("Bearer ") + k_key);

  // A key file others may read is refused, and nothing is sent; the message names the file
  // and never the key.
  std::filesystem::permissions(file, std::filesystem::perms::group_read,
                               std::filesystem::perm_options::add);
  const AgentResult refused = test::run_agent(agent, task());
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().kind, FailureKind::auth);
  EXPECT_NE(refused.error().message.find("chmod 600"), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().message.find(k_key), std::string::npos);
  EXPECT_EQ(m_server.requests().size(), 1U);
  std::filesystem::remove(file);
  const AgentResult missing = test::run_agent(agent, task());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().kind, FailureKind::auth);
}

TEST_P(HttpAgentApi, SendsNoKeyWhenNoneIsConfigured) {
  m_server.enqueue(FakeReply::message("ok"));
  HttpAgent agent(test::fake_http_spec(GetParam(), m_server));
  ASSERT_TRUE(test::run_agent(agent, task()).has_value());
  const auto request = m_server.requests().at(0);
  EXPECT_EQ(request.header("authorization"), "");
  EXPECT_EQ(request.header("x-api-key"), "");
}

TEST_P(HttpAgentApi, AsksForStructuredOutputAndReturnsTheDocument) {
  const json schema = {{"type", "object"},
                       {"additionalProperties", false},
                       {"required", {"findings"}},
                       {"properties", {{"findings", {{"type", "array"}, {"items", {{"type", "string"}}}}}}}};
  const json answer = {{"findings", {"unused variable"}}};
  m_server.enqueue(FakeReply::structured_output(answer));
  HttpAgent agent = make_agent();
  Task t = task();
  t.output_schema_json = schema.dump();
  const AgentResult result = test::run_agent(agent, t);

  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(json::parse(result->text), answer);
  const json body = m_server.requests().at(0).json();
  switch (GetParam()) {
    case HttpApi::openai_responses:
      EXPECT_EQ(body.at("text").at("format").at("type"), "json_schema");
      EXPECT_EQ(body.at("text").at("format").at("strict"), true);
      EXPECT_EQ(body.at("text").at("format").at("schema"), schema);
      break;
    case HttpApi::openai_chat:
      EXPECT_EQ(body.at("response_format").at("type"), "json_schema");
      EXPECT_EQ(body.at("response_format").at("json_schema").at("strict"), true);
      EXPECT_EQ(body.at("response_format").at("json_schema").at("schema"), schema);
      break;
    case HttpApi::anthropic_messages:
      EXPECT_EQ(body.at("tools").at(0).at("input_schema"), schema);
      EXPECT_EQ(body.at("tool_choice").at("type"), "tool");
      EXPECT_EQ(body.at("tool_choice").at("name"), body.at("tools").at(0).at("name"));
      break;
  }
}

TEST_P(HttpAgentApi, ImplementerWithoutSchemaGetsThePatchSchema) {
  m_server.enqueue(FakeReply::structured_output({{"patch", ""}, {"responses", json::array()},
                                                 {"summary", "nothing to do"}}));
  HttpAgent agent = make_agent();
  Task t = task();
  t.role = Role::implementer;
  const AgentResult result = test::run_agent(agent, t);
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(json::parse(result->text).at("summary"), "nothing to do");
  const std::string body = m_server.requests().at(0).body;
  EXPECT_NE(body.find("\"patch\""), std::string::npos);
  EXPECT_NE(body.find("\"disputed\""), std::string::npos);
}

TEST_P(HttpAgentApi, UnparseableBodyIsMalformedOutputWithoutRetry) {
  m_server.enqueue(FakeReply::raw_body("{\"this is\": not json"));
  HttpAgent agent = make_agent();
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::malformed_output);
  EXPECT_EQ(result.error().attempts, 1);
  EXPECT_NE(result.error().excerpt.find("not json"), std::string::npos);
  EXPECT_EQ(m_server.requests().size(), 1u);
}

TEST_P(HttpAgentApi, BodyWithoutTheExpectedFieldsIsMalformedOutput) {
  m_server.enqueue(FakeReply::raw_body(R"({"id": "x", "object": "something else"})"));
  HttpAgent agent = make_agent();
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::malformed_output);
}

TEST_P(HttpAgentApi, EmptyAnswerIsMalformedOutputNotAnEmptyReview) {
  m_server.enqueue(FakeReply::message(""));
  HttpAgent agent = make_agent();
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::malformed_output);
}

TEST_P(HttpAgentApi, RefusalIsTyped) {
  FakeReply reply;
  reply.refusal = "I can't help with that.";
  m_server.enqueue(reply);
  HttpAgent agent = make_agent();
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::refusal);
  EXPECT_EQ(result.error().attempts, 1);
}

TEST_P(HttpAgentApi, CutOffAnswerIsMalformedOutput) {
  FakeReply reply = FakeReply::message("{\"findings\": [");
  reply.stop_reason = anthropic() ? "max_tokens"
                      : GetParam() == HttpApi::openai_chat ? "length"
                                                           : "max_output_tokens";
  m_server.enqueue(reply);
  HttpAgent agent = make_agent();
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::malformed_output);
  EXPECT_NE(result.error().message.find("cut off"), std::string::npos);
}

TEST_P(HttpAgentApi, HugeOutputArrivesIntact) {
  std::string text;
  for (int i = 0; text.size() < 4 * 1024 * 1024; ++i) text += "line " + std::to_string(i) + "\n";
  m_server.enqueue(FakeReply::message(text));
  HttpAgent agent = make_agent();
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->text, text);
}

TEST_P(HttpAgentApi, BodyOverTheLimitIsMalformedOutput) {
  m_server.enqueue(FakeReply::message(std::string(20000, 'x')));
  config::AgentSpec spec = test::fake_http_spec(GetParam(), m_server, k_key_env);
  spec.http.max_response_bytes = 4096;
  HttpAgent agent(spec);
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::malformed_output);
  EXPECT_EQ(result.error().attempts, 1);
}

TEST_P(HttpAgentApi, SlowlyStreamedBodyStillSucceeds) {
  FakeReply reply = FakeReply::message("slow but complete");
  reply.body_chunks = 5;
  reply.chunk_delay = std::chrono::milliseconds(100);
  m_server.enqueue(reply);
  HttpAgent agent = make_agent();
  const auto started = std::chrono::steady_clock::now();
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->text, "slow but complete");
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(350));
}

INSTANTIATE_TEST_SUITE_P(AllApis, HttpAgentApi,
                         testing::Values(HttpApi::openai_responses, HttpApi::openai_chat,
                                         HttpApi::anthropic_messages),
                         api_name);

}  // namespace
}  // namespace gavel::agents
