// HttpAgent's infrastructure behaviour against FakeLlmServer, for each API: retries with
// backoff and Retry-After, typed failures after the last attempt, timeouts, cancellation, and
// the key kept out of every failure.

#include "agents/http_agent.hpp"
#include "tests/support/fake_llm_server.hpp"
#include "tests/support/fake_llm_server_agent.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace gavel::agents {
namespace {

using config::HttpApi;
using std::chrono::milliseconds;
using std::chrono::steady_clock;
using test::FakeLlmServer;
using test::FakeReply;

constexpr const char* k_key_env = "GAVEL_HTTP_FAULTS_TEST_KEY";
constexpr const char* k_key = "sk-faults-SECRET-9f8e7d6c5b4a";

std::string api_name(const testing::TestParamInfo<HttpApi>& info) {
  switch (info.param) {
    case HttpApi::openai_responses: return "Responses";
    case HttpApi::openai_chat: return "Chat";
    case HttpApi::anthropic_messages: return "Anthropic";
  }
  return "Unknown";
}

milliseconds since(steady_clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
}

// A port on 127.0.0.1 that nothing listens on.
std::uint16_t closed_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, {boost::asio::ip::make_address_v4("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

class HttpAgentFaults : public testing::TestWithParam<HttpApi> {
 protected:
  void SetUp() override { ::setenv(k_key_env, k_key, 1); }

  config::AgentSpec spec() { return test::fake_http_spec(GetParam(), m_server, k_key_env); }
  Task task(milliseconds timeout = std::chrono::seconds(20)) {
    Task t;
    t.prompt = "Review this change.";
    t.timeout = timeout;
    return t;
  }
  static void expect_no_key(const AgentResult& result) {
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().message.find(k_key), std::string::npos) << result.error().message;
    EXPECT_EQ(result.error().excerpt.find(k_key), std::string::npos) << result.error().excerpt;
  }

  FakeLlmServer m_server;
};

TEST_P(HttpAgentFaults, ServerErrorThenSuccessRetries) {
  m_server.enqueue({FakeReply::error(500), FakeReply::message("second time lucky")});
  HttpAgent agent(spec());
  const auto started = steady_clock::now();
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->text, "second time lucky");
  EXPECT_EQ(result->attempts, 2);
  EXPECT_EQ(m_server.requests().size(), 2u);
  EXPECT_GE(since(started), milliseconds(100));  // the first backoff minimum
}

TEST_P(HttpAgentFaults, RetryAfterLongerThanBackoffIsHonoured) {
  m_server.enqueue({FakeReply::error(429, {{"Retry-After", "1"}}), FakeReply::message("ok")});
  HttpAgent agent(spec());
  const auto started = steady_clock::now();
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->attempts, 2);
  EXPECT_GE(since(started), milliseconds(950));
}

TEST_P(HttpAgentFaults, QuotaAfterTheLastAttempt) {
  for (int i = 0; i < 4; ++i) m_server.enqueue(FakeReply::error(429));
  HttpAgent agent(spec());
  const auto started = steady_clock::now();
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::quota);
  EXPECT_EQ(result.error().attempts, 4);
  EXPECT_EQ(m_server.requests().size(), 4u);
  EXPECT_GE(since(started), milliseconds(700));  // 100 + 200 + 400 ms minimums
  EXPECT_NE(result.error().message.find("429"), std::string::npos);
}

TEST_P(HttpAgentFaults, ServerErrorsAfterTheLastAttemptAreACrash) {
  for (int i = 0; i < 4; ++i) m_server.enqueue(FakeReply::error(503));
  config::AgentSpec s = spec();
  s.http.backoff_base = milliseconds(10);
  HttpAgent agent(s);
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::crash);
  EXPECT_EQ(result.error().attempts, 4);
  EXPECT_FALSE(result.error().excerpt.empty());
}

TEST_P(HttpAgentFaults, RefusedConnectionIsUnavailableAfterRetries) {
  config::AgentSpec s = spec();
  s.http.base_url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/v1";
  s.http.backoff_base = milliseconds(10);
  HttpAgent agent(s);
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::unavailable);
  EXPECT_EQ(result.error().attempts, 4);
  expect_no_key(result);
}

TEST_P(HttpAgentFaults, DroppedConnectionIsRetried) {
  m_server.enqueue({FakeReply::drop(), FakeReply::message("after the drop")});
  HttpAgent agent(spec());
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->text, "after the drop");
  EXPECT_EQ(result->attempts, 2);
}

TEST_P(HttpAgentFaults, ConnectionDroppedMidBodyIsRetried) {
  FakeReply cut = FakeReply::message("this body never finishes");
  cut.body_chunks = 4;
  cut.drop_after_chunks = 2;
  m_server.enqueue({cut, FakeReply::message("whole")});
  HttpAgent agent(spec());
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->text, "whole");
  EXPECT_EQ(result->attempts, 2);
}

TEST_P(HttpAgentFaults, ServerThatNeverAnswersTimesOut) {
  m_server.enqueue(FakeReply::hang());
  HttpAgent agent(spec());
  const auto started = steady_clock::now();
  const AgentResult result = test::run_agent(agent, task(milliseconds(500)));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::timeout);
  EXPECT_GE(since(started), milliseconds(450));
  EXPECT_LT(since(started), milliseconds(3000));
  EXPECT_TRUE(m_server.wait_for_client_disconnects(1, milliseconds(2000)));
}

TEST_P(HttpAgentFaults, HangAfterTheHeadersTimesOut) {
  FakeReply stuck = FakeReply::message("never completes");
  stuck.body_chunks = 3;
  stuck.chunk_delay = std::chrono::hours(1);
  m_server.enqueue(stuck);
  HttpAgent agent(spec());
  const auto started = steady_clock::now();
  const AgentResult result = test::run_agent(agent, task(milliseconds(500)));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::timeout);
  EXPECT_LT(since(started), milliseconds(3000));
}

TEST_P(HttpAgentFaults, PerRequestTimeoutIsRetriedWithinTheDeadline) {
  FakeReply slow = FakeReply::message("too late");
  slow.delay = milliseconds(3000);
  m_server.enqueue({slow, FakeReply::message("in time")});
  config::AgentSpec s = spec();
  s.http.request_timeout = milliseconds(300);
  HttpAgent agent(s);
  const AgentResult result = test::run_agent(agent, task(std::chrono::seconds(10)));
  ASSERT_TRUE(result.has_value()) << result.error().message;
  EXPECT_EQ(result->text, "in time");
  EXPECT_EQ(result->attempts, 2);
}

TEST_P(HttpAgentFaults, CancellationMidRequestCompletesPromptly) {
  m_server.enqueue(FakeReply::hang());
  HttpAgent agent(spec());
  const auto started = steady_clock::now();
  const AgentResult result = test::run_agent(agent, task(), milliseconds(200));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::cancelled);
  EXPECT_LT(since(started), milliseconds(1000));
  EXPECT_TRUE(m_server.wait_for_client_disconnects(1, milliseconds(1000)));
}

TEST_P(HttpAgentFaults, CancellationDuringBackoffCompletesPromptly) {
  m_server.enqueue(FakeReply::error(429, {{"Retry-After", "30"}}));
  HttpAgent agent(spec());
  const auto started = steady_clock::now();
  const AgentResult result = test::run_agent(agent, task(std::chrono::seconds(60)),
                                             milliseconds(300));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::cancelled);
  EXPECT_LT(since(started), milliseconds(1500));
}

TEST_P(HttpAgentFaults, LosingARaceAgainstADeadlineAbortsTheTransfer) {
  m_server.enqueue(FakeReply::hang());
  HttpAgent agent(spec());
  const auto started = steady_clock::now();
  EXPECT_FALSE(test::race_agent(agent, task(), milliseconds(200)));
  EXPECT_LT(since(started), milliseconds(1000));
  EXPECT_TRUE(m_server.wait_for_client_disconnects(1, milliseconds(1000)));
}

TEST_P(HttpAgentFaults, RetryAfterBeyondTheDeadlineGivesUpAtOnce) {
  m_server.enqueue(FakeReply::error(429, {{"Retry-After", "120"}}));
  HttpAgent agent(spec());
  const auto started = steady_clock::now();
  const AgentResult result = test::run_agent(agent, task(std::chrono::seconds(5)));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::quota);
  EXPECT_EQ(result.error().attempts, 1);
  EXPECT_LT(since(started), milliseconds(1000));
  // The review loop is told how long the server asked to wait.
  EXPECT_EQ(result.error().retry_after, milliseconds(120'000));
}

TEST_P(HttpAgentFaults, RetryAfterOfTheLastAttemptIsPassedOn) {
  m_server.enqueue(FakeReply::error(429, {{"Retry-After", "7"}}));
  config::AgentSpec s = spec();
  s.http.max_attempts = 1;
  HttpAgent agent(s);
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::quota);
  EXPECT_EQ(result.error().retry_after, milliseconds(7000));
}

TEST_P(HttpAgentFaults, RejectedKeyIsAuthWithoutRetryAndNeverQuoted) {
  const std::string echo = std::string(R"({"error":{"message":"Incorrect API key provided: )") +
                           k_key + R"(","type":"invalid_request_error"}})";
  m_server.enqueue(FakeReply::error(401, {}, echo));
  HttpAgent agent(spec());
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::auth);
  EXPECT_EQ(result.error().attempts, 1);
  EXPECT_NE(result.error().message.find("Incorrect API key provided"), std::string::npos);
  EXPECT_NE(result.error().message.find("[redacted]"), std::string::npos);
  expect_no_key(result);
}

TEST_P(HttpAgentFaults, KeyIsAbsentFromEveryFailure) {
  const std::string leak = std::string("echo ") + k_key;
  config::AgentSpec s = spec();
  s.http.backoff_base = milliseconds(1);
  HttpAgent agent(s);
  m_server.enqueue(FakeReply::error(403, {}, leak));
  expect_no_key(test::run_agent(agent, task()));
  for (int i = 0; i < 4; ++i) m_server.enqueue(FakeReply::error(500, {}, leak));
  expect_no_key(test::run_agent(agent, task()));
  m_server.enqueue(FakeReply::raw_body(leak));
  expect_no_key(test::run_agent(agent, task()));
  m_server.enqueue(FakeReply::raw_body(R"({"error": {"message": ")" + leak + R"("}})"));
  expect_no_key(test::run_agent(agent, task()));
  m_server.enqueue(FakeReply::error(400, {}, R"({"error": ")" + leak + R"("})"));
  expect_no_key(test::run_agent(agent, task()));
}

TEST_P(HttpAgentFaults, MissingKeyVariableIsAuthAndSendsNothing) {
  config::AgentSpec s = spec();
  s.http.api_key_env = "GAVEL_HTTP_TEST_KEY_THAT_IS_NOT_SET";
  ::unsetenv(s.http.api_key_env.c_str());
  HttpAgent agent(s);
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::auth);
  EXPECT_NE(result.error().message.find("GAVEL_HTTP_TEST_KEY_THAT_IS_NOT_SET"), std::string::npos);
  EXPECT_TRUE(m_server.requests().empty());
}

TEST_P(HttpAgentFaults, NotFoundIsUnavailableWithoutRetry) {
  m_server.enqueue(FakeReply::error(404));  // a wrong base URL or an unknown model
  HttpAgent agent(spec());
  const AgentResult result = test::run_agent(agent, task());
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, FailureKind::unavailable);
  EXPECT_EQ(result.error().attempts, 1);
}

INSTANTIATE_TEST_SUITE_P(AllApis, HttpAgentFaults,
                         testing::Values(HttpApi::openai_responses, HttpApi::openai_chat,
                                         HttpApi::anthropic_messages),
                         api_name);

}  // namespace
}  // namespace gavel::agents
