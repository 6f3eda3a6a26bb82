#pragma once
// The finding lifecycle: which state changes are legal, who may make them, and the append-only
// record each one leaves in Finding::history.
//
//   open/reopened -> fixed | disputed | verified (reviewer: resolved) | withdrawn
//   upheld        -> fixed | verified            (a human said it is real: no dispute)
//   fixed         -> verified | reopened (the fix is not accepted) | withdrawn
//   disputed      -> withdrawn | insisted
//   insisted      -> fixed | disputed | verified | withdrawn | escalated (beyond insist_limit)
//   verified, withdrawn -> reopened, only with new evidence: the anchored code changed since
//                   it was closed; otherwise rejected with that reason
//   any state     -> upheld | dismissed (reason required) | waived (reason required): humans only
// escalated, dismissed and waived leave only by a human decision. A transition to the state a
// finding is already in is illegal. Illegal transitions return a gavel::Error (invalid_argument
// or conflict for "no new evidence") and leave the finding untouched.
// Called by the convergence machine (agents' outcomes) and, through it, by human decisions.

#include "base/error.hpp"
#include "review/finding.hpp"
#include "review/policy.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gavel::review {

// What a human arbiter may decide about a finding.
enum class Decision { uphold, dismiss, waive };

std::string_view to_string(Decision d) noexcept;  // "uphold", "dismiss", "waive"
std::optional<Decision> decision_from_string(std::string_view s) noexcept;

// Who, when and why, for one transition. `actor` is an agent name or "human:<user>".
struct TransitionContext {
  std::string actor;
  std::int64_t at_ms = 0;
  std::string reason;
};

// True when an agent or the machine may move a finding from `from` to `to` (evidence for a
// reopen aside). Human decisions are not in this table; see decide().
bool is_agent_transition(FindingState from, FindingState to) noexcept;

// Moves `finding` to `to` and appends the record. Keeps the bookkeeping fields in step:
// `insists` counts transitions to insisted; `closed_anchor` is set on verified/withdrawn.
Result<void> transition(Finding& finding, FindingState to, const TransitionContext& context);

// A human decision: uphold, dismiss (needs a reason; sets trace_requested) or waive (needs a
// reason). Clears awaiting_human. The caller turns a dismissal into a Suppression.
Result<void> decide(Finding& finding, Decision decision, const TransitionContext& context);

// The finding's state after `decision`.
FindingState state_after(Decision decision) noexcept;

// verified, withdrawn, dismissed, waived: nothing more is asked of anyone.
bool is_closed(FindingState s) noexcept;

// Blocks convergence and the gate: not adjacent, at or above the threshold, and not closed.
bool is_blocking(const Finding& finding, const LoopPolicy& policy) noexcept;

}  // namespace gavel::review
