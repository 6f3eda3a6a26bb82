#pragma once
// The builtin agents by name: what `[agents.NAME] kind = "builtin"` in the config resolves to.
//
// Called by the daemon (and `gavel review --once`) when it builds its agents from the config;
// the agents it returns are CPU-only and need no key, network or process. See
// docs/agents-builtin.md.

#include "agents/agent.hpp"
#include "agents/builtin_rules.hpp"
#include "config/agent_spec.hpp"

#include <memory>
#include <string_view>
#include <vector>

namespace gavel::agents {

// The names `AgentSpec::builtin` may take: "rules" (reviewer), "patch" (implementer).
const std::vector<std::string_view>& builtin_agent_names();

// The builtin agent `spec.builtin` names, called `spec.name` (or the builtin's own name when
// that is empty); nullptr when `spec.kind` is not builtin or the name is unknown. `rules` sets
// the rules reviewer's options (the defaults when omitted).
std::unique_ptr<Agent> make_builtin_agent(const config::AgentSpec& spec);
std::unique_ptr<Agent> make_builtin_agent(const config::AgentSpec& spec, const RulesOptions& rules);

}  // namespace gavel::agents
