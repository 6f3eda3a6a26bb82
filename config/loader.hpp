#pragma once
// Builds a Config from its layers, lowest first: defaults < user file < repository file <
// environment < command line. Pure apart from reading the two files it is given.
//
// Every error names where the bad value came from: "FILE:LINE: KEY: what was expected",
// "environment GAVEL_X: ...", or "-c key=value: ...". Unknown keys are errors (a typo must not
// silently fall back to a default). A repository file may not set user-only keys nor define
// agents: what gavel runs comes only from the user's own file.

#include "base/error.hpp"
#include "config/config.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gavel::config {

// A repository file's text as read from somewhere other than the working tree (gavel reads
// `.gavel.toml` from the HEAD commit, so an uncommitted edit cannot change the rules of its own
// review). `name` is what error messages call it, e.g. "HEAD:.gavel.toml".
struct ConfigText {
  std::string name;
  std::string text;
};

struct LoadInputs {
  std::optional<std::filesystem::path> user_file;  // a missing file is fine: defaults apply
  std::optional<std::filesystem::path> repo_file;  // a missing file is fine
  std::map<std::string, std::string> env;          // the process environment (GAVEL_* used)
  std::vector<std::string> overrides;              // "key=value", from `-c`
  std::optional<ConfigText> repo_text;             // used instead of repo_file when set
};

Result<Config> load(const LoadInputs& inputs);

// $XDG_CONFIG_HOME/gavel/config.toml, else $HOME/.config/gavel/config.toml.
std::optional<std::filesystem::path> default_user_file(const std::map<std::string, std::string>& env);

// The repository file's name at the top of a working tree.
inline constexpr const char* k_repo_file_name = ".gavel.toml";

// Copies `environ`-style "NAME=value" strings into a map.
std::map<std::string, std::string> environment_map(char** envp);

}  // namespace gavel::config
