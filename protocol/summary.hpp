#pragma once
// Builds protocol values from review's: the orchestrator calls these when it answers
// findings.list, finding.show and session.show, and when it publishes "finding.raised". Pure.

#include "protocol/messages.hpp"
#include "review/finding.hpp"

namespace gavel::protocol {

// The client's view of `f`: latest wording and location, who raised it, its state.
FindingSummary summarize(const review::Finding& f);

// One history step of a finding.
HistoryEntry to_history(const review::Transition& t);

// finding.show's answer for `f`: the summary plus every title, the history and the fix.
FindingShowResponse show_finding(const review::Finding& f);

}  // namespace gavel::protocol
