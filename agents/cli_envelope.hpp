#pragma once
// Reading what an agent CLI printed: its envelope (codex `--json` events, claude's
// `--output-format json` result object, or plain text) and, with the exit status, the verdict
// on the run: the final message and usage, or a typed failure. Pure: no processes, no files;
// ProcessAgent calls it after the child is gone, tests call it with recorded samples
// (tests/data/cli_envelopes/). Never parses findings: the final message goes to review/ as text.

#include "agents/agent.hpp"
#include "config/process_spec.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace gavel::agents {

// What one envelope says on its own, before the exit status is weighed.
struct EnvelopeRead {
  bool readable = false;            // false: not the expected envelope at all
  std::optional<std::string> text;  // the final message, when one was found
  Usage usage;
  std::optional<FailureKind> failure;  // the envelope itself reports a failure
  std::string failure_message;         // for a person; clipped CLI text, may need redaction
};

// `codex exec --json` JSONL events. The final message is `last_message_file` (the -o file)
// when it holds any non-blank text, else the text of the last completed agent_message item.
// Usage is summed over turn.completed events. turn.failed is a failure; `error` events are
// one only when the run produced no final message (codex also reports retries as errors).
EnvelopeRead read_codex_jsonl(std::string_view events,
                              const std::optional<std::string>& last_message_file);

// The `claude -p --output-format json` result object (the whole text, or its last JSON line).
// is_error / api_error_status / subtype error_* are failures; structured_output (serialised)
// is preferred to `result`; `schema_required` without structured_output is malformed output.
EnvelopeRead read_claude_json(std::string_view result_json, bool schema_required);

// Quota (429, rate/usage limit, quota) or auth (401/403, unauthorized, API key, login) when
// `text` says so, else nullopt. Meant for the output of a run already known to have failed.
std::optional<FailureKind> classify_failure_text(std::string_view text);

// The last `limit` bytes of `text`, not starting inside a UTF-8 sequence.
std::string bounded_tail(std::string_view text, std::size_t limit);

// Everything about a finished process run that decides its result.
struct RunRecord {
  config::OutputFormat format = config::OutputFormat::text;
  config::OutputFrom output_from = config::OutputFrom::stdout_pipe;
  bool schema_required = false;  // a schema was passed to the CLI (claude: needs structured_output)
  int exit_code = 0;             // when term_signal == 0
  int term_signal = 0;           // non-zero: killed by this signal
  std::string_view stdout_text;
  std::size_t stdout_dropped = 0;  // bytes over the cap, not in stdout_text
  std::string_view stderr_text;
  std::optional<std::string> output_file;  // its contents, when output_from == file and it exists
  bool output_file_truncated = false;      // it was larger than the cap
};

// The verdict: success only on exit 0 with a readable, complete final message that is not
// blank; otherwise a typed failure (the envelope's own, then quota/auth found in the output,
// then crash for a non-zero exit or signal, malformed_output for an unreadable envelope or a
// message cut short by the output cap). Duration, attempts and excerpt are the caller's to set.
AgentResult interpret_run(const RunRecord& run);

}  // namespace gavel::agents
