#include "review/gate.hpp"

#include "review/convergence_rules.hpp"
#include "review/lifecycle.hpp"
#include "review/priority.hpp"

namespace gavel::review {

namespace {

std::string short_fp(std::string_view fp) {
  return std::string(fp.substr(0, 12)).append(fp.size() > 12 ? "…" : "");
}

GateResult block_with(std::string reason) {
  GateResult r;
  r.answer = GateAnswer::block;
  r.reasons.push_back(std::move(reason));
  return r;
}

// Lists the blocking findings (and those waiting for triage) into `r`.
void list_findings(const SessionState& s, const LoopPolicy& policy, GateResult& r) {
  for (const auto& f : s.findings) {
    bool triage = f.awaiting_human && !is_closed(f.state);
    if (!is_blocking(f, policy) && !triage) continue;
    r.blocking.push_back(f.id);
    r.reasons.push_back(gate_line(f, policy));
  }
}

}  // namespace

std::string_view to_string(GateAnswer a) noexcept {
  switch (a) {
    case GateAnswer::pass: return "pass";
    case GateAnswer::block: return "block";
    case GateAnswer::pending: return "pending";
  }
  return "block";
}

std::string gate_line(const Finding& f, const LoopPolicy& policy) {
  const auto& loc = f.raised.location;
  std::string line = std::string(to_string(effective_priority(f.raised.priority, policy))) + " " +
                     loc.path + ":" + std::to_string(loc.lines.start) + " '" + f.raised.title +
                     "' " + std::string(to_string(f.state));
  if (f.awaiting_human) line += " (awaiting triage)";
  if (f.state == FindingState::upheld) {
    return line + " — fix it, or run `gavel decide " + f.id + " waive --reason ...`";
  }
  return line + " — run `gavel decide " + f.id + " uphold|dismiss|waive --reason ...`";
}

GateResult evaluate_gate(std::string_view staged, const SessionState* session,
                         const LoopPolicy& policy) {
  if (!session || session->current_snapshot.empty()) {
    return block_with("no review of this change yet — start one with `gavel review`");
  }
  const SessionState& s = *session;
  if (staged != s.current_snapshot) {
    return block_with("the staged change (" + short_fp(staged) +
                      ") is not the change under review (" + short_fp(s.current_snapshot) +
                      ") — stage exactly the reviewed change, or wait for a review of it");
  }
  if (s.verdict == Verdict::in_progress) {
    GateResult r;
    r.answer = GateAnswer::pending;
    r.reasons.push_back("review running (cycle " + std::to_string(s.cycle) + ", round " +
                        std::to_string(s.round) + ")");
    return r;
  }
  if (staged != s.reviewed_snapshot) {
    return block_with("the staged change (" + short_fp(staged) +
                      ") has no finished review — run `gavel review`");
  }
  GateResult r;
  switch (s.verdict) {
    case Verdict::converged:
      if (blocking_ids(s.findings, policy).empty()) {
        r.answer = GateAnswer::pass;
        r.reasons.push_back("converged: " + s.verdict_summary);
        return r;
      }
      r.reasons.push_back("findings were reopened or upheld after convergence:");
      break;
    case Verdict::awaiting_human:
      r.reasons.push_back("findings wait for your triage:");
      break;
    case Verdict::escalated:
      r.reasons.push_back("escalated (" +
                          std::string(s.escalation ? to_string(*s.escalation) : "dispute") +
                          "): " + s.verdict_summary + " — decide:");
      break;
    case Verdict::blocked:
      r.reasons.push_back("blocked: " + s.verdict_summary);
      break;
    case Verdict::exhausted:
      r.reasons.push_back("review incomplete, budget exhausted: " + s.verdict_summary +
                          " — raise the budget or review by hand");
      break;
    case Verdict::infra_failure:
      if (policy.infra_failure_gate == InfraFailureGate::fail_open) {
        r.answer = GateAnswer::pass;
        r.reasons.push_back("review failed (infrastructure), passing per policy (fail open): " +
                            s.verdict_summary);
        return r;
      }
      r.reasons.push_back("review failed (infrastructure): " + s.verdict_summary +
                          " — fix the agent setup and run `gavel review`");
      break;
    case Verdict::in_progress:
      break;
  }
  r.answer = GateAnswer::block;
  list_findings(s, policy, r);
  return r;
}

}  // namespace gavel::review
