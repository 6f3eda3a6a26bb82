#pragma once
// The one interface every agent adapter implements: process (CLI), http (LLM API), builtin.
//
// Called from the daemon's io_context thread (or `gavel review --once`'s); `run` is a coroutine
// on that executor. Adapters never block it: child processes are awaited asynchronously and
// blocking curl calls run on a worker pool. Cancellation arrives through the awaiting
// coroutine's cancellation slot (e.g. `co_await (agent.run(t) || timer)`): the agent is then
// stopped for good (a process group gets SIGTERM, then SIGKILL after a grace period) and `run`
// completes with a `cancelled` failure. An adapter never parses findings: it returns the agent's
// final message as text; review/ parses it.

#include "review/changeset.hpp"
#include "review/finding.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gavel::agents {

enum class Role { reviewer, implementer };

// Token use as the agent reported it (zeros when it reports none).
struct Usage {
  std::int64_t input_tokens = 0;         // every input token, cached ones included
  std::int64_t cached_input_tokens = 0;  // the part of input_tokens served from a prompt cache
  std::int64_t output_tokens = 0;
  std::optional<double> cost_usd;  // only where the agent reports it
};

// Structured inputs for agents that do not read prose (builtin ones); LLM agents use the prompt.
struct TaskContext {
  review::Changeset changeset;                 // the snapshot under review, with new_text
  std::vector<review::Finding> findings;       // for an implementer: what it must address
  // Applies a unified diff to the task's working copy (the scratch worktree); set by the
  // orchestrator, which owns git. `check_only` tests without writing.
  std::function<boost::system::result<void, std::string>(const std::string& patch, bool check_only)>
      apply_patch;
};

struct Task {
  Role role = Role::reviewer;
  std::string prompt;               // full rendered prompt text
  std::string output_schema_json;   // JSON schema the final message must satisfy; may be empty
  std::filesystem::path workdir;    // reviewer: read-only view; implementer: scratch worktree
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  std::shared_ptr<const TaskContext> context;  // may be null for LLM agents
};

enum class FailureKind {
  timeout,           // wall clock exceeded; the agent was stopped
  quota,             // 429 / rate limit / usage limit
  auth,              // 401/403, missing or rejected key
  refusal,           // the model declined
  malformed_output,  // the envelope could not be read (the adapter's part, not findings)
  crash,             // non-zero exit, signal, or server error after the last retry
  unavailable,       // executable not found, connection refused
  cancelled,         // stopped at the caller's request
};

const char* to_string(FailureKind kind) noexcept;

struct AgentOutput {
  std::string text;  // the final message (for reviewers, the JSON report, maybe in prose)
  Usage usage;
  std::chrono::milliseconds duration{0};
  int attempts = 1;
};

struct AgentFailure {
  FailureKind kind = FailureKind::crash;
  std::string message;  // for a person; never contains a secret
  std::string excerpt;  // a bounded excerpt of what the agent printed, for diagnosis
  Usage usage;
  std::chrono::milliseconds duration{0};
  int attempts = 1;
  // How long the server asked to wait before trying again (a 429/503 Retry-After on the last
  // attempt); 0 when it did not say. The review loop's retry honours it.
  std::chrono::milliseconds retry_after{0};
};

using AgentResult = boost::system::result<AgentOutput, AgentFailure>;

// Found by ADL from AgentResult::value() on a failure.
[[noreturn]] void throw_exception_from_error(const AgentFailure& failure,
                                             const boost::source_location& loc);

class Agent {
 public:
  virtual ~Agent() = default;
  virtual const std::string& name() const = 0;
  virtual boost::asio::awaitable<AgentResult> run(Task task) = 0;
};

}  // namespace gavel::agents
