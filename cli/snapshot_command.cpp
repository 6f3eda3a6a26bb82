#include "cli/cli.hpp"
#include "cli/commands.hpp"

#include <iostream>

namespace gavel::cli {

// Placeholder until git/ snapshots land; replaced by the real command.
Runner attach_snapshot(CLI::App& /*app*/) {
  return [] {
    std::cerr << "gavel snapshot: not implemented yet\n";
    return k_exit_internal;
  };
}

}  // namespace gavel::cli
