// `gavel status [-C DIR] [--json] [--no-start]` (docs/cli.md): the daemon's status and, for the
// repository here, its latest session (state, round N of M, current agent), escalation first.
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/daemon_client.hpp"
#include "cli/finding_view.hpp"

#include <iostream>
#include <unistd.h>

namespace gavel::cli {

namespace {

namespace pr = protocol;

struct StatusArgs {
  std::string dir = ".";
  bool json = false;
  bool no_start = false;
};

// The session to show for a repository: a running one, else the most recently started.
std::optional<pr::SessionSummary> latest(const std::vector<pr::SessionSummary>& sessions) {
  std::optional<pr::SessionSummary> best;
  for (const auto& s : sessions) {
    const bool running = s.state == pr::SessionState::running;
    if (!best || (running && best->state != pr::SessionState::running) ||
        (running == (best->state == pr::SessionState::running) &&
         s.started_at_ms > best->started_at_ms)) {
      best = s;
    }
  }
  return best;
}

int run_status(const StatusArgs& a) {
  int status = k_exit_ok;
  auto c = connect_or_report(a.no_start, status);
  if (!c) return status;
  auto daemon = c->call(pr::StatusRequest{});
  if (!daemon) return report_error(daemon.error());
  auto root = repo_root(a.dir);
  std::optional<pr::SessionSummary> session;
  std::vector<pr::FindingSummary> open;
  if (root) {
    auto list = c->call(pr::SessionListRequest{*root});
    if (!list) return report_error(list.error());
    session = latest(list->sessions);
    if (auto f = c->call(pr::FindingsListRequest{*root, pr::FindingFilter::open_only})) {
      open = std::move(f->findings);
    }
  }
  const bool watched = root && std::find(daemon->repos.begin(), daemon->repos.end(), *root) !=
                                   daemon->repos.end();
  if (a.json) {
    nlohmann::json j = {{"daemon", to_wire_json(*daemon)},
                        {"repo", root ? nlohmann::json(*root) : nlohmann::json(nullptr)},
                        {"watched", watched},
                        {"session", session ? to_wire_json(*session) : nlohmann::json(nullptr)},
                        {"escalated", session && session->state == pr::SessionState::escalated},
                        {"open_findings", open.size()}};
    std::cout << j.dump(2) << "\n";
    return k_exit_ok;
  }
  const Style style{use_color(STDOUT_FILENO)};
  std::cout << "gaveld " << daemon->version << " (pid " << daemon->pid << "), "
            << daemon->repos.size() << " repositor" << (daemon->repos.size() == 1 ? "y" : "ies")
            << ", " << daemon->active_sessions << " running\n";
  if (!root) {
    std::cout << "not in a repository\n";
    return k_exit_ok;
  }
  std::cout << *root << (watched ? "" : "  (not watched: gavel watch add)") << "\n";
  if (!session) {
    std::cout << "  no review session\n";
  } else {
    std::cout << "  " << session_line(*session, style) << "\n";
  }
  std::cout << "  " << open.size() << " open finding" << (open.size() == 1 ? "" : "s")
            << (open.empty() ? "" : " (gavel findings)") << "\n";
  return k_exit_ok;
}

}  // namespace

Runner attach_status(CLI::App& app) {
  auto args = std::make_shared<StatusArgs>();
  app.add_option("-C", args->dir, "Run as if started in this directory");
  app.add_flag("--json", args->json, "Print the status as JSON");
  app.add_flag("--no-start", args->no_start, "Do not start gaveld when it is not running");
  return [args] { return run_status(*args); };
}

}  // namespace gavel::cli
