// Anthropic Messages (POST {base}/v1/messages, headers x-api-key and anthropic-version),
// non-streaming. Request: model, max_tokens, one user message and, with a schema, one tool
// named gavel_output whose input_schema is the schema plus tool_choice forcing it. Reply: the
// gavel_output tool_use input (serialised) when present, else the text blocks joined;
// stop_reason "refusal" is a refusal, "max_tokens" a cut-off answer. Usage: input_tokens counts
// only uncached input, so cache reads and writes are added to it; cache reads are the cached part.

#include "agents/http_api.hpp"

#include <string>

namespace gavel::agents {

nlohmann::json anthropic_body(const config::HttpSpec& spec, const ApiInput& input) {
  nlohmann::json body = {
      {"model", spec.model},
      {"max_tokens", spec.max_output_tokens},
      {"messages", nlohmann::json::array({{{"role", "user"}, {"content", input.prompt}}})},
  };
  if (input.schema != nullptr) {
    body["tools"] = nlohmann::json::array(
        {{{"name", k_output_tool_name},
          {"description", "Give your final answer by calling this tool with the whole answer."},
          {"input_schema", *input.schema}}});
    body["tool_choice"] = {{"type", "tool"}, {"name", k_output_tool_name}};
  }
  return body;
}

ApiResult parse_anthropic(const nlohmann::json& reply) {
  if (reply.value("type", "") == "error") {
    const auto& error = reply.value("error", nlohmann::json::object());
    return api_failure(FailureKind::crash,
                       "the API answered with an error: " + error.value("message", ""));
  }
  Usage usage;
  if (const auto it = reply.find("usage"); it != reply.end() && it->is_object()) {
    usage.cached_input_tokens = json_int(*it, "cache_read_input_tokens");
    usage.input_tokens = json_int(*it, "input_tokens") + usage.cached_input_tokens +
                         json_int(*it, "cache_creation_input_tokens");
    usage.output_tokens = json_int(*it, "output_tokens");
  }
  const std::string stop =
      reply.contains("stop_reason") && reply["stop_reason"].is_string()
          ? reply["stop_reason"].get<std::string>()
          : "";
  if (stop == "refusal") {
    return api_failure(FailureKind::refusal, "the model refused (stop_reason refusal)", usage);
  }

  std::string text;
  std::string tool_input;
  for (const auto& block : reply.at("content")) {
    const std::string type = block.value("type", "");
    if (type == "text") text += block.at("text").get<std::string>();
    if (type == "tool_use" && block.value("name", "") == k_output_tool_name) {
      tool_input = block.at("input").dump();
    }
  }
  if (stop == "max_tokens") {
    return api_failure(FailureKind::malformed_output,
                       "the reply was cut off at max_tokens (stop_reason max_tokens)", usage);
  }
  if (!tool_input.empty()) return ApiReply{std::move(tool_input), usage};
  if (text.empty()) {
    return api_failure(FailureKind::malformed_output, "the reply has no text or tool_use input",
                       usage);
  }
  return ApiReply{std::move(text), usage};
}

}  // namespace gavel::agents
