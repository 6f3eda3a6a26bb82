#pragma once
// A CLI agent run as a child process: argv template (never a shell), how the prompt goes in and
// how the answer comes out. Filled by presets (agents/presets) or the user's config file; carried
// out by agents::ProcessAgent. Plain values only: no IO here. docs/agents.md shows each field as
// it is written in TOML (same names).

#include <chrono>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace gavel::config {

enum class PromptVia { stdin_pipe, file, argument };
enum class OutputFrom { stdout_pipe, file };

// How the process's output is read: the CLI's own envelope around the final message.
enum class OutputFormat {
  text,         // the whole output is the final message
  codex_jsonl,  // `codex exec --json` events; final message from -o file or agent_message items
  claude_json,  // `claude -p --output-format json` result object
};

struct ProcessSpec {
  // Placeholders expanded per task: {prompt}, {prompt_file}, {output_file}, {schema_file},
  // {schema_json}, {workdir}; `{{` and `}}` stand for literal braces, any other {name} is an
  // error. An element that mentions {schema_file} or {schema_json} is left out when the task has
  // no schema (so write `--output-schema={schema_file}`, one element). Element 0 is the program:
  // a name is looked up on the child's PATH, a path containing '/' is used as it is.
  std::vector<std::string> reviewer_argv;
  std::vector<std::string> implementer_argv;
  PromptVia prompt_via = PromptVia::stdin_pipe;  // stdin: written then closed; else /dev/null
  OutputFrom output_from = OutputFrom::stdout_pipe;
  OutputFormat output_format = OutputFormat::text;
  // The child's environment is built from nothing: only these names pass through from gavel's
  // environment (when set there), then env_set is applied on top. The list replaces the
  // default, so keep PATH and HOME in it unless the CLI must not see them.
  std::vector<std::string> env_allow{"PATH", "HOME"};
  std::map<std::string, std::string> env_set;  // set for the child
  // stdout (and the output file) beyond this many bytes is read and dropped; a final message cut
  // short this way is a malformed_output failure, never a shorter answer.
  std::size_t max_output_bytes = 16 * 1024 * 1024;
  std::size_t max_stderr_bytes = 1024 * 1024;  // the last this-many bytes of stderr are kept
  // Stopping (timeout, cancel, or leftovers after the CLI exited): SIGTERM to the process group,
  // SIGKILL to whatever is left after this grace period.
  std::chrono::milliseconds kill_grace{2000};
};

}  // namespace gavel::config
