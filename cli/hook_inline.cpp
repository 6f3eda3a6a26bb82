// The inline gate (gate.no_daemon = inline): no daemon answered, so the hook runs a review
// loop in the foreground, reviewer only: a hook must never change the files being committed,
// so there is no implementer and no patch; blocking findings block the commit.
#include "cli/cli.hpp"
#include "cli/hook_gate.hpp"
#include "cli/session_output.hpp"
#include "cli/session_run.hpp"

#include "loop/loop_policy.hpp"
#include "loop/repo_config.hpp"
#include "loop/session_runner.hpp"
#include "review/export.hpp"
#include "review/gate.hpp"

#include <boost/asio/io_context.hpp>

#include <iostream>
#include <unistd.h>

namespace gavel::cli {

namespace {

nlohmann::json inline_record(const loop::SessionRunner& runner, const loop::SessionOutcome& outcome,
                             const StagedChange& change, const std::string& reviewer) {
  const auto& state = runner.state();
  review::ExportInput in;
  in.findings = state.findings;
  return {{"tool", std::string("gavel ") + GAVEL_VERSION},
          {"gate", {{"status", "pass"}, {"message", outcome.summary}, {"mode", "inline"}}},
          {"session", nullptr},
          {"verdict", review::to_string(outcome.verdict)},
          {"fingerprint", change.fingerprint},
          {"base", change.base},
          {"rounds", state.rounds.size()},
          {"agents", {reviewer + " (reviewer)"}},
          {"usage", {{"tokens", state.usage.tokens}, {"cost_usd", state.usage.cost_usd}}},
          {"findings", nlohmann::json::parse(review::export_json(in))["findings"]}};
}

}  // namespace

int run_inline_gate(const GateArgs& args, const StagedChange& change, bool infra_closed) {
  auto config = loop::load_config(args.dir, args.overrides);
  if (!config) {
    std::cerr << "gavel: " << config.error().message << "\n";
    return k_exit_data;
  }
  std::cerr << "gavel: no daemon is running; reviewing the staged change here "
               "(gate.no_daemon = inline, reviewer only)\n";
  // The loop reads the repository's index; `git commit -a` / `git commit PATHS` stage into a
  // temporary one, so the fingerprints are compared after the run.
  loop::SessionSetup setup;
  setup.repo = args.dir;
  setup.kind = review::DiffKind::staged;
  setup.policy = loop::loop_policy_from(*config, false);
  setup.max_request_bytes = config->review.max_request_bytes;
  auto agents = make_session_agents(*config, config->review.reviewer, std::nullopt);
  if (!agents) {
    std::cerr << "gavel: " << agents.error().message << "\n";
    return k_exit_data;
  }
  setup.reviewer_timeout = agents->reviewer_timeout;
  boost::asio::io_context io;
  ProgressPrinter progress(std::cerr, Style{use_color(STDERR_FILENO)}, setup.policy, "  ");
  loop::SessionRunner runner(io.get_executor(), setup, agents->reviewer, nullptr, &progress);
  auto outcome = run_session(io, runner);
  auto infra = [&](const std::string& what) {
    if (infra_closed) {
      std::cerr << "gavel: INFRASTRUCTURE FAILURE (not a finding): " << what
                << "\ngavel: commit refused because gate.infra_failure = closed\n";
      return k_gate_infra;
    }
    std::cerr << "gavel: warning: infrastructure failure (not a finding): " << what
              << "\ngavel: commit allowed because gate.infra_failure = open\n";
    return k_gate_pass;
  };
  if (!outcome) {
    if (outcome.error().code == Errc::cancelled) return 130;
    return infra(outcome.error().message);
  }
  if (outcome->snapshot != change.fingerprint) {
    std::cerr << "gavel: commit blocked: the inline review read the index, which is not what this "
                 "commit records (`git commit -a` or `git commit PATHS`?); stage the change with "
                 "`git add` and commit again, or start the daemon\n";
    return k_gate_block;
  }
  switch (outcome->verdict) {
    case review::Verdict::converged:
      save_pending_note(change, inline_record(runner, *outcome, change, config->review.reviewer));
      std::cerr << "gavel: pass (inline review: " << outcome->summary << ")\n";
      return k_gate_pass;
    case review::Verdict::infra_failure: return infra(outcome->summary);
    default: break;
  }
  std::cerr << "gavel: commit blocked (" << review::to_string(outcome->verdict)
            << "): " << outcome->summary << "\n";
  const auto gate = review::evaluate_gate(change.fingerprint, &runner.state(), setup.policy);
  for (const auto& line : gate.reasons) std::cerr << "  " << line << "\n";
  std::cerr << "gavel: without a daemon, decisions cannot be recorded: fix the findings, start "
               "the daemon (`gavel daemon start`), or bypass once with `git commit --no-verify`\n";
  return k_gate_block;
}

}  // namespace gavel::cli
