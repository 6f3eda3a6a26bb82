#include "config/agent_table.hpp"

#include "config/parse_value.hpp"

#include <array>
#include <utility>

namespace gavel::config {

namespace {

constexpr std::array<std::pair<std::string_view, AgentKind>, 3> k_kinds{{
    {"builtin", AgentKind::builtin}, {"process", AgentKind::process}, {"http", AgentKind::http}}};
constexpr std::array<std::pair<std::string_view, PromptVia>, 3> k_prompt_via{{
    {"stdin", PromptVia::stdin_pipe}, {"file", PromptVia::file}, {"argument", PromptVia::argument}}};
constexpr std::array<std::pair<std::string_view, OutputFrom>, 2> k_output_from{{
    {"stdout", OutputFrom::stdout_pipe}, {"file", OutputFrom::file}}};
constexpr std::array<std::pair<std::string_view, OutputFormat>, 3> k_output_format{{
    {"text", OutputFormat::text}, {"codex-jsonl", OutputFormat::codex_jsonl},
    {"claude-json", OutputFormat::claude_json}}};
constexpr std::array<std::pair<std::string_view, HttpApi>, 3> k_http_api{{
    {"openai-responses", HttpApi::openai_responses}, {"openai-chat", HttpApi::openai_chat},
    {"anthropic-messages", HttpApi::anthropic_messages}}};

// Where one agent table is read from, for error messages.
struct Cursor {
  const std::filesystem::path& file;
  std::string agent;

  Error error(const toml::node& node, std::string_view key, const std::string& what) const {
    return Error(Errc::config, file.string() + ":" + std::to_string(node.source().begin.line) +
                                   ": agents." + agent + "." + std::string(key) + ": " + what);
  }
};

Result<std::string> text_of(const Cursor& at, std::string_view key, const toml::node& node) {
  if (auto s = node.value<std::string>()) return *s;
  if (node.is_integer()) return std::to_string(*node.value<std::int64_t>());
  return at.error(node, key, "expected a string or number");
}

Result<std::vector<std::string>> strings_of(const Cursor& at, std::string_view key, const toml::node& node) {
  const toml::array* array = node.as_array();
  if (array == nullptr) return at.error(node, key, "expected an array of strings");
  std::vector<std::string> out;
  for (const toml::node& item : *array) {
    auto s = item.value<std::string>();
    if (!s) return at.error(item, key, "expected an array of strings");
    out.push_back(*s);
  }
  return out;
}

Result<void> set_field(AgentSpec& spec, const Cursor& at, std::string_view key, const toml::node& node) {
  ProcessSpec& p = spec.process;
  HttpSpec& h = spec.http;
  auto with_text = [&](auto&& parse) -> Result<void> {
    auto text = text_of(at, key, node);
    if (!text) return text.error();
    if (auto r = parse(*text); !r) return at.error(node, key, r.error().message);
    return {};
  };
  auto with_strings = [&](std::vector<std::string>& out) -> Result<void> {
    auto list = strings_of(at, key, node);
    if (!list) return list.error();
    out = std::move(*list);
    return {};
  };
  if (key == "kind") return with_text([&](std::string_view t) { return parse_choice(t, k_kinds, spec.kind); });
  if (key == "preset" || key == "builtin") {
    return with_text([&](std::string_view t) -> Result<void> {
      (key == "preset" ? spec.preset : spec.builtin) = std::string(t);
      return {};
    });
  }
  if (key == "timeout_s") {
    return with_text([&](std::string_view t) -> Result<void> {
      std::chrono::seconds s{};
      if (auto r = parse_seconds(t, 1, 86'400, s); !r) return r;
      spec.timeout = s;
      return {};
    });
  }
  if (key == "reviewer_argv") return with_strings(p.reviewer_argv);
  if (key == "implementer_argv") return with_strings(p.implementer_argv);
  if (key == "env_allow") return with_strings(p.env_allow);
  if (key == "prompt_via") return with_text([&](std::string_view t) { return parse_choice(t, k_prompt_via, p.prompt_via); });
  if (key == "output_from") return with_text([&](std::string_view t) { return parse_choice(t, k_output_from, p.output_from); });
  if (key == "output_format") return with_text([&](std::string_view t) { return parse_choice(t, k_output_format, p.output_format); });
  if (key == "max_output_bytes" || key == "max_stderr_bytes") {
    return with_text([&](std::string_view t) -> Result<void> {
      std::int64_t v = 0;
      if (auto r = parse_int(t, std::int64_t{1024}, std::int64_t{1} << 32, v); !r) return r;
      (key == "max_output_bytes" ? p.max_output_bytes : p.max_stderr_bytes) = static_cast<std::size_t>(v);
      return {};
    });
  }
  if (key == "kill_grace_ms") {
    return with_text([&](std::string_view t) { return parse_ms(t, 0, 600'000, p.kill_grace); });
  }
  if (key == "env_set") {
    const toml::table* table = node.as_table();
    if (table == nullptr) return at.error(node, key, "expected a table of strings");
    for (const auto& [name, value] : *table) {
      auto s = value.value<std::string>();
      if (!s) return at.error(value, key, "expected a table of strings");
      p.env_set[std::string(name.str())] = *s;
    }
    return {};
  }
  if (key == "api") return with_text([&](std::string_view t) { return parse_choice(t, k_http_api, h.api); });
  if (key == "base_url" || key == "model" || key == "api_key_env" || key == "api_key_file") {
    return with_text([&](std::string_view t) -> Result<void> {
      (key == "base_url"      ? h.base_url
       : key == "model"       ? h.model
       : key == "api_key_env" ? h.api_key_env
                              : h.api_key_file) = std::string(t);
      return {};
    });
  }
  if (key == "max_attempts") return with_text([&](std::string_view t) { return parse_int(t, 1, 10, h.max_attempts); });
  if (key == "max_output_tokens") return with_text([&](std::string_view t) { return parse_int(t, 1, 1'000'000, h.max_output_tokens); });
  if (key == "request_timeout_s") {
    return with_text([&](std::string_view t) -> Result<void> {
      std::chrono::seconds s{};
      if (auto r = parse_seconds(t, 1, 86'400, s); !r) return r;
      h.request_timeout = s;
      return {};
    });
  }
  return at.error(node, key, "unknown key");
}

}  // namespace

Result<void> apply_agents(Config& config, const std::filesystem::path& file, const toml::node& agents) {
  const toml::table* table = agents.as_table();
  if (table == nullptr) {
    return Error(Errc::config, file.string() + ":" + std::to_string(agents.source().begin.line) +
                                   ": agents: expected [agents.NAME] tables");
  }
  for (const auto& [name, node] : *table) {
    Cursor at{file, std::string(name.str())};
    if (at.agent.empty() || at.agent.size() > 64 ||
        at.agent.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") !=
            std::string::npos) {
      return at.error(node, "name", "an agent name is 1 to 64 letters, digits, '-' or '_'");
    }
    const toml::table* fields = node.as_table();
    if (fields == nullptr) return at.error(node, "table", "expected a table");
    AgentSpec spec;
    spec.name = at.agent;
    if (auto it = config.agents.find(spec.name); it != config.agents.end()) spec = it->second;
    for (const auto& [key, value] : *fields) {
      if (auto r = set_field(spec, at, key.str(), value); !r) return r;
    }
    config.agents[spec.name] = std::move(spec);
  }
  return {};
}

}  // namespace gavel::config
