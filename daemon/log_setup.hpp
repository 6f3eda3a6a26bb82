#pragma once
// Logging for gaveld: spdlog to stderr in a human-readable form, one level per module.
//
// Called once by run_daemon() before anything logs (and again on SIGHUP with the reloaded
// level). Modules: "daemon" (startup, signals, registry), "repo" (watching, snapshots,
// scheduling), "session" (rounds, verdicts, patches); every other part of gavel (watcher,
// control socket, state store, agents) logs through spdlog's default logger, module "gavel".
// A spec is a comma-separated list of LEVEL (every module) and MODULE=LEVEL items, e.g.
// "info" or "session=debug,info". Never log a secret: agent output and prompts are not logged.

#include "base/error.hpp"

#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <string_view>

namespace gavel::daemon {

// Creates the loggers (first call) and applies `spec`. Errc::invalid_argument for an unknown
// level or module, with nothing changed.
Result<void> configure_logging(std::string_view spec);

// The logger of `module` ("daemon", "repo", "session"); the default logger for any other name.
std::shared_ptr<spdlog::logger> log(std::string_view module);

}  // namespace gavel::daemon
