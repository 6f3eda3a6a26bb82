// The per-API request and reply formats of HttpAgent, as pure functions.

#include "agents/http_agent.hpp"
#include "agents/http_api.hpp"

#include <gtest/gtest.h>

namespace gavel::agents {
namespace {

using config::HttpApi;
using nlohmann::json;

config::HttpSpec spec(HttpApi api, std::string base = {}) {
  config::HttpSpec s;
  s.api = api;
  s.base_url = std::move(base);
  s.model = "m";
  s.max_output_tokens = 1234;
  return s;
}

ApiResult parse(HttpApi api, const json& body) { return parse_api_reply(api, body.dump()); }

TEST(HttpApiUrl, OpenAiBaseIncludesV1) {
  EXPECT_EQ(endpoint_url(spec(HttpApi::openai_responses)), "https://api.openai.com/v1/responses");
  EXPECT_EQ(endpoint_url(spec(HttpApi::openai_chat, "http://127.0.0.1:11434/v1/")),
            "http://127.0.0.1:11434/v1/chat/completions");
}

TEST(HttpApiUrl, AnthropicBaseHasNoV1ButOneIsTolerated) {
  EXPECT_EQ(endpoint_url(spec(HttpApi::anthropic_messages)),
            "https://api.anthropic.com/v1/messages");
  EXPECT_EQ(endpoint_url(spec(HttpApi::anthropic_messages, "http://h:1/")),
            "http://h:1/v1/messages");
  EXPECT_EQ(endpoint_url(spec(HttpApi::anthropic_messages, "http://h:1/v1")),
            "http://h:1/v1/messages");
}

TEST(HttpApiRequest, MaxTokensFieldPerApi) {
  const ApiInput input{"p", nullptr, ""};
  EXPECT_EQ(json::parse(build_api_call(spec(HttpApi::openai_responses), input).body)
                .at("max_output_tokens"), 1234);
  EXPECT_EQ(json::parse(build_api_call(spec(HttpApi::openai_chat), input).body).at("max_tokens"),
            1234);
  EXPECT_EQ(json::parse(build_api_call(spec(HttpApi::anthropic_messages), input).body)
                .at("max_tokens"), 1234);
}

TEST(HttpApiRequest, NoSchemaNoStructuredOutput) {
  const ApiInput input{"p", nullptr, ""};
  EXPECT_FALSE(json::parse(build_api_call(spec(HttpApi::openai_responses), input).body).contains("text"));
  EXPECT_FALSE(json::parse(build_api_call(spec(HttpApi::openai_chat), input).body)
                   .contains("response_format"));
  EXPECT_FALSE(json::parse(build_api_call(spec(HttpApi::anthropic_messages), input).body)
                   .contains("tools"));
}

TEST(HttpApiRequest, ImplementerSchemaIsStrictCompatible) {
  const json schema = json::parse(implementer_output_schema());
  EXPECT_EQ(schema.at("additionalProperties"), false);
  EXPECT_EQ(schema.at("required"), json({"patch", "responses", "summary"}));
  EXPECT_EQ(schema.at("properties").at("responses").at("items").at("additionalProperties"), false);
}

TEST(HttpApiResponses, JoinsOutputTextAndSkipsOtherItems) {
  const json body = {
      {"status", "completed"},
      {"output", {{{"type", "reasoning"}, {"summary", json::array()}},
                  {{"type", "message"},
                   {"content", {{{"type", "output_text"}, {"text", "a"}},
                                {{"type", "output_text"}, {"text", "b"}}}}}}},
      {"usage", {{"input_tokens", 5}, {"output_tokens", 2},
                 {"input_tokens_details", {{"cached_tokens", 3}}}}}};
  const ApiResult r = parse(HttpApi::openai_responses, body);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->text, "ab");
  EXPECT_EQ(r->usage.input_tokens, 5);
  EXPECT_EQ(r->usage.cached_input_tokens, 3);
  EXPECT_EQ(r->usage.output_tokens, 2);
}

TEST(HttpApiResponses, ContentFilterIsARefusal) {
  const json body = {{"status", "incomplete"},
                     {"incomplete_details", {{"reason", "content_filter"}}},
                     {"output", json::array()}};
  ASSERT_FALSE(parse(HttpApi::openai_responses, body).has_value());
  EXPECT_EQ(parse(HttpApi::openai_responses, body).error().kind, FailureKind::refusal);
}

TEST(HttpApiResponses, ErrorObjectIsACrash) {
  const json body = {{"status", "failed"}, {"error", {{"message", "boom"}}}, {"output", json::array()}};
  const ApiResult r = parse(HttpApi::openai_responses, body);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, FailureKind::crash);
  EXPECT_NE(r.error().message.find("boom"), std::string::npos);
}

TEST(HttpApiChat, ContentMayBeAnArrayOfParts) {
  const json body = {{"choices", {{{"finish_reason", "stop"},
                                   {"message", {{"content", {{{"type", "text"}, {"text", "x"}},
                                                             {{"type", "text"}, {"text", "y"}}}}}}}}},
                     {"usage", {{"prompt_tokens", 9}, {"completion_tokens", 4}}}};
  const ApiResult r = parse(HttpApi::openai_chat, body);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->text, "xy");
  EXPECT_EQ(r->usage.input_tokens, 9);
  EXPECT_EQ(r->usage.output_tokens, 4);
}

TEST(HttpApiChat, NoChoicesIsMalformed) {
  const ApiResult r = parse(HttpApi::openai_chat, {{"choices", json::array()}});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, FailureKind::malformed_output);
}

TEST(HttpApiChat, NullRefusalIsNotARefusal) {
  const json body = {{"choices", {{{"finish_reason", "stop"},
                                   {"message", {{"content", "fine"}, {"refusal", nullptr}}}}}}};
  ASSERT_TRUE(parse(HttpApi::openai_chat, body).has_value());
}

TEST(HttpApiAnthropic, ToolInputWinsOverText) {
  const json body = {{"stop_reason", "tool_use"},
                     {"content", {{{"type", "text"}, {"text", "Here you go"}},
                                  {{"type", "tool_use"}, {"name", k_output_tool_name},
                                   {"input", {{"findings", json::array()}}}}}},
                     {"usage", {{"input_tokens", 3}, {"cache_read_input_tokens", 10},
                                {"cache_creation_input_tokens", 2}, {"output_tokens", 1}}}};
  const ApiResult r = parse(HttpApi::anthropic_messages, body);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(json::parse(r->text), json({{"findings", json::array()}}));
  EXPECT_EQ(r->usage.input_tokens, 15);
  EXPECT_EQ(r->usage.cached_input_tokens, 10);
}

TEST(HttpApiAnthropic, ErrorTypeIsACrash) {
  const json body = {{"type", "error"}, {"error", {{"type", "overloaded_error"}, {"message", "busy"}}}};
  const ApiResult r = parse(HttpApi::anthropic_messages, body);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, FailureKind::crash);
}

TEST(HttpApiErrors, MessageFromEitherErrorShape) {
  EXPECT_EQ(api_error_message(R"({"error":{"message":"m1","type":"t"}})"), "m1");
  EXPECT_EQ(api_error_message(R"({"type":"error","error":{"type":"x","message":"m2"}})"), "m2");
  EXPECT_EQ(api_error_message(R"({"error":"model not found"})"), "model not found");
  EXPECT_EQ(api_error_message("<html>bad gateway</html>"), "");
}

TEST(HttpScrub, ReplacesEveryOccurrence) {
  EXPECT_EQ(scrub_secret("k=abc and abcabc", "abc"), "k=[redacted] and [redacted][redacted]");
  EXPECT_EQ(scrub_secret("nothing", ""), "nothing");
}

}  // namespace
}  // namespace gavel::agents
