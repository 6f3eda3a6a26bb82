#pragma once
// The wire formats of the LLM APIs HttpAgent speaks: building a request, reading a reply.
//
// Pure functions, called by HttpAgent on the io_context thread and by tests; no IO. One file per
// API: http_openai_responses.cpp (POST {base}/responses), http_openai_chat.cpp (POST
// {base}/chat/completions; also Ollama, llama.cpp server, vLLM) and http_anthropic.cpp (POST
// {base}/v1/messages, where {base} has no /v1; a base that ends in /v1 is accepted too).
// Structured output: Responses text.format json_schema (strict), Chat response_format
// json_schema (strict), Anthropic a forced tool whose input_schema is the schema; the reply's
// text is then the JSON document (for Anthropic, the tool_use input serialised).
// Messages built here may quote the server; HttpAgent scrubs the key from them afterwards.

#include "agents/agent.hpp"
#include "config/http_spec.hpp"

#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace gavel::agents {

// The name of the structured-output format (OpenAI) or forced tool (Anthropic).
inline constexpr const char* k_output_tool_name = "gavel_output";
inline constexpr const char* k_anthropic_version = "2023-06-01";

struct ApiInput {
  std::string prompt;
  const nlohmann::json* schema = nullptr;  // nullptr: free-text answer
  std::string api_key;                     // empty: no key header is sent
};

struct ApiCall {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"; holds the key: never log them
  std::string body;
};

struct ApiReply {
  std::string text;  // the final message
  Usage usage;
};

struct ApiFailure {
  FailureKind kind = FailureKind::malformed_output;
  std::string message;
  Usage usage;
};

using ApiResult = boost::system::result<ApiReply, ApiFailure>;

// The endpoint for `spec`, from its base URL (or the API's public default when empty).
std::string endpoint_url(const config::HttpSpec& spec);

// URL, headers and JSON body for one request of `spec.api`.
ApiCall build_api_call(const config::HttpSpec& spec, const ApiInput& input);

// Reads a 2xx reply body of `api`: the final text and usage, or refusal / malformed_output.
ApiResult parse_api_reply(config::HttpApi api, std::string_view body);

// The human message in an error body (`{"error":{"message":..}}`, `{"error":".."}`), or "".
std::string api_error_message(std::string_view body);

// Per-API halves, dispatched to by the two functions above.
nlohmann::json openai_responses_body(const config::HttpSpec& spec, const ApiInput& input);
ApiResult parse_openai_responses(const nlohmann::json& reply);
nlohmann::json openai_chat_body(const config::HttpSpec& spec, const ApiInput& input);
ApiResult parse_openai_chat(const nlohmann::json& reply);
nlohmann::json anthropic_body(const config::HttpSpec& spec, const ApiInput& input);
ApiResult parse_anthropic(const nlohmann::json& reply);

// Helpers shared by the per-API files: a member as an integer (0 when absent or not a number),
// and a failure value.
std::int64_t json_int(const nlohmann::json& object, const char* key);
ApiFailure api_failure(FailureKind kind, std::string message, Usage usage = {});

}  // namespace gavel::agents
