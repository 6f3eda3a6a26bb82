// Anthropic Messages wire format of FakeLlmServer. Structured output becomes a tool_use block
// for the tool the request forces (tool_choice {type: tool}), else a tool named
// StructuredOutput when offered (claude -p --json-schema), else the first tool offered.

#include "tests/support/fake_llm_server_wire.hpp"

namespace gavel::test {
namespace {

using nlohmann::json;

struct Block {
  json start;     // content_block_start's content_block (empty text / empty input)
  json complete;  // the block as a non-streamed reply carries it
  std::string delta_type;
  std::string delta_field;
  std::string streamed;  // the text or the input JSON, cut into deltas when streaming
};

std::string structured_tool_name(const json& request) {
  if (!request.is_object()) return "gavel_output";
  const json choice = request.value("tool_choice", json::object());
  if (choice.is_object() && choice.value("type", "") == "tool") return choice.value("name", "");
  const json tools = request.value("tools", json::array());
  for (const auto& tool : tools) {
    if (tool.is_object() && tool.value("name", "") == "StructuredOutput") return "StructuredOutput";
  }
  if (tools.is_array() && !tools.empty() && tools[0].is_object()) {
    return tools[0].value("name", "gavel_output");
  }
  return "gavel_output";
}

Block text_block(const std::string& text) {
  return {{{"type", "text"}, {"text", ""}}, {{"type", "text"}, {"text", text}}, "text_delta",
          "text", text};
}

// `id`: the scripted tool_use id (FakeToolCall::id), generated when empty.
Block tool_block(const std::string& name, const json& input, const std::string& scripted_id = {}) {
  const std::string id = scripted_id.empty() ? fake_id("toolu_") : scripted_id;
  return {{{"type", "tool_use"}, {"id", id}, {"name", name}, {"input", json::object()}},
          {{"type", "tool_use"}, {"id", id}, {"name", name}, {"input", input}},
          "input_json_delta", "partial_json", input.dump()};
}

std::vector<Block> blocks_of(const FakeReply& reply, const json& request) {
  std::vector<Block> blocks;
  if (!reply.refusal.empty()) blocks.push_back(text_block(reply.refusal));
  if (!reply.text.empty()) blocks.push_back(text_block(reply.text));
  if (reply.structured) blocks.push_back(tool_block(structured_tool_name(request), *reply.structured));
  for (const auto& call : reply.tool_calls) {
    json input = json::parse(call.arguments, nullptr, /*allow_exceptions=*/false);
    if (input.is_discarded()) input = json::object();
    blocks.push_back(tool_block(call.name, input, call.id));
  }
  if (blocks.empty()) blocks.push_back(text_block(""));
  return blocks;
}

std::string stop_reason(const FakeReply& reply) {
  if (!reply.stop_reason.empty()) return reply.stop_reason;
  if (!reply.refusal.empty()) return "refusal";
  return reply.structured || !reply.tool_calls.empty() ? "tool_use" : "end_turn";
}

json usage(const FakeUsage& u, std::int64_t output_tokens) {
  return {{"input_tokens", u.input_tokens}, {"output_tokens", output_tokens},
          {"cache_read_input_tokens", u.cached_tokens}, {"cache_creation_input_tokens", 0}};
}

json message(const std::string& id, const json& request, json content, const json& stop,
             json usage_value) {
  return {{"id", id}, {"type", "message"}, {"role", "assistant"},
          {"model", request.is_object() ? request.value("model", "fake-model") : "fake-model"},
          {"content", std::move(content)}, {"stop_reason", stop}, {"stop_sequence", nullptr},
          {"usage", std::move(usage_value)}};
}

}  // namespace

json fake_messages_json(const FakeReply& reply, const json& request) {
  json content = json::array();
  for (const auto& block : blocks_of(reply, request)) content.push_back(block.complete);
  return message(fake_id("msg_"), request, std::move(content), stop_reason(reply),
                 usage(reply.usage, reply.usage.output_tokens));
}

std::vector<std::string> fake_messages_sse(const FakeReply& reply, const json& request) {
  std::vector<std::string> events;
  auto emit = [&](const std::string& type, json data) {
    data["type"] = type;
    events.push_back(sse_event(type, data));
  };
  emit("message_start", {{"message", message(fake_id("msg_"), request, json::array(), nullptr,
                                             usage(reply.usage, 1))}});
  emit("ping", json::object());
  int index = 0;
  for (const auto& block : blocks_of(reply, request)) {
    emit("content_block_start", {{"index", index}, {"content_block", block.start}});
    for (const auto& piece : split_utf8(block.streamed, reply.delta_chars)) {
      emit("content_block_delta",
           {{"index", index}, {"delta", {{"type", block.delta_type}, {block.delta_field, piece}}}});
    }
    emit("content_block_stop", {{"index", index}});
    ++index;
  }
  emit("message_delta", {{"delta", {{"stop_reason", stop_reason(reply)}, {"stop_sequence", nullptr}}},
                         {"usage", {{"output_tokens", reply.usage.output_tokens}}}});
  emit("message_stop", json::object());
  return events;
}

}  // namespace gavel::test
