// `gavel decide ID uphold|dismiss|waive --reason TEXT` (docs/cli.md): a human decision on a
// finding, sent to the daemon (which records who decided and why).
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/daemon_client.hpp"
#include "cli/finding_view.hpp"
#include "protocol/names.hpp"

#include <iostream>
#include <unistd.h>

namespace gavel::cli {

namespace {

namespace pr = protocol;

struct DecideArgs {
  std::string id;
  std::string decision;
  std::string reason;
  bool json = false;
  bool no_start = false;
};

int run_decide(const DecideArgs& a) {
  const auto decision = pr::decision_from_string(a.decision);
  if (!decision) {
    std::cerr << "gavel decide: expected uphold, dismiss or waive, got \"" << a.decision << "\"\n";
    return k_exit_usage;
  }
  if (*decision != pr::Decision::uphold && a.reason.empty()) {
    std::cerr << "gavel decide: " << a.decision
              << " needs --reason (a dismissal is remembered with it; a waiver records the risk)\n";
    return k_exit_usage;
  }
  int status = k_exit_ok;
  auto c = connect_or_report(a.no_start, status);
  if (!c) return status;
  auto r = c->call(pr::DecideRequest{a.id, *decision, a.reason, ""});
  if (!r) return report_error(r.error());
  if (a.json) std::cout << to_wire_json(*r).dump(2) << "\n";
  else std::cout << finding_line(r->finding, Style{use_color(STDOUT_FILENO)}) << "\n";
  return k_exit_ok;
}

}  // namespace

Runner attach_decide(CLI::App& app) {
  auto args = std::make_shared<DecideArgs>();
  app.add_option("ID", args->id, "Finding id")->required();
  app.add_option("DECISION", args->decision, "uphold, dismiss or waive")->required();
  app.add_option("--reason", args->reason, "Why (required for dismiss and waive)");
  app.add_flag("--json", args->json, "Print the decided finding as JSON");
  app.add_flag("--no-start", args->no_start, "Do not start gaveld when it is not running");
  return [args] { return run_decide(*args); };
}

}  // namespace gavel::cli
