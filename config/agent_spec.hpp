#pragma once
// How to reach one agent: a named, typed value that the config file, presets and tests fill in.
//
// config/ owns the shape; agents/ carries it out. Per DESIGN.md, the commands an agent runs may
// come only from the user's own config file, never from a repository's .gavel.toml.

#include "config/http_spec.hpp"
#include "config/process_spec.hpp"

#include <chrono>
#include <string>

namespace gavel::config {

enum class AgentKind { builtin, process, http };

struct AgentSpec {
  std::string name;  // what findings and logs call it, e.g. "codex", "claude", "rules"
  AgentKind kind = AgentKind::builtin;
  std::string preset;   // "codex", "claude": agents/ fills unset fields from the preset
  std::string builtin;  // for kind == builtin: "rules" (reviewer) or "patch" (implementer)
  ProcessSpec process;  // for kind == process
  HttpSpec http;        // for kind == http
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};  // wall clock per attempt
};

}  // namespace gavel::config
