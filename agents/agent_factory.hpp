#pragma once
// Agents by name: resolving `review.reviewer` / `review.implementer` against the configuration,
// and building the Agent a spec describes.
//
// Who calls it: whoever starts a review session (`gavel review --once`, `gavel demo`, the
// daemon) before handing the agents to loop::SessionRunner; on any thread, no IO (an agent's
// program or endpoint is only looked at when it runs).
//
// Resolution order for a name (docs/config.md "Agents"):
//   1. the user's `[agents.NAME]` table (config.agents); a table with `preset = "codex"` or
//      "claude" starts from that preset, and every field the table changed from the default
//      overrides it (env_allow and env_set are added to the preset's, so PATH/HOME stay);
//   2. a builtin: "rules" (reviewer), "patch" (implementer);
//   3. a preset: "codex", "claude".
// Anything else is an Errc::config error that lists the names that would have worked.

#include "agents/agent.hpp"
#include "agents/http_transport.hpp"
#include "base/error.hpp"
#include "config/agent_spec.hpp"
#include "config/config.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::agents {

// The spec `name` stands for in `config` (see the order above).
Result<config::AgentSpec> resolve_agent(const config::Config& config, std::string_view name);

// Every name resolve_agent accepts for `config`, sorted: the user's, builtins, presets.
std::vector<std::string> known_agent_names(const config::Config& config);

// `spec` with its preset's fields filled in (unchanged when `spec.preset` is empty). An unknown
// preset is an Errc::config error.
Result<config::AgentSpec> apply_preset(const config::AgentSpec& spec);

// Builds the agent: builtin -> make_builtin_agent, process -> ProcessAgent::create (validated
// argv templates), http -> HttpAgent on `transport` (null: the agent makes its own).
Result<std::unique_ptr<Agent>> make_agent(const config::AgentSpec& spec,
                                          std::shared_ptr<HttpTransport> transport = nullptr);

// resolve_agent + make_agent for a session: the agent `name` stands for in `config`, shared
// (a session runner holds it), and its spec's per-call timeout in `timeout`.
Result<std::shared_ptr<Agent>> make_session_agent(const config::Config& config,
                                                  const std::string& name,
                                                  std::chrono::milliseconds& timeout);

}  // namespace gavel::agents
