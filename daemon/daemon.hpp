#pragma once
// Entry point of `gaveld`: parses its command line and runs the service until asked to stop.

namespace gavel::daemon {

// Returns the process exit status.
int run_daemon(int argc, char** argv);

}  // namespace gavel::daemon
