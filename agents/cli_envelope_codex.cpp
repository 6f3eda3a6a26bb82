// read_codex_jsonl: the `codex exec --json` event stream (see docs/agents.md for the events).
#include "agents/cli_envelope.hpp"

#include "agents/cli_envelope_detail.hpp"

#include <nlohmann/json.hpp>

namespace gavel::agents {
namespace {

std::int64_t int_field(const nlohmann::json& obj, const char* key) {
  const auto it = obj.find(key);
  return it != obj.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

std::string string_field(const nlohmann::json& obj, const char* key) {
  const auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The message of a turn.failed or error event: {"error":{"message":..}} or {"message":..}.
std::string error_message(const nlohmann::json& event) {
  const auto it = event.find("error");
  if (it != event.end() && it->is_object()) return string_field(*it, "message");
  return string_field(event, "message");
}

}  // namespace

EnvelopeRead read_codex_jsonl(std::string_view events,
                              const std::optional<std::string>& last_message_file) {
  EnvelopeRead read;
  std::optional<std::string> last_agent_message;
  std::optional<std::string> turn_failed;
  std::optional<std::string> last_error;
  bool any_event = false;

  std::size_t start = 0;
  while (start < events.size()) {
    auto end = events.find('\n', start);
    if (end == std::string_view::npos) end = events.size();
    const auto line = events.substr(start, end - start);
    start = end + 1;
    if (detail::is_blank(line)) continue;
    const auto event = nlohmann::json::parse(line, nullptr, false);
    if (event.is_discarded() || !event.is_object()) continue;  // a stray or truncated line
    const std::string type = string_field(event, "type");
    if (type.empty()) continue;
    any_event = true;
    if (type == "item.completed") {
      const auto item = event.find("item");
      if (item == event.end() || !item->is_object()) continue;
      const std::string item_type = string_field(*item, "type");
      if (item_type == "agent_message" || item_type == "assistant_message") {
        last_agent_message = string_field(*item, "text");
      }
    } else if (type == "turn.completed") {
      const auto usage = event.find("usage");
      if (usage != event.end() && usage->is_object()) {
        read.usage.input_tokens += int_field(*usage, "input_tokens");
        read.usage.cached_input_tokens += int_field(*usage, "cached_input_tokens");
        read.usage.output_tokens += int_field(*usage, "output_tokens");
      }
    } else if (type == "turn.failed") {
      turn_failed = error_message(event);
    } else if (type == "error") {
      last_error = error_message(event);
    }
  }

  if (last_message_file && !detail::is_blank(*last_message_file)) {
    read.text = *last_message_file;
  } else if (last_agent_message) {
    read.text = std::move(last_agent_message);
  }
  read.readable = any_event || read.text.has_value();
  if (!read.readable) read.failure_message = "no codex JSON events in the output";

  std::optional<std::string> failed = turn_failed;
  if (!failed && last_error && !read.text) failed = last_error;
  if (failed) {
    read.failure = classify_failure_text(*failed).value_or(FailureKind::crash);
    read.failure_message = "codex turn failed: " + detail::clip(*failed);
  }
  return read;
}

}  // namespace gavel::agents
