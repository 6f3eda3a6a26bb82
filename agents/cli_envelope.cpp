#include "agents/cli_envelope.hpp"

#include "agents/cli_envelope_detail.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <string>

#include <csignal>

namespace gavel::agents {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// `code` (e.g. "429") as a number of its own, not part of a longer one.
bool has_status(std::string_view text, std::string_view code) {
  for (auto pos = text.find(code); pos != std::string_view::npos; pos = text.find(code, pos + 1)) {
    const bool before = pos == 0 || std::isdigit(static_cast<unsigned char>(text[pos - 1])) == 0;
    const auto end = pos + code.size();
    const bool after =
        end == text.size() || std::isdigit(static_cast<unsigned char>(text[end])) == 0;
    if (before && after) return true;
  }
  return false;
}

bool contains_any(const std::string& haystack, std::initializer_list<std::string_view> needles) {
  return std::any_of(needles.begin(), needles.end(),
                     [&](std::string_view n) { return haystack.find(n) != std::string::npos; });
}

AgentFailure failure(FailureKind kind, std::string message, Usage usage = {}) {
  AgentFailure f;
  f.kind = kind;
  f.message = std::move(message);
  f.usage = usage;
  return f;
}

std::string describe_signal(int sig) {
  const char* name = sigabbrev_np(sig);
  return "killed by signal " + std::to_string(sig) +
         (name ? std::string(" (SIG") + name + ")" : "");
}

// The plain-text envelope: the whole output is the message.
EnvelopeRead read_text(const RunRecord& run) {
  EnvelopeRead read;
  read.readable = true;
  if (run.output_from == config::OutputFrom::file) {
    if (run.output_file) read.text = *run.output_file;
  } else {
    read.text = std::string(run.stdout_text);
  }
  return read;
}

EnvelopeRead read_envelope(const RunRecord& run) {
  switch (run.format) {
    case config::OutputFormat::codex_jsonl:
      return read_codex_jsonl(run.stdout_text, run.output_file);
    case config::OutputFormat::claude_json:
      if (run.output_from == config::OutputFrom::file) {
        return read_claude_json(run.output_file.value_or(""), run.schema_required);
      }
      return read_claude_json(run.stdout_text, run.schema_required);
    case config::OutputFormat::text:
      break;
  }
  return read_text(run);
}

// The final message was cut short by the output cap (stdout or the output file).
bool message_cut_short(const RunRecord& run) {
  const bool file_used = run.output_from == config::OutputFrom::file;
  if (file_used && run.output_file_truncated) return true;
  if (run.format == config::OutputFormat::codex_jsonl) {
    const bool from_file = file_used && run.output_file && !detail::is_blank(*run.output_file);
    return !from_file && run.stdout_dropped > 0;  // the last agent_message may be lost
  }
  return !file_used && run.stdout_dropped > 0;
}

}  // namespace

std::optional<FailureKind> classify_failure_text(std::string_view text) {
  const std::string t = lower(text);
  if (has_status(t, "429") ||
      contains_any(t, {"too many requests", "rate limit", "rate_limit", "ratelimit", "usage limit",
                       "quota", "credit balance is too low"})) {
    return FailureKind::quota;
  }
  if (has_status(t, "401") || has_status(t, "403") ||
      contains_any(t,
                   {"unauthorized", "forbidden", "api key", "api_key", "apikey", "authentication",
                    "not logged in", "/login", "invalid x-api-key", "permission_error"})) {
    return FailureKind::auth;
  }
  return std::nullopt;
}

std::string bounded_tail(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  std::size_t start = text.size() - limit;
  while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
  return std::string(text.substr(start));
}

AgentResult interpret_run(const RunRecord& run) {
  const EnvelopeRead read = read_envelope(run);
  if (read.failure) return failure(*read.failure, read.failure_message, read.usage);

  if (run.term_signal != 0)
    return failure(FailureKind::crash, describe_signal(run.term_signal), read.usage);
  if (run.exit_code != 0) {
    std::string said(run.stderr_text);
    said += '\n';
    said += bounded_tail(run.stdout_text, 64 * 1024);
    const auto kind = classify_failure_text(said).value_or(FailureKind::crash);
    std::string message = "exited with status " + std::to_string(run.exit_code);
    if (kind != FailureKind::crash)
      message += std::string(" (its output reports ") + to_string(kind) + ")";
    return failure(kind, std::move(message), read.usage);
  }
  if (message_cut_short(run)) {
    return failure(FailureKind::malformed_output,
                   "the final message is over the output cap (max_output_bytes); " +
                       std::to_string(run.stdout_dropped) + " bytes of stdout were dropped",
                   read.usage);
  }
  if (!read.readable) {
    return failure(FailureKind::malformed_output,
                   read.failure_message.empty() ? "the CLI's output envelope could not be read"
                                                : read.failure_message,
                   read.usage);
  }
  if (!read.text || detail::is_blank(*read.text)) {
    return failure(FailureKind::malformed_output,
                   run.output_from == config::OutputFrom::file && !run.output_file
                       ? "the CLI wrote no output file and no final message"
                       : "the CLI produced no final message",
                   read.usage);
  }
  AgentOutput out;
  out.text = *read.text;
  out.usage = read.usage;
  return out;
}

}  // namespace gavel::agents
