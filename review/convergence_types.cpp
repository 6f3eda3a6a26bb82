#include "review/convergence_types.hpp"

namespace gavel::review {

std::string_view to_string(Role r) noexcept {
  return r == Role::reviewer ? "reviewer" : "implementer";
}

std::string_view to_string(Verdict v) noexcept {
  switch (v) {
    case Verdict::in_progress: return "in_progress";
    case Verdict::awaiting_human: return "awaiting_human";
    case Verdict::converged: return "converged";
    case Verdict::blocked: return "blocked";
    case Verdict::escalated: return "escalated";
    case Verdict::exhausted: return "exhausted";
    case Verdict::infra_failure: return "infra_failure";
  }
  return "in_progress";
}

std::string_view to_string(EscalationReason r) noexcept {
  switch (r) {
    case EscalationReason::dispute: return "dispute";
    case EscalationReason::oscillation: return "oscillation";
    case EscalationReason::stall: return "stall";
    case EscalationReason::round_limit: return "round_limit";
  }
  return "dispute";
}

std::string_view to_string(FailureKind k) noexcept {
  switch (k) {
    case FailureKind::timeout: return "timeout";
    case FailureKind::quota: return "quota";
    case FailureKind::auth: return "auth";
    case FailureKind::refusal: return "refusal";
    case FailureKind::malformed_output: return "malformed_output";
    case FailureKind::crash: return "crash";
  }
  return "crash";
}

bool is_final(Verdict v) noexcept {
  return v != Verdict::in_progress && v != Verdict::awaiting_human;
}

}  // namespace gavel::review
