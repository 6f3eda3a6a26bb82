#pragma once
// What FakeLlmServer answers, and how it is written on the wire of each API.
//
// A test (or the fake_llm_server executable) scripts FakeReply values; FakeLlmServer renders
// each one for the endpoint that asked, as a JSON body or, when the request says
// "stream": true, as the SSE events the real codex and claude CLIs need (shared/AGENT-CLIS.md):
// - OpenAI Responses: response.created, response.in_progress, per item
//   response.output_item.added / .done (with response.output_text.delta, refusal and
//   function_call_arguments deltas inside), response.completed (or .incomplete) with id and usage.
// - Chat Completions: chat.completion, or chat.completion.chunk events then `data: [DONE]`.
// - Anthropic Messages: message_start, ping, content_block_start / _delta (text_delta,
//   input_json_delta) / _stop per block, message_delta (stop_reason, usage), message_stop.
// Everything here is pure and runs on any thread.

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gavel::test {

enum class FakeEndpoint { any, responses, chat_completions, messages };

enum class FakeToolKind { function, custom };  // custom: a Responses custom_tool_call (free text)

struct FakeToolCall {
  std::string name;
  std::string arguments;  // JSON text for a function call; free text for a custom tool
  std::string id;         // generated when empty
  FakeToolKind kind = FakeToolKind::function;
};

struct FakeUsage {
  std::int64_t input_tokens = 11;   // Anthropic: the uncached part, as that API reports it
  std::int64_t output_tokens = 7;
  std::int64_t cached_tokens = 0;
};

enum class FakeReplyKind {
  message,     // an assistant turn: text, structured output, tool calls, refusal
  http_error,  // `status` with `headers` and `body` (an API-shaped error when empty)
  raw,         // `status` with `body` verbatim (e.g. malformed JSON)
  drop,        // close the connection without answering
  hang,        // never answer; the connection is held until the client gives up
};

struct FakeReply {
  FakeReplyKind kind = FakeReplyKind::message;
  FakeEndpoint endpoint = FakeEndpoint::any;  // which endpoint may take this reply

  std::string text;
  std::optional<nlohmann::json> structured;  // OpenAI: the JSON as text; Anthropic: tool_use
  std::vector<FakeToolCall> tool_calls;
  std::string refusal;      // a refusal instead of text
  std::string stop_reason;  // overrides Anthropic stop_reason / Chat finish_reason; Responses:
                            // makes the response "incomplete" with this reason
  FakeUsage usage;
  std::size_t delta_chars = 16;  // text per streamed delta

  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::chrono::milliseconds delay{0};        // before the status line
  std::chrono::milliseconds chunk_delay{0};  // between chunks (SSE events or body pieces)
  std::size_t body_chunks = 1;               // a non-streamed body is sent in this many pieces
  std::optional<std::size_t> drop_after_chunks;  // close the connection after this many chunks

  static FakeReply message(std::string text);
  static FakeReply structured_output(nlohmann::json value);
  static FakeReply tool_call(std::string name, std::string arguments);
  static FakeReply error(int status, std::vector<std::pair<std::string, std::string>> headers = {},
                         std::string body = {});
  static FakeReply raw_body(std::string body, int status = 200);
  static FakeReply drop();
  static FakeReply hang();
};

// One request as the server received it.
struct FakeRequest {
  std::string method;
  std::string target;  // path and query as sent
  std::string path;    // without the query
  FakeEndpoint endpoint = FakeEndpoint::any;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::string header(std::string_view name) const;  // case-insensitive; "" when absent
  nlohmann::json json() const;                       // the body; discarded when not JSON
  bool streaming() const;                            // body has "stream": true
};

// The endpoint a request path names: .../responses, .../chat/completions, .../messages.
FakeEndpoint endpoint_for_path(std::string_view path);

struct FakeRendered {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<std::string> chunks;  // SSE events, or pieces of the body
};

// How `reply` goes out on `endpoint` in answer to `request` (its JSON body).
FakeRendered render_reply(FakeEndpoint endpoint, const FakeReply& reply,
                          const nlohmann::json& request);

struct SseEvent {
  std::string event;  // "" when the event had no `event:` line
  std::string data;   // data lines joined with '\n'
};

// Splits an SSE stream into events (blank-line separated; comments ignored).
std::vector<SseEvent> parse_sse(std::string_view text);

// A script for the fake_llm_server executable: a JSON array of replies, or
// {"replies": [...], "fallback": {...}}. Reply keys: endpoint ("responses", "chat", "messages"),
// text, structured, tool_calls [{name, arguments (string or JSON), id, custom}], refusal,
// stop_reason, usage {input_tokens, output_tokens, cached_tokens}, delta_chars, status, headers
// {name: value}, body, delay_ms, chunk_delay_ms, body_chunks, drop_after_chunks, and "kind"
// ("message", "error", "raw", "drop", "hang"; inferred from status/body when absent).
// Throws std::invalid_argument on a malformed script.
struct FakeScript {
  std::vector<FakeReply> replies;
  std::optional<FakeReply> fallback;
};
FakeReply fake_reply_from_json(const nlohmann::json& value);
FakeScript fake_script_from_json(const nlohmann::json& value);
nlohmann::json to_json(const FakeRequest& request);

// Per-API renderers behind render_reply (fake_llm_server_openai.cpp, _anthropic.cpp).
nlohmann::json fake_responses_json(const FakeReply& reply, const nlohmann::json& request);
std::vector<std::string> fake_responses_sse(const FakeReply& reply, const nlohmann::json& request);
nlohmann::json fake_chat_json(const FakeReply& reply, const nlohmann::json& request);
std::vector<std::string> fake_chat_sse(const FakeReply& reply, const nlohmann::json& request);
nlohmann::json fake_messages_json(const FakeReply& reply, const nlohmann::json& request);
std::vector<std::string> fake_messages_sse(const FakeReply& reply, const nlohmann::json& request);

// Helpers shared by the renderers: `text` cut into pieces of about `size` bytes on UTF-8
// boundaries; a unique id with `prefix`; one SSE event.
std::vector<std::string> split_utf8(const std::string& text, std::size_t size);
std::string fake_id(const char* prefix);
std::string sse_event(const std::string& event, const nlohmann::json& data);

}  // namespace gavel::test
