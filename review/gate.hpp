#pragma once
// The commit gate: may the staged change be committed?
//
// Called by the daemon when the pre-commit hook asks (and by `gavel review --once` for its exit
// status), with the fingerprint of the staged snapshot (index vs HEAD) and the session's state.
// Answers pass, block (with the blocking findings) or pending (a review of exactly this change is
// running). A staged fingerprint that differs from the reviewed one never passes. Every reason is
// a sentence a person can act on. Pure: no IO, no clock.

#include "review/convergence_types.hpp"
#include "review/policy.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace gavel::review {

enum class GateAnswer { pass, block, pending };

std::string_view to_string(GateAnswer a) noexcept;

struct GateResult {
  GateAnswer answer = GateAnswer::block;
  std::vector<std::string> blocking;  // finding ids
  std::vector<std::string> reasons;   // one line each, for the terminal
};

// `session` is nullptr when the repository has no review session at all.
GateResult evaluate_gate(std::string_view staged_fingerprint, const SessionState* session,
                         const LoopPolicy& policy);

// One line about `finding` and what to do: "P1 src/a.c:12 'title' open — run `gavel decide F3
// uphold|dismiss|waive --reason ...`".
std::string gate_line(const Finding& finding, const LoopPolicy& policy);

}  // namespace gavel::review
