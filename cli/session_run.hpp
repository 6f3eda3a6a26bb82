#pragma once
// Running one review session in the foreground (no daemon): the agents from the configuration,
// a SessionRunner on a private io_context, Ctrl-C / SIGTERM cancelling the agents cleanly.
//
// Called by `gavel review --once` and `gavel demo`.

#include "agents/agent.hpp"
#include "base/error.hpp"
#include "config/config.hpp"
#include "loop/session_runner.hpp"

#include <memory>
#include <optional>
#include <string>

namespace gavel::cli {

struct SessionAgents {
  std::shared_ptr<agents::Agent> reviewer;
  std::shared_ptr<agents::Agent> implementer;  // null when disabled
  std::chrono::milliseconds reviewer_timeout{0};
  std::chrono::milliseconds implementer_timeout{0};
};

// Resolves and builds the two agents by name (docs/config.md "Agents"). Errc::config for an
// unknown name or a spec that cannot run.
Result<SessionAgents> make_session_agents(const config::Config& config, const std::string& reviewer,
                                          const std::optional<std::string>& implementer);

// Drives `runner.run()` to its end on `io`, cancelling it on SIGINT/SIGTERM.
Result<loop::SessionOutcome> run_session(boost::asio::io_context& io, loop::SessionRunner& runner);

// The exit status for an error that stopped a session before a verdict (docs/cli.md).
int exit_code_for_error(const Error& error);

}  // namespace gavel::cli
