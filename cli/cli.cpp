#include "cli/cli.hpp"

#include "cli/commands.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace gavel::cli {

int run_cli(int argc, char** argv) {
  CLI::App app{"gavel: two AI coding agents check each other's work on your uncommitted changes",
               "gavel"};
  app.set_version_flag("--version", std::string("gavel ") + GAVEL_VERSION);
  app.require_subcommand(1);

  std::vector<Runner> runners;
  std::vector<CLI::App*> subs;
  for (const Command& c : commands()) {
    CLI::App* sub = app.add_subcommand(std::string(c.name), std::string(c.help));
    subs.push_back(sub);
    runners.push_back(c.attach(*sub));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return k_exit_usage;
  }

  try {
    for (std::size_t i = 0; i < subs.size(); ++i) {
      if (subs[i]->parsed()) return runners[i]();
    }
  } catch (const std::exception& e) {
    std::cerr << "gavel: internal error: " << e.what() << "\n";
    return k_exit_internal;
  }
  return k_exit_usage;
}

}  // namespace gavel::cli
