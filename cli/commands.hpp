#pragma once
// The command table of `gavel`: one row per subcommand. `gavel --help`, dispatch and the docs
// checklist test all read k_commands; there is no self-registration.

#include <CLI/App.hpp>

#include <functional>
#include <span>
#include <string_view>

namespace gavel::cli {

// Runs a parsed command; returns the exit status.
using Runner = std::function<int()>;

struct Command {
  std::string_view name;
  std::string_view help;  // one line, shown by `gavel --help`
  // Declares the command's options on `app` and returns the runner that will read them.
  Runner (*attach)(CLI::App& app);
};

std::span<const Command> commands();

// One function per command, each in its own <name>_command.cpp.
Runner attach_snapshot(CLI::App& app);
Runner attach_review(CLI::App& app);
Runner attach_demo(CLI::App& app);
Runner attach_undo(CLI::App& app);
Runner attach_hook(CLI::App& app);
Runner attach_log(CLI::App& app);
Runner attach_daemon(CLI::App& app);
Runner attach_watch(CLI::App& app);
Runner attach_status(CLI::App& app);
Runner attach_findings(CLI::App& app);
Runner attach_show(CLI::App& app);
Runner attach_decide(CLI::App& app);
Runner attach_export(CLI::App& app);
Runner attach_doctor(CLI::App& app);
Runner attach_arbitrate(CLI::App& app);

}  // namespace gavel::cli
