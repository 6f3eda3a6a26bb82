#include "tests/support/fake_llm_server_wire.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>

namespace gavel::test {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string default_error_body(FakeEndpoint endpoint, int status) {
  const std::string message = "fake_llm_server: scripted HTTP " + std::to_string(status);
  if (endpoint == FakeEndpoint::messages) {
    const char* type = status == 429   ? "rate_limit_error"
                       : status == 401 ? "authentication_error"
                       : status == 529 ? "overloaded_error"
                       : status >= 500 ? "api_error"
                                       : "invalid_request_error";
    return nlohmann::json{{"type", "error"}, {"error", {{"type", type}, {"message", message}}}}
        .dump();
  }
  const char* type = status == 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error"
                                                                           : "invalid_request_error";
  return nlohmann::json{
      {"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", type}}}}
      .dump();
}

std::vector<std::string> split_body(const std::string& body, std::size_t pieces) {
  pieces = std::max<std::size_t>(pieces, 1);
  const std::size_t size = std::max<std::size_t>(1, (body.size() + pieces - 1) / pieces);
  std::vector<std::string> out;
  for (std::size_t at = 0; at < body.size(); at += size) out.push_back(body.substr(at, size));
  if (out.empty()) out.emplace_back();
  return out;
}

}  // namespace

FakeReply FakeReply::message(std::string text) {
  FakeReply reply;
  reply.text = std::move(text);
  return reply;
}

FakeReply FakeReply::structured_output(nlohmann::json value) {
  FakeReply reply;
  reply.structured = std::move(value);
  return reply;
}

FakeReply FakeReply::tool_call(std::string name, std::string arguments) {
  FakeReply reply;
  reply.tool_calls.push_back(FakeToolCall{std::move(name), std::move(arguments), {}, {}});
  return reply;
}

FakeReply FakeReply::error(int status, std::vector<std::pair<std::string, std::string>> headers,
                           std::string body) {
  FakeReply reply;
  reply.kind = FakeReplyKind::http_error;
  reply.status = status;
  reply.headers = std::move(headers);
  reply.body = std::move(body);
  return reply;
}

FakeReply FakeReply::raw_body(std::string body, int status) {
  FakeReply reply;
  reply.kind = FakeReplyKind::raw;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

FakeReply FakeReply::drop() {
  FakeReply reply;
  reply.kind = FakeReplyKind::drop;
  return reply;
}

FakeReply FakeReply::hang() {
  FakeReply reply;
  reply.kind = FakeReplyKind::hang;
  return reply;
}

std::string FakeRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequals(key, name)) return value;
  }
  return {};
}

nlohmann::json FakeRequest::json() const {
  return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
}

bool FakeRequest::streaming() const {
  const auto j = json();
  return j.is_object() && j.value("stream", false);
}

FakeEndpoint endpoint_for_path(std::string_view path) {
  if (path.ends_with("/responses")) return FakeEndpoint::responses;
  if (path.ends_with("/chat/completions")) return FakeEndpoint::chat_completions;
  if (path.ends_with("/messages")) return FakeEndpoint::messages;
  return FakeEndpoint::any;
}

FakeRendered render_reply(FakeEndpoint endpoint, const FakeReply& reply,
                          const nlohmann::json& request) {
  FakeRendered out;
  out.status = reply.status;
  out.headers = reply.headers;
  const bool stream = request.is_object() && request.value("stream", false);
  if (reply.kind != FakeReplyKind::message || !stream) {
    std::string body = reply.body;
    if (reply.kind == FakeReplyKind::http_error && body.empty()) {
      body = default_error_body(endpoint, reply.status);
    } else if (reply.kind == FakeReplyKind::message) {
      out.status = 200;
      body = endpoint == FakeEndpoint::messages ? fake_messages_json(reply, request).dump()
             : endpoint == FakeEndpoint::chat_completions ? fake_chat_json(reply, request).dump()
                                                          : fake_responses_json(reply, request).dump();
    }
    out.headers.emplace_back("Content-Type", "application/json");
    out.chunks = split_body(body, reply.body_chunks);
    return out;
  }
  out.status = 200;
  out.headers.emplace_back("Content-Type", "text/event-stream");
  out.headers.emplace_back("Cache-Control", "no-cache");
  out.chunks = endpoint == FakeEndpoint::messages           ? fake_messages_sse(reply, request)
               : endpoint == FakeEndpoint::chat_completions ? fake_chat_sse(reply, request)
                                                            : fake_responses_sse(reply, request);
  return out;
}

std::vector<SseEvent> parse_sse(std::string_view text) {
  std::vector<SseEvent> events;
  SseEvent current;
  bool has_data = false;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      if (has_data || !current.event.empty()) events.push_back(std::move(current));
      current = {};
      has_data = false;
      continue;
    }
    if (line.front() == ':') continue;
    const auto colon = line.find(':');
    const std::string_view field = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (value.starts_with(' ')) value.remove_prefix(1);
    if (field == "event") current.event = value;
    if (field == "data") {
      if (has_data) current.data += '\n';
      current.data += value;
      has_data = true;
    }
  }
  if (has_data) events.push_back(std::move(current));
  return events;
}

std::vector<std::string> split_utf8(const std::string& text, std::size_t size) {
  size = std::max<std::size_t>(size, 1);
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = std::min(text.size(), at + size);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    out.push_back(text.substr(at, end - at));
    at = end;
  }
  return out;
}

std::string fake_id(const char* prefix) {
  static std::atomic<int> counter{0};
  return std::string(prefix) + "fake" + std::to_string(++counter);
}

std::string sse_event(const std::string& event, const nlohmann::json& data) {
  std::string out;
  if (!event.empty()) out += "event: " + event + "\n";
  out += "data: " + data.dump() + "\n\n";
  return out;
}

}  // namespace gavel::test
