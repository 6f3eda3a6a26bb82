#pragma once
// The review loop's limits (review::LoopPolicy) from the layered configuration.
//
// Called by whoever starts a session (the daemon, `gavel review --once`, `gavel demo`) after
// config::load; pure. Daily budgets are not part of a session's policy: the caller enforces them
// across sessions.

#include "config/config.hpp"
#include "review/policy.hpp"

namespace gavel::loop {

// `implementer_enabled` false: a reviewer-only loop (blocking findings end it "blocked").
review::LoopPolicy loop_policy_from(const config::Config& config, bool implementer_enabled = true);

}  // namespace gavel::loop
