#pragma once
// Reads the [agents.NAME] tables of the user's config file into Config::agents.
// Called only by config::load, and only for the user's file (never a repository's).

#include "base/error.hpp"
#include "config/config.hpp"

#include <toml++/toml.h>

#include <filesystem>

namespace gavel::config {

Result<void> apply_agents(Config& config, const std::filesystem::path& file, const toml::node& agents);

}  // namespace gavel::config
