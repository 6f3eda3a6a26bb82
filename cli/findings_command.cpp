// `gavel findings [--all]` and `gavel show ID` (docs/cli.md): the findings of the repository
// here, and one finding in full (titles, history, suggested fix), from the daemon.
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/daemon_client.hpp"
#include "cli/finding_view.hpp"
#include "review/priority.hpp"

#include <iostream>
#include <unistd.h>

namespace gavel::cli {

namespace {

namespace pr = protocol;

struct FindingsArgs {
  std::string dir = ".";
  std::string id;
  bool all = false;
  bool json = false;
  bool no_start = false;
};

int run_findings(const FindingsArgs& a) {
  auto root = repo_root(a.dir);
  if (!root) return report_error(root.error());
  int status = k_exit_ok;
  auto c = connect_or_report(a.no_start, status);
  if (!c) return status;
  auto r = c->call(pr::FindingsListRequest{
      *root, a.all ? pr::FindingFilter::all : pr::FindingFilter::open_only});
  if (!r) return report_error(r.error());
  if (a.json) {
    std::cout << to_wire_json(*r).dump(2) << "\n";
    return k_exit_ok;
  }
  const Style style{use_color(STDOUT_FILENO)};
  if (r->findings.empty()) std::cout << (a.all ? "no findings\n" : "no open findings\n");
  for (const auto& f : r->findings) std::cout << finding_line(f, style) << "\n";
  return k_exit_ok;
}

int run_show(const FindingsArgs& a) {
  int status = k_exit_ok;
  auto c = connect_or_report(a.no_start, status);
  if (!c) return status;
  auto r = c->call(pr::FindingShowRequest{a.id});
  if (!r) return report_error(r.error());
  if (a.json) {
    std::cout << to_wire_json(*r).dump(2) << "\n";
    return k_exit_ok;
  }
  const Style style{use_color(STDOUT_FILENO)};
  const auto& f = r->finding;
  std::cout << style.bold(f.title) << "\n" << finding_line(f, style) << "\n"
            << "raised by " << f.agent << " in round " << f.round << "\n\n"
            << f.body << "\n";
  if (r->titles.size() > 1) {
    std::cout << "\nalso titled:\n";
    for (const auto& t : r->titles) std::cout << "  " << t << "\n";
  }
  if (!r->history.empty()) {
    std::cout << "\nhistory:\n";
    for (const auto& h : r->history) {
      std::cout << "  " << review::to_string(h.from) << " -> " << review::to_string(h.to) << "  "
                << h.actor << (h.reason.empty() ? "" : ": " + h.reason) << "\n";
    }
  }
  if (r->suggested_fix) std::cout << "\nsuggested fix:\n" << *r->suggested_fix << "\n";
  std::cout << "\ndecide: gavel decide " << f.id << " uphold|dismiss|waive --reason ...\n";
  return k_exit_ok;
}

void common(CLI::App& app, FindingsArgs& a) {
  app.add_option("-C", a.dir, "Run as if started in this directory");
  app.add_flag("--json", a.json, "Print the reply as JSON");
  app.add_flag("--no-start", a.no_start, "Do not start gaveld when it is not running");
}

}  // namespace

Runner attach_findings(CLI::App& app) {
  auto args = std::make_shared<FindingsArgs>();
  common(app, *args);
  app.add_flag("--all", args->all, "Every finding, closed ones included");
  return [args] { return run_findings(*args); };
}

Runner attach_show(CLI::App& app) {
  auto args = std::make_shared<FindingsArgs>();
  common(app, *args);
  app.add_option("ID", args->id, "Finding id")->required();
  return [args] { return run_show(*args); };
}

}  // namespace gavel::cli
