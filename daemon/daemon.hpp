#pragma once
// Entry point of the gaveld service: runs until SIGTERM/SIGINT or `shutdown`.
//
// Called by cli/gaveld_main.cpp, which parses the command line (CLI11) into DaemonOptions.
// Runs in the foreground (systemd-friendly); `gavel daemon start` detaches it.

#include "daemon/daemon_options.hpp"

namespace gavel::daemon {

// Returns the process exit status: 0 after a clean stop, 1 when it could not start (another
// daemon runs, unsafe socket directory, invalid configuration, unreadable registry).
int run_daemon(const DaemonOptions& options);

}  // namespace gavel::daemon
