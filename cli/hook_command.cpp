// `gavel hook install|uninstall|run|post-commit` (docs/cli.md "gavel hook"): installing the git
// hooks, and what they call.
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/daemon_client.hpp"
#include "cli/hook_gate.hpp"
#include "cli/hook_install.hpp"

#include <iostream>

namespace gavel::cli {

namespace {

struct HookArgs {
  std::string dir = ".";
  std::vector<std::string> overrides;
  CLI::App* install = nullptr;
  CLI::App* uninstall = nullptr;
  CLI::App* run = nullptr;
  CLI::App* post_commit = nullptr;
};

int print_changes(const Result<std::vector<HookChange>>& changes) {
  if (!changes) {
    std::cerr << "gavel: " << changes.error().message << "\n";
    return changes.error().code == Errc::io ? k_exit_internal : k_exit_data;
  }
  for (const auto& c : *changes) std::cout << c.path.string() << ": " << c.what << "\n";
  return k_exit_ok;
}

int run_hook(const HookArgs& a) {
  if (a.install->parsed()) return print_changes(install_hooks(a.dir, self_executable()));
  if (a.uninstall->parsed()) return print_changes(uninstall_hooks(a.dir));
  if (a.run->parsed()) return run_gate(GateArgs{a.dir, a.overrides});
  if (a.post_commit->parsed()) return run_post_commit(a.dir);
  return k_exit_usage;
}

}  // namespace

Runner attach_hook(CLI::App& app) {
  auto args = std::make_shared<HookArgs>();
  app.require_subcommand(1);
  app.add_option("-C", args->dir, "Run as if started in this directory");
  app.add_option("-c", args->overrides, "Configuration override section.key=value (repeatable)");
  args->install = app.add_subcommand(
      "install", "Install the pre-commit gate and the post-commit note hook (existing hooks kept)");
  args->uninstall = app.add_subcommand("uninstall", "Remove gavel's hooks, restoring what was there");
  args->run = app.add_subcommand("run", "The pre-commit gate: may the staged change be committed?");
  args->post_commit =
      app.add_subcommand("post-commit", "Attach the passed review to HEAD as a git note");
  for (CLI::App* sub : {args->install, args->uninstall, args->run, args->post_commit}) {
    sub->add_option("-C", args->dir, "Run as if started in this directory");
    sub->add_option("-c", args->overrides, "Configuration override section.key=value");
  }
  return [args] { return run_hook(*args); };
}

}  // namespace gavel::cli
