// gaveld's main: parses the command line (CLI11; daemon/ never includes it) and runs the
// service in the foreground (docs/daemon.md "Running gaveld").
#include "daemon/daemon.hpp"

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  gavel::daemon::DaemonOptions options;
  std::string state_dir;
  CLI::App app{"gaveld: watches registered repositories and runs review sessions"};
  app.set_version_flag("--version", std::string("gaveld ") + GAVEL_VERSION);
  app.add_option("--socket", options.socket_path, "control socket path (default: $GAVEL_SOCKET, "
                                                  "$XDG_RUNTIME_DIR/gavel/gaveld.sock, /tmp/gavel-UID/)");
  app.add_option("--state-dir", state_dir, "where the repository registry is kept "
                                           "(default: $XDG_STATE_HOME/gavel)");
  app.add_option("--log-level", options.log_level,
                 "LEVEL or MODULE=LEVEL,... (modules: daemon, repo, session, gavel)");
  app.add_option("-c,--config", options.overrides, "KEY=VALUE configuration override")
      ->allow_extra_args(false);
  CLI11_PARSE(app, argc, argv);
  options.state_dir = state_dir;
  return gavel::daemon::run_daemon(options);
}
