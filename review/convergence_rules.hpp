#pragma once
// The rules of the loop as pure predicates: blocking, convergence, the deadlock detectors
// (dispute, oscillation, stall, round limit), budgets, retries and triage.
//
// The convergence machine (review/convergence.hpp) gathers facts about a turn and asks these
// functions what follows; each rule is testable on its own with a table of cases. Nothing here
// keeps state, reads a clock or does IO.

#include "review/convergence_types.hpp"
#include "review/finding.hpp"
#include "review/policy.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::review {

// Ids of the findings that block convergence and the gate (lifecycle.hpp is_blocking()).
std::vector<std::string> blocking_ids(const std::vector<Finding>& findings,
                                      const LoopPolicy& policy);

// Dismissed findings that were blocking and still need the implementer's durable trace.
bool traces_pending(const std::vector<Finding>& findings, const LoopPolicy& policy);

// Converged: nothing blocking and no blocking dismissal waiting for its trace.
bool converged(const std::vector<Finding>& findings, const LoopPolicy& policy);

// Whether a newly raised finding waits for the arbiter before the implementer sees it.
bool needs_triage(Priority priority, bool adjacent, const LoopPolicy& policy);

// Any finding, not closed, still waiting for the arbiter.
bool awaiting_human(const std::vector<Finding>& findings);

// Blocking findings insisted on `insist_limit` times or more and not yet escalated.
std::vector<std::string> dispute_deadlock(const std::vector<Finding>& findings,
                                          const LoopPolicy& policy);

// After an implementer turn: the tree now equals an earlier snapshot (not the one it started
// from). `seen` holds every earlier fingerprint of the session.
bool oscillation(const std::vector<std::string>& seen, std::string_view before,
                 std::string_view after);

// After an implementer turn: the tree is unchanged while a blocking finding it did not dispute
// is open (a "fixed" without a change is not believed).
bool implementer_stall(const std::vector<Finding>& findings, const LoopPolicy& policy,
                       std::string_view before, std::string_view after);

// What one reviewer round did, for the reviewer-side stall rule.
struct ReviewFacts {
  bool after_implementer = false;  // an implementer turn preceded it in this cycle
  bool raised_new = false;         // a finding never seen before (suppressed ones excluded)
  bool verdict_changed = false;    // something verified, withdrawn or reopened on new code
  bool dispute_answered = false;   // an insist or a withdrawal after a dispute
  bool blocking_anchor_changed = false;  // a blocking finding's code changed since last review
};

// A reviewer round after an implementer turn that raised nothing new, changed no verdict,
// answered no dispute, and whose blocking findings anchor code unchanged since it last looked.
bool reviewer_stall(const ReviewFacts& facts);

// Turns already taken in this cycle leave room for an implementer turn and its review.
bool room_for_fix(int round, const LoopPolicy& policy);

// What has been used, for the budget rule.
struct BudgetUse {
  Usage round;
  Usage session;
  std::int64_t round_elapsed_ms = 0;
  std::int64_t session_elapsed_ms = 0;
};

// Which budget is used up, as a phrase ("session tokens 1200/1000"); nullopt when none.
std::optional<std::string> budget_exhausted(const BudgetUse& use, const LoopPolicy& policy);

// Whether a failure of `kind` is worth another attempt (auth never is).
bool retryable(FailureKind kind) noexcept;

// Minimum wait before the attempt after failed attempt `failed_attempt` (1-based): the
// policy's backoff, or `retry_after_ms` when longer.
std::int64_t retry_delay(const LoopPolicy& policy, int failed_attempt,
                         std::int64_t retry_after_ms) noexcept;

// Findings for the implementer: not closed, not adjacent, not waiting for a human, in a state
// that asks for a fix or a dispute; plus dismissals that need their trace.
std::vector<Finding> implementer_worklist(const std::vector<Finding>& findings);

// Findings for the reviewer to give verdicts on: every one that is not closed.
std::vector<Finding> reviewer_worklist(const std::vector<Finding>& findings);

}  // namespace gavel::review
