#include "agents/agent.hpp"

#include <stdexcept>

namespace gavel::agents {

const char* to_string(FailureKind kind) noexcept {
  switch (kind) {
    case FailureKind::timeout: return "timeout";
    case FailureKind::quota: return "quota";
    case FailureKind::auth: return "auth";
    case FailureKind::refusal: return "refusal";
    case FailureKind::malformed_output: return "malformed_output";
    case FailureKind::crash: return "crash";
    case FailureKind::unavailable: return "unavailable";
    case FailureKind::cancelled: return "cancelled";
  }
  return "crash";
}

void throw_exception_from_error(const AgentFailure& failure, const boost::source_location&) {
  throw std::runtime_error(std::string(to_string(failure.kind)) + ": " + failure.message);
}

}  // namespace gavel::agents
