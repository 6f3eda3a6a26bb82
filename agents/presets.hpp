#pragma once
// Ready-made config::AgentSpec values for the real agent CLIs, following AGENT-CLIS.md: `codex`
// (OpenAI Codex, `codex exec`), `claude` (Claude Code, `claude -p`), and a generic template for
// any other CLI (opencode, gemini, ...). docs/agents.md shows each as the TOML block a user can
// copy and edit; presets_test.cpp pins the exact command lines.
//
// Called by the config layer when an agent is named by preset, and by tests. Pure values: no IO,
// nothing looked up on PATH until a run.

#include "config/agent_spec.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::agents {

struct CodexPresetOptions {
  std::string model;                    // `-m MODEL` when not empty
  std::vector<std::string> extra_args;  // inserted before the final "-" (e.g. -c overrides)
};

struct ClaudePresetOptions {
  std::string model;            // `--model MODEL` when not empty
  int reviewer_max_turns = 30;  // claude exits 1 past --max-turns
  int implementer_max_turns = 60;
  std::vector<std::string> extra_args;
};

// codex exec --json --ephemeral -s read-only|workspace-write --skip-git-repo-check
//   -c analytics.enabled=false --disable plugins --output-schema={schema_file} -o {output_file} -
// Prompt on stdin (then closed), final message from the -o file, events parsed as codex_jsonl.
config::AgentSpec codex_preset(const CodexPresetOptions& options = {});

// claude -p --output-format json --json-schema={schema_json} --max-turns N
//   --no-session-persistence [--permission-mode acceptEdits]
// Prompt on stdin (then closed), result object parsed as claude_json.
config::AgentSpec claude_preset(const ClaudePresetOptions& options = {});

// Any other CLI: the same argv for both roles, prompt on stdin, plain-text stdout, PATH and HOME
// plus `env_allow` passed through. Adjust the returned spec's fields as docs/agents.md shows.
config::AgentSpec generic_preset(std::string name, std::vector<std::string> argv,
                                 std::vector<std::string> env_allow = {});

// "codex" or "claude" with default options; nullopt for any other name.
std::optional<config::AgentSpec> preset_by_name(std::string_view name);

}  // namespace gavel::agents
