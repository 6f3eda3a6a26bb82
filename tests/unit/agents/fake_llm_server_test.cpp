// FakeLlmServer itself: the wire formats it writes (JSON and SSE, parsed back), its request log,
// scripting, endpoint matching and faults. Requests go through plain blocking libcurl.

#include "tests/support/fake_llm_server.hpp"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <string>

namespace gavel::test {
namespace {

using nlohmann::json;

struct Exchange {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string headers;
  std::string body;
};

std::size_t append(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

Exchange call(const std::string& method, const std::string& url, const std::string& body = {},
              const std::string& header = {}) {
  Exchange ex;
  CURL* easy = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  if (!header.empty()) headers = curl_slist_append(headers, header.c_str());
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(easy, CURLOPT_NOPROXY, "*");
  if (method == "HEAD") curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  if (method == "POST") curl_easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, body.c_str());
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &append);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &ex.body);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &append);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &ex.headers);
  ex.code = curl_easy_perform(easy);
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &ex.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(easy);
  return ex;
}

std::vector<std::string> types(const std::vector<SseEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.event);
  return out;
}

class FakeLlmServerTest : public testing::Test {
 protected:
  Exchange post(const std::string& path, const json& body) {
    return call("POST", m_server.origin() + path, body.dump());
  }
  FakeLlmServer m_server;
};

TEST_F(FakeLlmServerTest, ResponsesStreamHasTheEventsCodexNeeds) {
  FakeReply reply = FakeReply::message("Hello, streaming world!");
  reply.delta_chars = 5;
  reply.usage = {40, 8, 12};
  m_server.enqueue(reply);
  const Exchange ex = post("/v1/responses", {{"model", "gpt-x"}, {"stream", true}, {"input", "hi"}});
  ASSERT_EQ(ex.code, CURLE_OK);
  EXPECT_EQ(ex.status, 200);
  EXPECT_NE(ex.headers.find("text/event-stream"), std::string::npos);

  const auto events = parse_sse(ex.body);
  const std::vector<std::string> expected = {
      "response.created", "response.in_progress", "response.output_item.added",
      "response.content_part.added", "response.output_text.delta", "response.output_text.delta",
      "response.output_text.delta", "response.output_text.delta", "response.output_text.delta",
      "response.output_text.done", "response.content_part.done", "response.output_item.done",
      "response.completed"};
  EXPECT_EQ(types(events), expected);
  std::string text;
  int seq = 0;
  for (const auto& e : events) {
    const json data = json::parse(e.data);
    EXPECT_EQ(data.at("type"), e.event);
    EXPECT_EQ(data.at("sequence_number"), seq++);
    if (e.event == "response.output_text.delta") text += data.at("delta").get<std::string>();
  }
  EXPECT_EQ(text, "Hello, streaming world!");
  const json completed = json::parse(events.back().data).at("response");
  EXPECT_EQ(completed.at("id"), json::parse(events.front().data).at("response").at("id"));
  EXPECT_EQ(completed.at("status"), "completed");
  EXPECT_EQ(completed.at("model"), "gpt-x");
  EXPECT_EQ(completed.at("usage").at("input_tokens"), 40);
  EXPECT_EQ(completed.at("usage").at("input_tokens_details").at("cached_tokens"), 12);
  EXPECT_EQ(completed.at("usage").at("output_tokens"), 8);
  EXPECT_EQ(completed.at("output").at(0).at("content").at(0).at("text"), text);
}

TEST_F(FakeLlmServerTest, ResponsesStreamCarriesFunctionAndCustomToolCalls) {
  FakeReply reply = FakeReply::tool_call("shell", R"({"command":["ls","-la"]})");
  reply.tool_calls.push_back({"apply_patch", "*** Begin Patch\n*** End Patch\n", "call_9",
                              FakeToolKind::custom});
  m_server.enqueue(reply);
  const auto events = parse_sse(post("/v1/responses", {{"stream", true}}).body);
  std::string arguments;
  std::vector<json> done;
  for (const auto& e : events) {
    const json data = json::parse(e.data);
    if (e.event == "response.function_call_arguments.delta") arguments += data.at("delta");
    if (e.event == "response.output_item.done") done.push_back(data.at("item"));
  }
  EXPECT_EQ(arguments, R"({"command":["ls","-la"]})");
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].at("type"), "function_call");
  EXPECT_EQ(done[0].at("name"), "shell");
  EXPECT_FALSE(done[0].at("call_id").get<std::string>().empty());
  EXPECT_EQ(done[1].at("type"), "custom_tool_call");
  EXPECT_EQ(done[1].at("call_id"), "call_9");
  EXPECT_EQ(done[1].at("input"), "*** Begin Patch\n*** End Patch\n");
  EXPECT_EQ(events.back().event, "response.completed");
}

TEST_F(FakeLlmServerTest, ChatStreamEndsWithDoneAndCarriesUsageWhenAsked) {
  FakeReply reply = FakeReply::message("chunky text here");
  reply.delta_chars = 4;
  m_server.enqueue(reply);
  const auto events = parse_sse(post("/v1/chat/completions",
                                     {{"stream", true},
                                      {"stream_options", {{"include_usage", true}}}})
                                    .body);
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.back().data, "[DONE]");
  std::string text;
  std::string finish;
  json usage;
  for (std::size_t i = 0; i + 1 < events.size(); ++i) {
    const json chunk = json::parse(events[i].data);
    EXPECT_EQ(chunk.at("object"), "chat.completion.chunk");
    if (!chunk.at("choices").empty()) {
      const json& choice = chunk.at("choices").at(0);
      text += choice.at("delta").value("content", "");
      if (choice.at("finish_reason").is_string()) finish = choice.at("finish_reason");
    }
    if (chunk.contains("usage")) usage = chunk.at("usage");
  }
  EXPECT_EQ(text, "chunky text here");
  EXPECT_EQ(finish, "stop");
  EXPECT_EQ(usage.at("prompt_tokens"), 11);
}

TEST_F(FakeLlmServerTest, ChatStreamToolCallArgumentsReassemble) {
  m_server.enqueue(FakeReply::tool_call("read_file", R"({"path":"src/main.cpp"})"));
  const auto events = parse_sse(post("/v1/chat/completions", {{"stream", true}}).body);
  std::string name;
  std::string arguments;
  std::string finish;
  for (const auto& e : events) {
    if (e.data == "[DONE]") continue;
    const json chunk = json::parse(e.data);
    const json& choice = chunk.at("choices").at(0);
    if (choice.at("delta").contains("tool_calls")) {
      const json& call = choice.at("delta").at("tool_calls").at(0);
      EXPECT_EQ(call.at("index"), 0);
      name += call.at("function").value("name", "");
      arguments += call.at("function").value("arguments", "");
    }
    if (choice.at("finish_reason").is_string()) finish = choice.at("finish_reason");
  }
  EXPECT_EQ(name, "read_file");
  EXPECT_EQ(arguments, R"({"path":"src/main.cpp"})");
  EXPECT_EQ(finish, "tool_calls");
}

TEST_F(FakeLlmServerTest, ChatJsonReply) {
  m_server.enqueue(FakeReply::message("plain"));
  const json reply = json::parse(post("/v1/chat/completions", {{"model", "llama"}}).body);
  EXPECT_EQ(reply.at("object"), "chat.completion");
  EXPECT_EQ(reply.at("model"), "llama");
  EXPECT_EQ(reply.at("choices").at(0).at("message").at("content"), "plain");
  EXPECT_EQ(reply.at("choices").at(0).at("finish_reason"), "stop");
}

TEST_F(FakeLlmServerTest, AnthropicStreamHasTheEventsClaudeNeeds) {
  FakeReply reply = FakeReply::message("Thinking out loud.");
  reply.structured = json{{"ok", true}};
  reply.delta_chars = 6;
  m_server.enqueue(reply);
  const json request = {{"stream", true},
                        {"tools", {{{"name", "Bash"}}, {{"name", "StructuredOutput"}}}}};
  const Exchange ex = post("/v1/messages?beta=true", request);
  ASSERT_EQ(ex.code, CURLE_OK);
  const auto events = parse_sse(ex.body);
  ASSERT_GE(events.size(), 8u);
  EXPECT_EQ(events.front().event, "message_start");
  EXPECT_EQ(events.back().event, "message_stop");
  EXPECT_EQ(events[events.size() - 2].event, "message_delta");

  std::string text;
  std::string partial_json;
  std::string tool_name;
  for (const auto& e : events) {
    const json data = json::parse(e.data);
    EXPECT_EQ(data.at("type"), e.event);
    if (e.event == "content_block_start" && data.at("content_block").at("type") == "tool_use") {
      tool_name = data.at("content_block").at("name");
    }
    if (e.event == "content_block_delta") {
      const json& delta = data.at("delta");
      if (delta.at("type") == "text_delta") text += delta.at("text");
      if (delta.at("type") == "input_json_delta") partial_json += delta.at("partial_json");
    }
  }
  EXPECT_EQ(text, "Thinking out loud.");
  EXPECT_EQ(tool_name, "StructuredOutput");
  EXPECT_EQ(json::parse(partial_json), json({{"ok", true}}));
  const json delta = json::parse(events[events.size() - 2].data);
  EXPECT_EQ(delta.at("delta").at("stop_reason"), "tool_use");
  EXPECT_EQ(delta.at("usage").at("output_tokens"), 7);
  EXPECT_EQ(m_server.requests().at(0).path, "/v1/messages");
  EXPECT_EQ(m_server.requests().at(0).target, "/v1/messages?beta=true");
}

TEST_F(FakeLlmServerTest, AnthropicJsonUsesTheForcedTool) {
  m_server.enqueue(FakeReply::structured_output({{"a", 1}}));
  const json reply = json::parse(
      post("/v1/messages", {{"tool_choice", {{"type", "tool"}, {"name", "gavel_output"}}},
                            {"tools", {{{"name", "gavel_output"}}}}})
          .body);
  EXPECT_EQ(reply.at("type"), "message");
  EXPECT_EQ(reply.at("stop_reason"), "tool_use");
  EXPECT_EQ(reply.at("content").at(0).at("name"), "gavel_output");
  EXPECT_EQ(reply.at("content").at(0).at("input"), json({{"a", 1}}));
}

TEST_F(FakeLlmServerTest, AnswersHeadAndModels) {
  EXPECT_EQ(call("HEAD", m_server.origin() + "/").status, 200);
  EXPECT_EQ(call("GET", m_server.openai_base_url() + "/models").status, 200);
  EXPECT_EQ(call("GET", m_server.origin() + "/nope").status, 404);
  EXPECT_EQ(m_server.requests().at(0).method, "HEAD");
}

TEST_F(FakeLlmServerTest, ScriptedErrorCarriesStatusHeadersAndApiShapedBody) {
  m_server.enqueue(FakeReply::error(429, {{"Retry-After", "7"}}));
  m_server.enqueue(FakeReply::error(529));
  const Exchange openai = post("/v1/responses", json::object());
  EXPECT_EQ(openai.status, 429);
  EXPECT_NE(openai.headers.find("Retry-After: 7"), std::string::npos);
  EXPECT_EQ(json::parse(openai.body).at("error").at("type"), "rate_limit_exceeded");
  const Exchange anthropic = post("/v1/messages", json::object());
  EXPECT_EQ(anthropic.status, 529);
  EXPECT_EQ(json::parse(anthropic.body).at("error").at("type"), "overloaded_error");
}

TEST_F(FakeLlmServerTest, RepliesAreMatchedPerEndpoint) {
  FakeReply for_messages = FakeReply::message("anthropic only");
  for_messages.endpoint = FakeEndpoint::messages;
  m_server.enqueue({for_messages, FakeReply::message("anyone")});
  const json chat = json::parse(post("/v1/chat/completions", json::object()).body);
  EXPECT_EQ(chat.at("choices").at(0).at("message").at("content"), "anyone");
  const json messages = json::parse(post("/v1/messages", json::object()).body);
  EXPECT_EQ(messages.at("content").at(0).at("text"), "anthropic only");
  EXPECT_EQ(post("/v1/responses", json::object()).status, 500);  // script ran out
  m_server.set_fallback(FakeReply::message("fallback"));
  EXPECT_EQ(post("/v1/responses", json::object()).status, 200);
}

TEST_F(FakeLlmServerTest, LogsEveryRequest) {
  m_server.enqueue(FakeReply::message("x"));
  call("POST", m_server.openai_base_url() + "/responses", R"({"input":"abc"})",
       "Authorization: Bearer k1");
  ASSERT_TRUE(m_server.wait_for_requests(1, std::chrono::milliseconds(100)));
  const FakeRequest request = m_server.requests().at(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.endpoint, FakeEndpoint::responses);
  EXPECT_EQ(request.header("AUTHORIZATION"), "Bearer k1");
  EXPECT_EQ(request.json().at("input"), "abc");
  EXPECT_EQ(to_json(request).at("headers").at("Authorization"), "Bearer k1");
}

TEST_F(FakeLlmServerTest, DropsTheConnectionMidStream) {
  FakeReply reply = FakeReply::message("a long answer that is cut");
  reply.delta_chars = 2;
  reply.drop_after_chunks = 4;
  m_server.enqueue(reply);
  m_server.enqueue(FakeReply::drop());
  const Exchange cut = post("/v1/responses", {{"stream", true}});
  EXPECT_NE(cut.code, CURLE_OK);
  EXPECT_EQ(parse_sse(cut.body).size(), 4u);
  EXPECT_EQ(post("/v1/responses", json::object()).code, CURLE_GOT_NOTHING);
}

TEST_F(FakeLlmServerTest, DelaysBetweenChunks) {
  FakeReply reply = FakeReply::message("abcdef");
  reply.delta_chars = 2;
  reply.chunk_delay = std::chrono::milliseconds(50);
  m_server.enqueue(reply);
  const auto started = std::chrono::steady_clock::now();
  const Exchange ex = post("/v1/messages", {{"stream", true}});
  EXPECT_EQ(ex.code, CURLE_OK);
  // message_start, ping, block start, 3 deltas, block stop, message_delta, message_stop
  EXPECT_EQ(parse_sse(ex.body).size(), 9u);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(8 * 50));
}

TEST(FakeLlmScript, ParsesRepliesAndFallback) {
  const json script = {
      {"replies",
       {{{"endpoint", "responses"}, {"text", "hi"}, {"usage", {{"input_tokens", 3}}}},
        {{"status", 429}, {"headers", {{"Retry-After", "2"}}}},
        {{"kind", "hang"}},
        {{"tool_calls", {{{"name", "shell"}, {"arguments", {{"command", {"ls"}}}}}}},
         {"chunk_delay_ms", 5}, {"drop_after_chunks", 2}}}},
      {"fallback", {{"structured", {{"ok", true}}}}}};
  const FakeScript parsed = fake_script_from_json(script);
  ASSERT_EQ(parsed.replies.size(), 4u);
  EXPECT_EQ(parsed.replies[0].endpoint, FakeEndpoint::responses);
  EXPECT_EQ(parsed.replies[0].usage.input_tokens, 3);
  EXPECT_EQ(parsed.replies[1].kind, FakeReplyKind::http_error);
  EXPECT_EQ(parsed.replies[1].headers.at(0).second, "2");
  EXPECT_EQ(parsed.replies[2].kind, FakeReplyKind::hang);
  EXPECT_EQ(parsed.replies[3].tool_calls.at(0).arguments, R"({"command":["ls"]})");
  EXPECT_EQ(parsed.replies[3].drop_after_chunks, 2u);
  ASSERT_TRUE(parsed.fallback);
  EXPECT_EQ(*parsed.fallback->structured, json({{"ok", true}}));
  EXPECT_THROW(fake_script_from_json(json{{{"endpoint", "gopher"}}}), std::invalid_argument);
  EXPECT_THROW(fake_script_from_json(json(42)), std::invalid_argument);
}

TEST(FakeLlmSse, ParsesMultiLineDataAndComments) {
  const auto events = parse_sse(": comment\nevent: a\ndata: 1\ndata: 2\n\ndata: x\r\n\r\n");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event, "a");
  EXPECT_EQ(events[0].data, "1\n2");
  EXPECT_EQ(events[1].event, "");
  EXPECT_EQ(events[1].data, "x");
}

}  // namespace
}  // namespace gavel::test
