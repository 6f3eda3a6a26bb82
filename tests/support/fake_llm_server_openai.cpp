// OpenAI wire formats of FakeLlmServer: the Responses API and Chat Completions.

#include "tests/support/fake_llm_server_wire.hpp"

#include <ctime>

namespace gavel::test {
namespace {

using nlohmann::json;

std::string model_of(const json& request) {
  return request.is_object() ? request.value("model", "fake-model") : "fake-model";
}

std::string answer_text(const FakeReply& reply) {
  return reply.structured ? reply.structured->dump() : reply.text;
}

bool has_message(const FakeReply& reply) {
  return !reply.refusal.empty() || !answer_text(reply).empty() || reply.tool_calls.empty();
}

std::string call_id(const FakeToolCall& call, std::size_t index) {
  return call.id.empty() ? "call_fake" + std::to_string(index + 1) : call.id;
}

// --- Responses -------------------------------------------------------------------------------

json message_item(const std::string& id, const FakeReply& reply, const char* status) {
  json part = reply.refusal.empty()
                  ? json{{"type", "output_text"}, {"text", answer_text(reply)},
                         {"annotations", json::array()}}
                  : json{{"type", "refusal"}, {"refusal", reply.refusal}};
  return {{"id", id}, {"type", "message"}, {"status", status}, {"role", "assistant"},
          {"content", json::array({part})}};
}

json tool_item(const std::string& id, const FakeToolCall& call, std::size_t index,
               const char* status) {
  if (call.kind == FakeToolKind::custom) {
    return {{"id", id}, {"type", "custom_tool_call"}, {"status", status},
            {"call_id", call_id(call, index)}, {"name", call.name}, {"input", call.arguments}};
  }
  return {{"id", id}, {"type", "function_call"}, {"status", status},
          {"call_id", call_id(call, index)}, {"name", call.name}, {"arguments", call.arguments}};
}

json response_object(const std::string& id, const json& request, const std::string& status,
                     json output, const FakeReply& reply, bool with_usage) {
  json r = {{"id", id}, {"object", "response"}, {"created_at", std::time(nullptr)},
            {"status", status}, {"model", model_of(request)}, {"output", std::move(output)},
            {"error", nullptr}, {"incomplete_details", nullptr}, {"usage", nullptr}};
  if (status == "incomplete") r["incomplete_details"] = {{"reason", reply.stop_reason}};
  if (with_usage) {
    const auto& u = reply.usage;
    r["usage"] = {{"input_tokens", u.input_tokens},
                  {"input_tokens_details", {{"cached_tokens", u.cached_tokens}}},
                  {"output_tokens", u.output_tokens},
                  {"output_tokens_details", {{"reasoning_tokens", 0}}},
                  {"total_tokens", u.input_tokens + u.output_tokens}};
  }
  return r;
}

std::string final_status(const FakeReply& reply) {
  return reply.stop_reason.empty() ? "completed" : "incomplete";
}

// --- Chat Completions ------------------------------------------------------------------------

json chat_usage(const FakeUsage& u) {
  return {{"prompt_tokens", u.input_tokens}, {"completion_tokens", u.output_tokens},
          {"total_tokens", u.input_tokens + u.output_tokens},
          {"prompt_tokens_details", {{"cached_tokens", u.cached_tokens}}}};
}

std::string finish_reason(const FakeReply& reply) {
  if (!reply.stop_reason.empty()) return reply.stop_reason;
  return reply.tool_calls.empty() ? "stop" : "tool_calls";
}

json chunk(const std::string& id, const json& request, json delta, const json& finish) {
  return {{"id", id}, {"object", "chat.completion.chunk"}, {"created", std::time(nullptr)},
          {"model", model_of(request)},
          {"choices", json::array({{{"index", 0}, {"delta", std::move(delta)},
                                    {"logprobs", nullptr}, {"finish_reason", finish}}})}};
}

}  // namespace

json fake_responses_json(const FakeReply& reply, const json& request) {
  json output = json::array();
  if (has_message(reply)) output.push_back(message_item(fake_id("msg_"), reply, "completed"));
  for (std::size_t i = 0; i < reply.tool_calls.size(); ++i) {
    output.push_back(tool_item(fake_id("fc_"), reply.tool_calls[i], i, "completed"));
  }
  return response_object(fake_id("resp_"), request, final_status(reply), std::move(output), reply,
                         true);
}

std::vector<std::string> fake_responses_sse(const FakeReply& reply, const json& request) {
  std::vector<std::string> events;
  int seq = 0;
  auto emit = [&](const std::string& type, json data) {
    data["type"] = type;
    data["sequence_number"] = seq++;
    events.push_back(sse_event(type, data));
  };
  const std::string id = fake_id("resp_");
  emit("response.created", {{"response", response_object(id, request, "in_progress",
                                                         json::array(), reply, false)}});
  emit("response.in_progress", {{"response", response_object(id, request, "in_progress",
                                                             json::array(), reply, false)}});
  json output = json::array();
  int index = 0;
  if (has_message(reply)) {
    const std::string item_id = fake_id("msg_");
    json item = message_item(item_id, reply, "in_progress");
    const json part = item["content"][0];
    item["content"] = json::array();
    emit("response.output_item.added", {{"output_index", index}, {"item", item}});
    const bool refusal = !reply.refusal.empty();
    json empty_part = part;
    empty_part[refusal ? "refusal" : "text"] = "";
    const json where = {{"item_id", item_id}, {"output_index", index}, {"content_index", 0}};
    json added = where;
    added["part"] = empty_part;
    emit("response.content_part.added", added);
    const std::string full = refusal ? reply.refusal : answer_text(reply);
    for (const auto& piece : split_utf8(full, reply.delta_chars)) {
      json delta = where;
      delta["delta"] = piece;
      emit(refusal ? "response.refusal.delta" : "response.output_text.delta", delta);
    }
    json done = where;
    done[refusal ? "refusal" : "text"] = full;
    emit(refusal ? "response.refusal.done" : "response.output_text.done", done);
    json part_done = where;
    part_done["part"] = part;
    emit("response.content_part.done", part_done);
    item = message_item(item_id, reply, "completed");
    emit("response.output_item.done", {{"output_index", index}, {"item", item}});
    output.push_back(item);
    ++index;
  }
  for (std::size_t i = 0; i < reply.tool_calls.size(); ++i, ++index) {
    const FakeToolCall& call = reply.tool_calls[i];
    const std::string item_id = fake_id("fc_");
    const bool custom = call.kind == FakeToolKind::custom;
    json item = tool_item(item_id, call, i, "in_progress");
    item[custom ? "input" : "arguments"] = "";
    emit("response.output_item.added", {{"output_index", index}, {"item", item}});
    const std::string prefix =
        custom ? "response.custom_tool_call_input" : "response.function_call_arguments";
    for (const auto& piece : split_utf8(call.arguments, reply.delta_chars)) {
      emit(prefix + ".delta", {{"item_id", item_id}, {"output_index", index}, {"delta", piece}});
    }
    emit(prefix + ".done", {{"item_id", item_id}, {"output_index", index},
                            {custom ? "input" : "arguments", call.arguments}});
    item = tool_item(item_id, call, i, "completed");
    emit("response.output_item.done", {{"output_index", index}, {"item", item}});
    output.push_back(item);
  }
  const std::string status = final_status(reply);
  emit("response." + status,
       {{"response", response_object(id, request, status, std::move(output), reply, true)}});
  return events;
}

json fake_chat_json(const FakeReply& reply, const json& request) {
  const std::string text = answer_text(reply);
  json message = {{"role", "assistant"},
                  {"content", text.empty() && !reply.tool_calls.empty() ? json(nullptr) : json(text)},
                  {"refusal", reply.refusal.empty() ? json(nullptr) : json(reply.refusal)}};
  if (!reply.refusal.empty()) message["content"] = nullptr;
  if (!reply.tool_calls.empty()) {
    message["tool_calls"] = json::array();
    for (std::size_t i = 0; i < reply.tool_calls.size(); ++i) {
      const auto& call = reply.tool_calls[i];
      message["tool_calls"].push_back(
          {{"id", call_id(call, i)}, {"type", "function"},
           {"function", {{"name", call.name}, {"arguments", call.arguments}}}});
    }
  }
  return {{"id", fake_id("chatcmpl-")}, {"object", "chat.completion"},
          {"created", std::time(nullptr)}, {"model", model_of(request)},
          {"choices", json::array({{{"index", 0}, {"message", message}, {"logprobs", nullptr},
                                    {"finish_reason", finish_reason(reply)}}})},
          {"usage", chat_usage(reply.usage)}};
}

std::vector<std::string> fake_chat_sse(const FakeReply& reply, const json& request) {
  std::vector<std::string> events;
  const std::string id = fake_id("chatcmpl-");
  auto emit = [&](json delta, const json& finish) {
    events.push_back(sse_event("", chunk(id, request, std::move(delta), finish)));
  };
  emit({{"role", "assistant"}, {"content", ""}}, nullptr);
  if (!reply.refusal.empty()) {
    for (const auto& piece : split_utf8(reply.refusal, reply.delta_chars)) {
      emit({{"refusal", piece}}, nullptr);
    }
  }
  for (const auto& piece : split_utf8(answer_text(reply), reply.delta_chars)) {
    emit({{"content", piece}}, nullptr);
  }
  for (std::size_t i = 0; i < reply.tool_calls.size(); ++i) {
    const auto& call = reply.tool_calls[i];
    emit({{"tool_calls", json::array({{{"index", i}, {"id", call_id(call, i)}, {"type", "function"},
                                       {"function", {{"name", call.name}, {"arguments", ""}}}}})}},
         nullptr);
    for (const auto& piece : split_utf8(call.arguments, reply.delta_chars)) {
      emit({{"tool_calls", json::array({{{"index", i}, {"function", {{"arguments", piece}}}}})}},
           nullptr);
    }
  }
  emit(json::object(), finish_reason(reply));
  const bool include_usage = request.is_object() && request.contains("stream_options") &&
                             request["stream_options"].value("include_usage", false);
  if (include_usage) {
    json last = chunk(id, request, json::object(), nullptr);
    last["choices"] = json::array();
    last["usage"] = chat_usage(reply.usage);
    events.push_back(sse_event("", last));
  }
  events.push_back("data: [DONE]\n\n");
  return events;
}

}  // namespace gavel::test
