// FakeLlmServer scripts as JSON (for the fake_llm_server executable) and request logs as JSON.

#include "tests/support/fake_llm_server_wire.hpp"

#include <stdexcept>

namespace gavel::test {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

FakeEndpoint endpoint_from(const std::string& name) {
  if (name.empty() || name == "any") return FakeEndpoint::any;
  if (name == "responses") return FakeEndpoint::responses;
  if (name == "chat" || name == "chat_completions") return FakeEndpoint::chat_completions;
  if (name == "messages" || name == "anthropic") return FakeEndpoint::messages;
  throw std::invalid_argument("unknown endpoint: " + name);
}

const char* endpoint_name(FakeEndpoint endpoint) {
  switch (endpoint) {
    case FakeEndpoint::any: return "any";
    case FakeEndpoint::responses: return "responses";
    case FakeEndpoint::chat_completions: return "chat";
    case FakeEndpoint::messages: return "messages";
  }
  return "any";
}

FakeReplyKind kind_from(const json& value) {
  if (value.contains("kind")) {
    const std::string kind = value.at("kind").get<std::string>();
    if (kind == "message") return FakeReplyKind::message;
    if (kind == "error") return FakeReplyKind::http_error;
    if (kind == "raw") return FakeReplyKind::raw;
    if (kind == "drop") return FakeReplyKind::drop;
    if (kind == "hang") return FakeReplyKind::hang;
    throw std::invalid_argument("unknown reply kind: " + kind);
  }
  const int status = value.value("status", 200);
  if (status >= 300) return FakeReplyKind::http_error;
  if (value.contains("body")) return FakeReplyKind::raw;
  return FakeReplyKind::message;
}

FakeToolCall tool_call_from(const json& value) {
  FakeToolCall call;
  call.name = value.at("name").get<std::string>();
  const json& arguments = value.value("arguments", json("{}"));
  call.arguments = arguments.is_string() ? arguments.get<std::string>() : arguments.dump();
  call.id = value.value("id", "");
  if (value.value("custom", false)) call.kind = FakeToolKind::custom;
  return call;
}

}  // namespace

FakeReply fake_reply_from_json(const json& value) {
  if (!value.is_object()) throw std::invalid_argument("a reply must be a JSON object");
  try {
    FakeReply reply;
    reply.kind = kind_from(value);
    reply.endpoint = endpoint_from(value.value("endpoint", ""));
    reply.text = value.value("text", "");
    if (value.contains("structured")) reply.structured = value.at("structured");
    for (const auto& call : value.value("tool_calls", json::array())) {
      reply.tool_calls.push_back(tool_call_from(call));
    }
    reply.refusal = value.value("refusal", "");
    reply.stop_reason = value.value("stop_reason", "");
    const json usage = value.value("usage", json::object());
    reply.usage.input_tokens = usage.value("input_tokens", reply.usage.input_tokens);
    reply.usage.output_tokens = usage.value("output_tokens", reply.usage.output_tokens);
    reply.usage.cached_tokens = usage.value("cached_tokens", reply.usage.cached_tokens);
    reply.delta_chars = value.value("delta_chars", reply.delta_chars);
    reply.status = value.value("status", 200);
    const json headers = value.value("headers", json::object());
    for (const auto& [name, header] : headers.items()) {
      reply.headers.emplace_back(name, header.is_string() ? header.get<std::string>() : header.dump());
    }
    reply.body = value.value("body", "");
    reply.delay = milliseconds(value.value("delay_ms", 0));
    reply.chunk_delay = milliseconds(value.value("chunk_delay_ms", 0));
    reply.body_chunks = value.value("body_chunks", reply.body_chunks);
    if (value.contains("drop_after_chunks")) {
      reply.drop_after_chunks = value.at("drop_after_chunks").get<std::size_t>();
    }
    return reply;
  } catch (const json::exception& e) {
    throw std::invalid_argument(std::string("bad reply: ") + e.what());
  }
}

FakeScript fake_script_from_json(const json& value) {
  FakeScript script;
  const json* replies = &value;
  if (value.is_object()) {
    if (value.contains("fallback")) script.fallback = fake_reply_from_json(value.at("fallback"));
    if (!value.contains("replies")) throw std::invalid_argument("a script needs \"replies\"");
    replies = &value.at("replies");
  }
  if (!replies->is_array()) throw std::invalid_argument("replies must be a JSON array");
  for (const auto& reply : *replies) script.replies.push_back(fake_reply_from_json(reply));
  return script;
}

json to_json(const FakeRequest& request) {
  json headers = json::object();
  for (const auto& [name, value] : request.headers) headers[name] = value;
  json body = request.json();
  return {{"method", request.method}, {"target", request.target}, {"path", request.path},
          {"endpoint", endpoint_name(request.endpoint)}, {"headers", headers},
          {"body", body.is_discarded() ? json(request.body) : body}};
}

}  // namespace gavel::test
