// `gavel review --once`: the whole review loop in the foreground, without a daemon (docs/cli.md).
// Progress to stderr; the verdict, the open findings and what became of the proposed patch to
// stdout (or one JSON document with --json). Exit codes 0-4 by verdict.
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/daemon_client.hpp"
#include "loop/repo_config.hpp"
#include "cli/proposed_patch.hpp"
#include "cli/session_output.hpp"
#include "cli/session_run.hpp"

#include "loop/loop_policy.hpp"
#include "loop/session_runner.hpp"
#include "review/export.hpp"

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace gavel::cli {

namespace {

struct ReviewArgs {
  bool once = false;
  bool staged = false;
  bool json = false;
  bool no_implementer = false;
  std::string dir = ".";
  std::string intent_file;
  std::string reviewer;
  std::string implementer;
  std::string apply;
  std::vector<std::string> overrides;
};

Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::invalid_argument, "--intent: cannot read " + path);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

Result<config::ApplyPolicy> apply_policy(const ReviewArgs& a, const config::Config& c) {
  if (a.apply.empty()) return c.review.apply;
  if (a.apply == "auto") return config::ApplyPolicy::automatic;
  if (a.apply == "ask") return config::ApplyPolicy::ask;
  if (a.apply == "never") return config::ApplyPolicy::never;
  return fail(Errc::invalid_argument, "--apply: expected auto, ask or never");
}

nlohmann::json findings_json(const std::vector<review::Finding>& findings) {
  review::ExportInput in;
  in.findings = findings;
  return nlohmann::json::parse(review::export_json(in))["findings"];
}

int report(const ReviewArgs& a, const loop::SessionRunner& runner,
           const loop::SessionOutcome& outcome, const PatchResult& patch) {
  const auto& state = runner.state();
  if (a.json) {
    nlohmann::json out = {
        {"verdict", review::to_string(outcome.verdict)},
        {"escalation", outcome.escalation ? nlohmann::json(review::to_string(*outcome.escalation))
                                          : nlohmann::json(nullptr)},
        {"summary", outcome.summary},
        {"snapshot", outcome.snapshot},
        {"rounds", state.rounds.size()},
        {"findings", findings_json(state.findings)},
        {"patch", to_json(patch)},
        {"fix_not_applied", fix_not_applied(outcome, patch)}};
    std::cout << out.dump(2) << "\n";
  } else {
    const Style style{use_color(STDOUT_FILENO)};
    std::cout << style.bold(std::string(review::to_string(outcome.verdict))) << ": "
              << terminal_safe(outcome.summary) << "\n";
    std::cout << "findings still open:\n";
    print_findings(std::cout, style, state.findings, runner.machine().policy(), false);
    print_patch_result(std::cout, patch);
    if (fix_not_applied(outcome, patch)) {
      std::cout << style.yellow("your working tree does not have the fix the agents agreed on, "
                                "so what it fixes is still there")
                << "\n";
    }
  }
  if (patch.state == PatchResult::State::partial) return k_exit_internal;
  if (outcome.verdict == review::Verdict::converged && fix_not_applied(outcome, patch)) return 1;
  return exit_code_for(outcome.verdict);
}

// Without --once: gaveld runs the session (started on demand); `gavel status` follows it.
int start_in_daemon(const ReviewArgs& a, std::string intent) {
  if (!a.apply.empty() || a.json || a.no_implementer || !a.overrides.empty()) {
    std::cerr << "gavel: --apply, --json, --no-implementer and -c need --once (the daemon uses "
                 "its own configuration)\n";
    return k_exit_usage;
  }
  auto root = repo_root(a.dir);
  if (!root) return report_error(root.error());
  int status = k_exit_ok;
  auto client = connect_or_report(/*no_start=*/false, status);
  if (!client) return status;
  const auto scope = a.staged ? protocol::DiffScope::staged : protocol::DiffScope::worktree;
  auto started = client->call(
      protocol::ReviewStartRequest{*root, scope, std::move(intent), a.reviewer, a.implementer});
  if (!started) {
    std::cerr << "gavel: " << started.error().message << "\n";
    return exit_code_for_daemon_error(started.error());
  }
  std::cout << "review started: " << started->session.id << " (follow it with `gavel status`)\n";
  return k_exit_ok;
}

int run_review(const ReviewArgs& a) {
  std::string intent;
  if (!a.intent_file.empty()) {
    auto text = read_text(a.intent_file);
    if (!text) {
      std::cerr << "gavel: " << text.error().message << "\n";
      return k_exit_usage;
    }
    intent = std::move(*text);
  }
  if (!a.once) return start_in_daemon(a, std::move(intent));
  auto config = loop::load_config(a.dir, a.overrides);
  if (!config) {
    std::cerr << "gavel: " << config.error().message << "\n";
    return k_exit_data;
  }
  auto policy_choice = apply_policy(a, *config);
  if (!policy_choice) {
    std::cerr << "gavel: " << policy_choice.error().message << "\n";
    return k_exit_usage;
  }
  loop::SessionSetup setup;
  setup.repo = a.dir;
  setup.kind = a.staged ? review::DiffKind::staged : review::DiffKind::worktree;
  setup.intent = std::move(intent);
  setup.policy = loop::loop_policy_from(*config, !a.no_implementer);
  setup.max_request_bytes = config->review.max_request_bytes;
  const std::string reviewer = a.reviewer.empty() ? config->review.reviewer : a.reviewer;
  std::optional<std::string> implementer;
  if (!a.no_implementer) {
    implementer = a.implementer.empty() ? config->review.implementer : a.implementer;
  }
  auto agents = make_session_agents(*config, reviewer, implementer);
  if (!agents) {
    std::cerr << "gavel: " << agents.error().message << "\n";
    return k_exit_data;
  }
  setup.reviewer_timeout = agents->reviewer_timeout;
  setup.implementer_timeout = agents->implementer_timeout;

  boost::asio::io_context io;
  ProgressPrinter progress(std::cerr, Style{use_color(STDERR_FILENO)}, setup.policy);
  loop::SessionRunner runner(io.get_executor(), setup, agents->reviewer, agents->implementer,
                             &progress);
  auto outcome = run_session(io, runner);
  if (!outcome) {
    std::cerr << "gavel: " << outcome.error().message << "\n";
    return exit_code_for_error(outcome.error());
  }
  const PatchResult patch = settle_patch(a.dir, *outcome, *policy_choice, a.staged);
  return report(a, runner, *outcome, patch);
}

}  // namespace

Runner attach_review(CLI::App& app) {
  auto args = std::make_shared<ReviewArgs>();
  app.add_flag("--once", args->once, "Run the whole loop in the foreground, without a daemon");
  app.add_flag("--staged", args->staged, "Review what `git commit` would record (index vs HEAD)");
  app.add_option("--intent", args->intent_file, "File with the story or spec the change implements");
  app.add_option("--reviewer", args->reviewer, "Reviewer agent name (default: review.reviewer)");
  app.add_option("--implementer", args->implementer,
                 "Implementer agent name (default: review.implementer)");
  app.add_flag("--no-implementer", args->no_implementer, "Reviewer only: no fixes are proposed");
  app.add_option("--apply", args->apply,
                 "What to do with a converged proposed patch: auto, ask or never "
                 "(default: review.apply)");
  app.add_flag("--json", args->json, "Print the result as JSON on stdout");
  app.add_option("-C", args->dir, "Run as if started in this directory");
  app.add_option("-c", args->overrides, "Configuration override section.key=value (repeatable)");
  return [args] { return run_review(*args); };
}

}  // namespace gavel::cli
