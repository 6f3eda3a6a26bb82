#pragma once
// Helpers shared by the session runner's files (loop/session_*.cpp); not for other modules.
// Conversions between agents/ and review/ vocabularies, the wall clock, and one agent call
// raced against its deadline. Used on the runner's executor only.

#include "agents/agent.hpp"
#include "review/convergence_types.hpp"
#include "review/prompt.hpp"
#include "review/suppression.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gavel::loop::detail {

// Tokens are input + output (cached input is part of input); cost when the agent reported it.
review::Usage to_review_usage(const agents::Usage& usage);

// The machine's failure type for an adapter's; nullopt for `cancelled` (the runner stopped it:
// not a failure of the agent). `unavailable` (no such program, connection refused) is a crash.
std::optional<review::FailureKind> to_review_failure(agents::FailureKind kind);

// Runs `task` on `agent`, racing `timeout`: at the deadline the call is cancelled (a process
// group is stopped and reaped first) and a `timeout` failure returned. Cancelling the awaiting
// coroutine cancels the call.
boost::asio::awaitable<agents::AgentResult> call_agent(agents::Agent& agent, agents::Task task,
                                                       std::chrono::milliseconds timeout);

// Active suppressions as the prompt shows them.
std::vector<review::PromptSuppression> prompt_suppressions(
    const std::vector<review::Suppression>& suppressions);

// An AgentFailed event for run `start` from an adapter failure or a parse error.
// `retry_after`: what the agent's server asked for (agents::AgentFailure::retry_after).
review::AgentFailed failed(const review::StartAgent& start, review::FailureKind kind,
                           std::string message, review::Usage usage,
                           std::chrono::milliseconds retry_after = {});

}  // namespace gavel::loop::detail
