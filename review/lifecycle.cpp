#include "review/lifecycle.hpp"

#include "review/priority.hpp"

#include <array>
#include <utility>

namespace gavel::review {

namespace {

using S = FindingState;

// The agent/machine transition table; see the header for the picture.
constexpr std::array<std::pair<S, S>, 22> k_agent_transitions{{
    {S::open, S::fixed},         {S::open, S::disputed},       {S::open, S::verified},
    {S::open, S::withdrawn},     {S::reopened, S::fixed},      {S::reopened, S::disputed},
    {S::reopened, S::verified},  {S::reopened, S::withdrawn},  {S::upheld, S::fixed},
    {S::upheld, S::verified},    {S::fixed, S::verified},      {S::fixed, S::reopened},
    {S::fixed, S::withdrawn},    {S::disputed, S::withdrawn},  {S::disputed, S::insisted},
    {S::insisted, S::fixed},     {S::insisted, S::disputed},   {S::insisted, S::verified},
    {S::insisted, S::withdrawn}, {S::insisted, S::escalated},  {S::verified, S::reopened},
    {S::withdrawn, S::reopened},
}};

void record(Finding& finding, FindingState to, const TransitionContext& context) {
  finding.history.push_back({finding.state, to, context.actor, context.at_ms, context.reason});
  finding.state = to;
}

}  // namespace

std::string_view to_string(Decision d) noexcept {
  switch (d) {
    case Decision::uphold: return "uphold";
    case Decision::dismiss: return "dismiss";
    case Decision::waive: return "waive";
  }
  return "uphold";
}

std::optional<Decision> decision_from_string(std::string_view s) noexcept {
  for (Decision d : {Decision::uphold, Decision::dismiss, Decision::waive}) {
    if (to_string(d) == s) return d;
  }
  return std::nullopt;
}

bool is_agent_transition(FindingState from, FindingState to) noexcept {
  for (const auto& [f, t] : k_agent_transitions) {
    if (f == from && t == to) return true;
  }
  return false;
}

Result<void> transition(Finding& finding, FindingState to, const TransitionContext& context) {
  if (!is_agent_transition(finding.state, to)) {
    return fail(Errc::invalid_argument,
                "finding " + finding.id + ": cannot go from " +
                    std::string(to_string(finding.state)) + " to " + std::string(to_string(to)));
  }
  bool from_closed = finding.state == S::verified || finding.state == S::withdrawn;
  if (to == S::reopened && from_closed && finding.current_anchor == finding.closed_anchor) {
    return fail(Errc::conflict, "finding " + finding.id + ": reopen rejected: the code it was " +
                                    std::string(to_string(finding.state)) +
                                    " on has not changed (no new evidence)");
  }
  record(finding, to, context);
  if (to == S::insisted) ++finding.insists;
  if (to == S::verified || to == S::withdrawn) finding.closed_anchor = finding.current_anchor;
  return {};
}

FindingState state_after(Decision decision) noexcept {
  switch (decision) {
    case Decision::uphold: return S::upheld;
    case Decision::dismiss: return S::dismissed;
    case Decision::waive: return S::waived;
  }
  return S::upheld;
}

Result<void> decide(Finding& finding, Decision decision, const TransitionContext& context) {
  FindingState to = state_after(decision);
  if (finding.state == to) {
    return fail(Errc::invalid_argument, "finding " + finding.id + " is already " +
                                            std::string(to_string(to)));
  }
  if (decision != Decision::uphold && context.reason.find_first_not_of(" \t\n") ==
                                          std::string::npos) {
    return fail(Errc::invalid_argument, "to " + std::string(to_string(decision)) + " finding " +
                                            finding.id + " give a reason (--reason ...)");
  }
  if (context.actor.empty()) {
    return fail(Errc::invalid_argument, "a decision needs an actor (human:<user>)");
  }
  record(finding, to, context);
  finding.awaiting_human = false;
  finding.trace_requested = decision == Decision::dismiss;
  return {};
}

bool is_closed(FindingState s) noexcept {
  return s == S::verified || s == S::withdrawn || s == S::dismissed || s == S::waived;
}

bool is_blocking(const Finding& finding, const LoopPolicy& policy) noexcept {
  return !finding.adjacent && !is_closed(finding.state) &&
         at_or_above_threshold(finding.raised.priority, policy);
}

}  // namespace gavel::review
