#pragma once
// The typed configuration of gavel (filled in by the daemon issue: layering, TOML, validation).

#include "config/agent_spec.hpp"

namespace gavel::config {

// Returns the name of the default config file relative to $XDG_CONFIG_HOME.
const char* default_config_relpath() noexcept;

}  // namespace gavel::config
