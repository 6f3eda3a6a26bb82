#pragma once
// The one table of scalar configuration keys: name, env var, who may set it, default, parser.
//
// config::load, `gavel config` listings, docs/config.md and the defaults test all read it.
// check_key_table() confirms at start-up that the table and Config agree (every key parses its
// own default, names and env vars are unique and derived the same way).

#include "base/error.hpp"
#include "config/config.hpp"

#include <span>
#include <string>
#include <string_view>

namespace gavel::config {

enum class Scope {
  any,        // defaults, user file, repository file, environment, command line
  user_only,  // not from a repository's .gavel.toml (it runs or reaches something)
};

struct KeyDef {
  std::string_view name;  // "section.key"
  std::string_view env;   // "GAVEL_SECTION_KEY"
  Scope scope;
  std::string_view help;
  // Parses `text` into `config`; errors say what was expected.
  Result<void> (*set)(Config& config, std::string_view text);
  // The current value as text, in the form `set` accepts.
  std::string (*get)(const Config& config);
};

std::span<const KeyDef> keys();
const KeyDef* find_key(std::string_view name);
Result<void> check_key_table();

}  // namespace gavel::config
