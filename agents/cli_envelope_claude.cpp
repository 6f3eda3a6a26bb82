// read_claude_json: the `claude -p --output-format json` result object.
#include "agents/cli_envelope.hpp"

#include "agents/cli_envelope_detail.hpp"

#include <nlohmann/json.hpp>

namespace gavel::agents {
namespace {

// The whole text as one JSON object, else its last line that is one with "type": "result".
nlohmann::json find_result(std::string_view text) {
  auto whole = nlohmann::json::parse(text, nullptr, false);
  if (!whole.is_discarded() && whole.is_object()) return whole;
  std::size_t end = text.size();
  while (end > 0) {
    const auto nl = text.rfind('\n', end - 1);
    const std::size_t begin = nl == std::string_view::npos ? 0 : nl + 1;
    auto line = nlohmann::json::parse(text.substr(begin, end - begin), nullptr, false);
    if (!line.is_discarded() && line.is_object() && line.value("type", "") == "result") {
      return line;
    }
    if (begin == 0) break;
    end = begin - 1;
  }
  return nlohmann::json();  // null: not found
}

std::int64_t int_field(const nlohmann::json& obj, const char* key) {
  const auto it = obj.find(key);
  return it != obj.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

Usage read_usage(const nlohmann::json& result) {
  Usage usage;
  const auto it = result.find("usage");
  if (it != result.end() && it->is_object()) {
    const auto cached = int_field(*it, "cache_read_input_tokens");
    // Usage counts every input token, cached ones included (OpenAI's convention).
    usage.input_tokens =
        int_field(*it, "input_tokens") + cached + int_field(*it, "cache_creation_input_tokens");
    usage.cached_input_tokens = cached;
    usage.output_tokens = int_field(*it, "output_tokens");
  }
  const auto cost = result.find("total_cost_usd");
  if (cost != result.end() && cost->is_number()) usage.cost_usd = cost->get<double>();
  return usage;
}

}  // namespace

EnvelopeRead read_claude_json(std::string_view result_json, bool schema_required) {
  EnvelopeRead read;
  const nlohmann::json result = find_result(result_json);
  if (!result.is_object() || result.value("type", "") != "result") {
    read.failure_message = "no claude result object in the output";
    return read;
  }
  read.readable = true;
  read.usage = read_usage(result);
  const std::string subtype = result.value("subtype", "");
  const auto result_text = result.find("result");
  const std::string text = result_text != result.end() && result_text->is_string()
                               ? result_text->get<std::string>()
                               : "";

  if (result.value("is_error", false)) {
    const auto status = result.find("api_error_status");
    const int code = status != result.end() && status->is_number_integer() ? status->get<int>() : 0;
    if (code == 429) {
      read.failure = FailureKind::quota;
    } else if (code == 401 || code == 403) {
      read.failure = FailureKind::auth;
    } else {
      read.failure = classify_failure_text(text).value_or(FailureKind::crash);
    }
    read.failure_message = "claude reported an error" +
                           (code != 0 ? " (HTTP " + std::to_string(code) + ")" : std::string()) +
                           ": " + detail::clip(text.empty() ? subtype : text);
    return read;
  }
  if (subtype.rfind("error", 0) == 0) {
    read.failure = FailureKind::crash;
    read.failure_message = subtype == "error_max_turns"
                               ? "claude stopped at --max-turns before finishing"
                               : "claude ended with " + subtype;
    return read;
  }
  if (result.value("stop_reason", "") == "refusal") {
    read.failure = FailureKind::refusal;
    read.failure_message = "the model declined: " + detail::clip(text);
    return read;
  }
  const auto structured = result.find("structured_output");
  if (structured != result.end() && !structured->is_null()) {
    read.text = structured->dump();
  } else if (schema_required) {
    read.failure = FailureKind::malformed_output;
    read.failure_message =
        "claude finished without structured_output although a schema was required";
  } else if (result_text != result.end() && result_text->is_string()) {
    read.text = text;
  }
  return read;
}

}  // namespace gavel::agents
