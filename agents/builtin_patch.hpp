#pragma once
// The builtin patch implementer: applies the suggested fixes of the findings it is given and
// disputes the rest. Offline, deterministic, no key (DESIGN.md "Agents" -> builtin).
//
// Contract (docs/agents-builtin.md): for each finding in `task.context->findings`, in order:
//  - no suggested fix -> "disputed", rationale "no mechanical fix; needs a human or an LLM
//    implementer" (with what a person should do, e.g. rotate a leaked secret);
//  - otherwise the fix is re-based in memory onto the file as earlier fixes left it (so fixes of
//    neighbouring lines compose), then `apply_patch(patch, check_only=true)` and, when that
//    passes, `apply_patch(patch, false)` -> "fixed". If the re-based patch is refused the
//    original fix is tried as given. A fix whose result is already in the file (an earlier fix
//    did the same edit) -> "fixed" without applying anything. A fix that does not apply ->
//    "disputed" with the error.
// It edits the scratch worktree only through `apply_patch` (which the orchestrator confines to
// the repository), never reads or writes files itself and runs nothing. Its final message is the
// implementer JSON {"patch": "", "responses": [...], "summary": "..."}: "patch" is empty because
// the edits are already in the worktree.
//
// `run` computes on the caller's executor and co_returns without suspending; apply_patch is
// called synchronously from it.

#include "agents/agent.hpp"
#include "review/report.hpp"

#include <string>

namespace gavel::agents {

// The pure core: carries out the contract above against `context` and returns the responses
// and summary (patch empty). Fails (with a message) only when a fix is to be applied and
// `context.apply_patch` is not set.
boost::system::result<review::ImplementerReport, std::string> implement_fixes(
    const TaskContext& context);

// The implementer JSON text for `report`.
std::string render_implementer_report(const review::ImplementerReport& report);

// The patch implementer as an Agent (role implementer only). Fails with `unavailable` when
// asked to review, and with `crash` when the task has no context or no apply_patch callback.
class PatchImplementer final : public Agent {
 public:
  explicit PatchImplementer(std::string name);
  const std::string& name() const override { return m_name; }
  boost::asio::awaitable<AgentResult> run(Task task) override;

 private:
  std::string m_name;
};

}  // namespace gavel::agents
