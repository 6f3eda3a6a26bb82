// Shared helpers of the session runner: see session_detail.hpp.
#include "base/clock.hpp"
#include "loop/session_detail.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <utility>
#include <variant>

namespace gavel::loop::detail {

namespace asio = boost::asio;
using namespace boost::asio::experimental::awaitable_operators;

review::Usage to_review_usage(const agents::Usage& usage) {
  review::Usage out;
  out.tokens = usage.input_tokens + usage.output_tokens;
  out.cost_usd = usage.cost_usd.value_or(0.0);
  return out;
}

std::optional<review::FailureKind> to_review_failure(agents::FailureKind kind) {
  using A = agents::FailureKind;
  using R = review::FailureKind;
  switch (kind) {
    case A::timeout: return R::timeout;
    case A::quota: return R::quota;
    case A::auth: return R::auth;
    case A::refusal: return R::refusal;
    case A::malformed_output: return R::malformed_output;
    case A::crash: return R::crash;
    case A::unavailable: return R::crash;
    case A::cancelled: return std::nullopt;
  }
  return R::crash;
}

asio::awaitable<agents::AgentResult> call_agent(agents::Agent& agent, agents::Task task,
                                                std::chrono::milliseconds timeout) {
  asio::steady_timer deadline(co_await asio::this_coro::executor, timeout);
  // g++12: the agent's task must be a named variable here, not a temporary.
  auto result = co_await (agent.run(task) || deadline.async_wait(asio::use_awaitable));
  if (result.index() == 0) co_return std::get<0>(std::move(result));
  agents::AgentFailure failure;
  failure.kind = agents::FailureKind::timeout;
  failure.message = "no answer within " + std::to_string(timeout.count()) + " ms";
  failure.duration = timeout;
  co_return agents::AgentResult(boost::system::in_place_error, std::move(failure));
}

std::vector<review::PromptSuppression> prompt_suppressions(
    const std::vector<review::Suppression>& suppressions) {
  std::vector<review::PromptSuppression> out;
  for (const auto& s : suppressions) {
    if (s.state != review::SuppressionState::active) continue;
    out.push_back({s.raised.title, s.raised.location.path, s.anchor, s.reason});
  }
  return out;
}

review::AgentFailed failed(const review::StartAgent& start, review::FailureKind kind,
                           std::string message, review::Usage usage,
                           std::chrono::milliseconds retry_after) {
  review::AgentFailed event;
  event.now_ms = unix_now_ms();
  event.run_id = start.run_id;
  event.kind = kind;
  event.attempt = start.attempt;
  event.message = std::move(message);
  event.usage = usage;
  event.retry_after_ms = retry_after.count();
  return event;
}

}  // namespace gavel::loop::detail
