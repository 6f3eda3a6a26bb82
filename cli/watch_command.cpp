// `gavel watch add|remove|list [PATH]` (docs/cli.md): which repositories gaveld watches.
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/daemon_client.hpp"
#include "cli/finding_view.hpp"

#include <iostream>

namespace gavel::cli {

namespace {

namespace pr = protocol;

struct WatchArgs {
  std::string path = ".";
  bool json = false;
  bool no_start = false;
  CLI::App* add = nullptr;
  CLI::App* remove = nullptr;
  CLI::App* list = nullptr;
};

int run_watch(const WatchArgs& a) {
  int status = k_exit_ok;
  auto c = connect_or_report(a.no_start, status);
  if (!c) return status;
  if (a.list->parsed()) {
    auto r = c->call(pr::RepoListRequest{});
    if (!r) return report_error(r.error());
    if (a.json) {
      std::cout << to_wire_json(*r).dump(2) << "\n";
    } else if (r->repos.empty()) {
      std::cout << "no repositories watched (add one: gavel watch add)\n";
    } else {
      for (const auto& repo : r->repos) {
        std::cout << repo.path << (repo.session ? "  session " + *repo.session : "") << "\n";
      }
    }
    return k_exit_ok;
  }
  auto root = repo_root(a.path);
  if (!root) return report_error(root.error());
  if (a.add->parsed()) {
    auto r = c->call(pr::RepoAddRequest{*root});
    if (!r) return report_error(r.error());
    if (a.json) std::cout << to_wire_json(*r).dump(2) << "\n";
    else std::cout << "watching " << r->repo.path << "\n";
    return k_exit_ok;
  }
  auto r = c->call(pr::RepoRemoveRequest{*root});
  if (!r) return report_error(r.error());
  if (a.json) std::cout << to_wire_json(*r).dump(2) << "\n";
  else std::cout << "no longer watching " << r->path << "\n";
  return k_exit_ok;
}

}  // namespace

Runner attach_watch(CLI::App& app) {
  auto args = std::make_shared<WatchArgs>();
  app.require_subcommand(1);
  args->add = app.add_subcommand("add", "Watch the repository at PATH (default: here)");
  args->remove = app.add_subcommand("remove", "Stop watching the repository at PATH");
  args->list = app.add_subcommand("list", "List the watched repositories");
  for (CLI::App* sub : {args->add, args->remove}) sub->add_option("PATH", args->path, "Repository");
  for (CLI::App* sub : {args->add, args->remove, args->list}) {
    sub->add_flag("--json", args->json, "Print the reply as JSON");
    sub->add_flag("--no-start", args->no_start, "Do not start gaveld when it is not running");
  }
  return [args] { return run_watch(*args); };
}

}  // namespace gavel::cli
