// OpenAI Chat Completions (POST {base}/chat/completions), non-streaming; the dialect Ollama,
// llama.cpp server and vLLM also speak. Request: model, one user message, max_tokens (the name
// every compatible server accepts) and, with a schema, response_format {type: json_schema,
// json_schema: {name, schema, strict: true}}. Reply: choices[0].message.content (a string, or an
// array of text parts); message.refusal or finish_reason "content_filter" make a refusal;
// finish_reason "length" means the answer was cut off.

#include "agents/http_api.hpp"

#include <string>

namespace gavel::agents {

nlohmann::json openai_chat_body(const config::HttpSpec& spec, const ApiInput& input) {
  nlohmann::json body = {
      {"model", spec.model},
      {"messages", nlohmann::json::array({{{"role", "user"}, {"content", input.prompt}}})},
      {"max_tokens", spec.max_output_tokens},
      {"stream", false},
  };
  if (input.schema != nullptr) {
    body["response_format"] = {{"type", "json_schema"},
                               {"json_schema",
                                {{"name", k_output_tool_name},
                                 {"schema", *input.schema},
                                 {"strict", true}}}};
  }
  return body;
}

ApiResult parse_openai_chat(const nlohmann::json& reply) {
  Usage usage;
  if (const auto it = reply.find("usage"); it != reply.end() && it->is_object()) {
    usage.input_tokens = json_int(*it, "prompt_tokens");
    usage.output_tokens = json_int(*it, "completion_tokens");
    usage.cached_input_tokens = json_int(it->value("prompt_tokens_details", nlohmann::json()),
                                         "cached_tokens");
  }
  const auto& choices = reply.at("choices");
  if (!choices.is_array() || choices.empty()) {
    return api_failure(FailureKind::malformed_output, "the reply has no choices", usage);
  }
  const auto& choice = choices.at(0);
  const auto& message = choice.at("message");
  const std::string finish =
      choice.contains("finish_reason") && choice["finish_reason"].is_string()
          ? choice["finish_reason"].get<std::string>()
          : "";

  if (const auto it = message.find("refusal");
      it != message.end() && it->is_string() && !it->get<std::string>().empty()) {
    return api_failure(FailureKind::refusal, "the model refused: " + it->get<std::string>(), usage);
  }
  if (finish == "content_filter") {
    return api_failure(FailureKind::refusal, "the reply was stopped by the content filter", usage);
  }

  std::string text;
  if (const auto it = message.find("content"); it != message.end()) {
    if (it->is_string()) {
      text = it->get<std::string>();
    } else if (it->is_array()) {
      for (const auto& part : *it) {
        if (part.is_object() && part.value("type", "") == "text") text += part.value("text", "");
      }
    }
  }
  if (finish == "length") {
    return api_failure(FailureKind::malformed_output,
                       "the reply was cut off at max_tokens (finish_reason length)", usage);
  }
  if (text.empty()) {
    return api_failure(FailureKind::malformed_output, "the reply has no message content", usage);
  }
  return ApiReply{std::move(text), usage};
}

}  // namespace gavel::agents
