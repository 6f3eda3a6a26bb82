// `gavel export --format json|sarif|md [-C DIR] [--all]` (docs/cli.md): the repository's
// findings from the daemon, in gavel's JSON, SARIF 2.1.0 or Markdown (review/export.hpp).
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/daemon_client.hpp"
#include "cli/finding_view.hpp"
#include "protocol/names.hpp"
#include "review/export.hpp"

#include <chrono>
#include <iostream>

namespace gavel::cli {

namespace {

namespace pr = protocol;

struct ExportArgs {
  std::string dir = ".";
  std::string format = "json";
  bool open_only = false;
  bool no_start = false;
};

int run_export(const ExportArgs& a) {
  if (a.format != "json" && a.format != "sarif" && a.format != "md") {
    std::cerr << "gavel export: --format: expected json, sarif or md\n";
    return k_exit_usage;
  }
  auto root = repo_root(a.dir);
  if (!root) return report_error(root.error());
  int status = k_exit_ok;
  auto c = connect_or_report(a.no_start, status);
  if (!c) return status;
  auto findings = c->call(pr::FindingsListRequest{
      *root, a.open_only ? pr::FindingFilter::open_only : pr::FindingFilter::all});
  if (!findings) return report_error(findings.error());
  review::ExportInput in;
  in.session.repo = *root;
  in.session.tool_version = GAVEL_VERSION;
  in.session.generated_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
  if (auto sessions = c->call(pr::SessionListRequest{*root}); sessions && !sessions->sessions.empty()) {
    const auto& s = sessions->sessions.back();
    in.session.fingerprint = s.fingerprint;
    in.session.verdict = std::string(pr::to_string(s.state));
  }
  in.findings = to_findings(findings->findings);
  if (a.format == "json") std::cout << review::export_json(in);
  else if (a.format == "sarif") std::cout << review::export_sarif(in);
  else std::cout << review::export_markdown(in);
  std::cout << "\n";
  return k_exit_ok;
}

}  // namespace

Runner attach_export(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  app.add_option("--format", args->format, "json, sarif or md (default json)");
  app.add_option("-C", args->dir, "Run as if started in this directory");
  app.add_flag("--open", args->open_only, "Only findings still open (default: every finding)");
  app.add_flag("--no-start", args->no_start, "Do not start gaveld when it is not running");
  return [args] { return run_export(*args); };
}

}  // namespace gavel::cli
