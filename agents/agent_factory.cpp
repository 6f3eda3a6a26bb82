// Agent names -> specs -> agents: see agent_factory.hpp.
#include "agents/agent_factory.hpp"

#include "agents/builtin_agents.hpp"
#include "agents/http_agent.hpp"
#include "agents/presets.hpp"
#include "agents/process_agent.hpp"

#include <algorithm>
#include <utility>

namespace gavel::agents {

namespace {

constexpr std::string_view k_preset_names[] = {"codex", "claude"};

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

void add_missing(std::vector<std::string>& into, const std::vector<std::string>& from) {
  for (const auto& name : from) {
    if (std::find(into.begin(), into.end(), name) == into.end()) into.push_back(name);
  }
}

// The user's process fields over the preset's: a field differing from the default was set.
void overlay_process(config::ProcessSpec& out, const config::ProcessSpec& user) {
  const config::ProcessSpec d;
  if (!user.reviewer_argv.empty()) out.reviewer_argv = user.reviewer_argv;
  if (!user.implementer_argv.empty()) out.implementer_argv = user.implementer_argv;
  if (user.prompt_via != d.prompt_via) out.prompt_via = user.prompt_via;
  if (user.output_from != d.output_from) out.output_from = user.output_from;
  if (user.output_format != d.output_format) out.output_format = user.output_format;
  add_missing(out.env_allow, user.env_allow);
  for (const auto& [k, v] : user.env_set) out.env_set[k] = v;
  if (user.max_output_bytes != d.max_output_bytes) out.max_output_bytes = user.max_output_bytes;
  if (user.max_stderr_bytes != d.max_stderr_bytes) out.max_stderr_bytes = user.max_stderr_bytes;
  if (user.kill_grace != d.kill_grace) out.kill_grace = user.kill_grace;
}

}  // namespace

std::vector<std::string> known_agent_names(const config::Config& config) {
  std::vector<std::string> names;
  for (const auto& [name, spec] : config.agents) names.push_back(name);
  for (auto b : builtin_agent_names()) names.emplace_back(b);
  for (auto p : k_preset_names) names.emplace_back(p);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Result<config::AgentSpec> apply_preset(const config::AgentSpec& spec) {
  if (spec.preset.empty()) return spec;
  auto preset = preset_by_name(spec.preset);
  if (!preset) {
    return fail(Errc::config, "agent '" + spec.name + "': unknown preset '" + spec.preset +
                                  "' (known presets: codex, claude)");
  }
  if (spec.kind == config::AgentKind::http) {
    return fail(Errc::config, "agent '" + spec.name + "': preset '" + spec.preset +
                                  "' is a process agent; remove `preset` or `kind = \"http\"`");
  }
  config::AgentSpec out = std::move(*preset);
  if (!spec.name.empty()) out.name = spec.name;
  out.preset = spec.preset;
  if (spec.timeout != config::AgentSpec{}.timeout) out.timeout = spec.timeout;
  overlay_process(out.process, spec.process);
  return out;
}

Result<config::AgentSpec> resolve_agent(const config::Config& config, std::string_view name) {
  if (auto it = config.agents.find(std::string(name)); it != config.agents.end()) {
    config::AgentSpec spec = it->second;
    if (spec.name.empty()) spec.name = std::string(name);
    return apply_preset(spec);
  }
  const auto& builtins = builtin_agent_names();
  if (std::find(builtins.begin(), builtins.end(), name) != builtins.end()) {
    config::AgentSpec spec;
    spec.name = std::string(name);
    spec.kind = config::AgentKind::builtin;
    spec.builtin = std::string(name);
    return spec;
  }
  if (auto preset = preset_by_name(name)) return std::move(*preset);
  return fail(Errc::config, "unknown agent '" + std::string(name) +
                                "' (known agents: " + join(known_agent_names(config)) +
                                "; define others as [agents.NAME] in your config file)");
}

Result<std::unique_ptr<Agent>> make_agent(const config::AgentSpec& spec,
                                          std::shared_ptr<HttpTransport> transport) {
  switch (spec.kind) {
    case config::AgentKind::builtin: {
      auto agent = make_builtin_agent(spec);
      if (!agent) {
        return fail(Errc::config, "agent '" + spec.name + "': unknown builtin '" + spec.builtin +
                                      "' (builtins: rules, patch)");
      }
      return std::unique_ptr<Agent>(std::move(agent));
    }
    case config::AgentKind::process: {
      auto agent = ProcessAgent::create(spec);
      if (!agent) return agent.error();
      return std::unique_ptr<Agent>(std::move(*agent));
    }
    case config::AgentKind::http:
      if (spec.http.base_url.empty()) {
        return fail(Errc::config, "agent '" + spec.name + "': an http agent needs base_url");
      }
      return std::unique_ptr<Agent>(std::make_unique<HttpAgent>(spec, std::move(transport)));
  }
  return fail(Errc::internal, "agent '" + spec.name + "': unknown kind");
}

Result<std::shared_ptr<Agent>> make_session_agent(const config::Config& config,
                                                  const std::string& name,
                                                  std::chrono::milliseconds& timeout) {
  auto spec = resolve_agent(config, name);
  if (!spec) return spec.error();
  timeout = spec->timeout;
  auto agent = make_agent(*spec);
  if (!agent) return agent.error();
  return std::shared_ptr<Agent>(std::move(*agent));
}

}  // namespace gavel::agents
