// OpenAI Responses API (POST {base}/responses), non-streaming.
// Request: model, input (the prompt as one user turn), max_output_tokens, store=false and, with
// a schema, text.format {type: json_schema, name, schema, strict: true}. Reply: the output_text
// parts of every message item; a refusal part makes a refusal; status "incomplete" means the
// answer was cut off (or filtered, a refusal); usage carries input/cached/output tokens.

#include "agents/http_api.hpp"

#include <string>

namespace gavel::agents {

nlohmann::json openai_responses_body(const config::HttpSpec& spec, const ApiInput& input) {
  nlohmann::json body = {
      {"model", spec.model},
      {"input", input.prompt},
      {"max_output_tokens", spec.max_output_tokens},
      {"store", false},
  };
  if (input.schema != nullptr) {
    body["text"] = {{"format",
                     {{"type", "json_schema"},
                      {"name", k_output_tool_name},
                      {"schema", *input.schema},
                      {"strict", true}}}};
  }
  return body;
}

ApiResult parse_openai_responses(const nlohmann::json& reply) {
  Usage usage;
  if (const auto it = reply.find("usage"); it != reply.end() && it->is_object()) {
    usage.input_tokens = json_int(*it, "input_tokens");
    usage.output_tokens = json_int(*it, "output_tokens");
    usage.cached_input_tokens = json_int(it->value("input_tokens_details", nlohmann::json()),
                                         "cached_tokens");
  }
  if (const auto it = reply.find("error"); it != reply.end() && !it->is_null()) {
    const std::string message = it->is_object() ? it->value("message", "") : it->dump();
    return api_failure(FailureKind::crash, "the response failed: " + message, usage);
  }

  std::string text;
  std::string refusal;
  bool refused = false;
  for (const auto& item : reply.at("output")) {
    if (item.value("type", "") != "message") continue;  // reasoning, tool calls: not the answer
    for (const auto& part : item.at("content")) {
      const std::string type = part.value("type", "");
      if (type == "output_text") text += part.at("text").get<std::string>();
      if (type == "refusal") {
        refused = true;
        refusal += part.value("refusal", "");
      }
    }
  }

  const std::string status = reply.value("status", "completed");
  if (refused) return api_failure(FailureKind::refusal, "the model refused: " + refusal, usage);
  if (status == "incomplete") {
    std::string reason;
    if (const auto it = reply.find("incomplete_details"); it != reply.end() && it->is_object()) {
      reason = it->value("reason", "");
    }
    if (reason == "content_filter") {
      return api_failure(FailureKind::refusal, "the reply was stopped by the content filter",
                         usage);
    }
    return api_failure(FailureKind::malformed_output,
                       "the reply is incomplete (" + (reason.empty() ? "no reason" : reason) +
                           "): it was cut off",
                       usage);
  }
  if (status == "failed" || status == "cancelled") {
    return api_failure(FailureKind::crash, "the response has status " + status, usage);
  }
  if (text.empty()) {
    return api_failure(FailureKind::malformed_output, "the reply has no output_text", usage);
  }
  return ApiReply{std::move(text), usage};
}

}  // namespace gavel::agents
