// The builtin agent factory: see builtin_agents.hpp.
#include "agents/builtin_agents.hpp"

#include "agents/builtin_patch.hpp"

namespace gavel::agents {

const std::vector<std::string_view>& builtin_agent_names() {
  static const std::vector<std::string_view> names = {"rules", "patch"};
  return names;
}

std::unique_ptr<Agent> make_builtin_agent(const config::AgentSpec& spec) {
  return make_builtin_agent(spec, RulesOptions{});
}

std::unique_ptr<Agent> make_builtin_agent(const config::AgentSpec& spec, const RulesOptions& rules) {
  if (spec.kind != config::AgentKind::builtin) return nullptr;
  const std::string name = spec.name.empty() ? spec.builtin : spec.name;
  if (spec.builtin == "rules") return std::make_unique<RulesReviewer>(name, rules);
  if (spec.builtin == "patch") return std::make_unique<PatchImplementer>(name);
  return nullptr;
}

}  // namespace gavel::agents
