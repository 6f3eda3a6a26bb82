#pragma once
// A CLI agent run as a child process: argv template (never a shell), how the prompt goes in and
// how the answer comes out. Filled by presets (agents/presets) or the user's config file.

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
  // {schema_json}, {workdir}. Element 0 is the program, looked up on PATH.
  std::vector<std::string> reviewer_argv;
  std::vector<std::string> implementer_argv;
  PromptVia prompt_via = PromptVia::stdin_pipe;
  OutputFrom output_from = OutputFrom::stdout_pipe;
  OutputFormat output_format = OutputFormat::text;
  std::vector<std::string> env_allow;          // names passed through from gavel's environment
  std::map<std::string, std::string> env_set;  // set for the child
  std::size_t max_output_bytes = 16 * 1024 * 1024;
};

}  // namespace gavel::config
