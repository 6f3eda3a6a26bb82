#pragma once
// The builtin rules reviewer: an offline, deterministic reviewer that needs no key and no
// network (DESIGN.md "Agents" -> builtin; every rule is listed in docs/agents-builtin.md).
//
// It reads only the structured changeset (`task.context->changeset`) and inspects only ADDED
// lines (and, for whole-file rules, added files): pre-existing code is never reported. It never
// reads the working tree, never runs anything from the diff and never echoes a secret in full.
// Its final message is the Codex-review JSON every reviewer emits, plus the "category" and
// "suggested_fix" extras, so review/'s one parser reads it like any other agent's output.
//
// `run_rules` is the pure core (tests and bench/rules call it directly); `RulesReviewer` wraps
// it as an Agent: `run` computes on the caller's executor and co_returns at once (no threads,
// no suspension), so it is safe to call from the daemon's io_context thread.

#include "agents/agent.hpp"
#include "review/changeset.hpp"
#include "review/finding.hpp"
#include "review/report.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace gavel::agents {

// How "code_location.absolute_file_path" is written. Codex writes absolute paths; review/'s
// parser must map those back to repository-relative ones anyway, and relative paths are what
// our changeset holds, so relative is the default.
enum class PathStyle {
  repo_relative,  // "src/app.py" (default)
  workdir_joined  // `task.workdir` / "src/app.py"; relative when workdir is empty
};

// Tunables of the rules reviewer; the defaults are what `make_builtin_agent` uses.
struct RulesOptions {
  std::uint64_t max_file_bytes = 1024 * 1024;  // an added text file above this is flagged
  bool cr_at_eol = false;  // git core.whitespace "cr-at-eol": off by default, as in git
  bool secrets = true;
  bool conflict_markers = true;
  bool whitespace = true;
  bool debug_leftovers = true;
  bool file_checks = true;  // size limit, binary files
  int max_findings_per_rule_per_file = 20;  // caps noise from one bad (generated) file
  PathStyle path_style = PathStyle::repo_relative;
};

// One rule hit: the finding as any reviewer would raise it, plus the id of the rule that
// raised it (e.g. "secret.github-token"), which the output does not carry.
struct RuleFinding {
  std::string rule;
  review::RaisedFinding raised;
};

// Runs every enabled rule over `changeset`. Findings are sorted by priority, path, line, rule.
// Pure and deterministic; safe to call from any thread.
std::vector<RuleFinding> run_rules(const review::Changeset& changeset, const RulesOptions& options);

// Verdicts on findings of an earlier round (`prior`) given what the rules found now: a prior
// finding this reviewer can judge (raised by `agent_name`, or unattributed with one of our
// categories) is "still_open" when a current finding of the same category, path and title
// overlaps its (re-mapped) lines, or is the only such finding in the file on both sides;
// "resolved" otherwise. Findings of other reviewers get no verdict.
std::vector<review::PriorVerdict> judge_prior(const std::vector<review::Finding>& prior,
                                              const std::vector<RuleFinding>& current,
                                              const std::string& agent_name);

// The final message: Codex-review JSON (findings, overall_*, prior) as text.
std::string render_review(const std::vector<RuleFinding>& findings,
                          const std::vector<review::PriorVerdict>& prior,
                          const RulesOptions& options, const std::filesystem::path& workdir);

// The rules reviewer as an Agent (role reviewer only). Fails with `unavailable` when asked to
// implement, and with `crash` when the task carries no structured context.
class RulesReviewer final : public Agent {
 public:
  explicit RulesReviewer(std::string name, RulesOptions options = {});
  const std::string& name() const override { return m_name; }
  boost::asio::awaitable<AgentResult> run(Task task) override;

 private:
  std::string m_name;
  RulesOptions m_options;
};

}  // namespace gavel::agents
