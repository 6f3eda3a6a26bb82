#pragma once
// DaemonOptions: what `gaveld`'s command line chose (cli/gaveld_main.cpp parses it with CLI11;
// daemon/ never sees argv). run_daemon() (daemon/daemon.hpp) takes it.

#include <filesystem>
#include <string>
#include <vector>

namespace gavel::daemon {

struct DaemonOptions {
  std::string socket_path;             // empty: protocol::default_socket_path()
  std::filesystem::path state_dir;     // empty: $XDG_STATE_HOME/gavel, else ~/.local/state/gavel
  std::string log_level;               // empty: daemon.log_level; "info", "session=debug,info"
  std::vector<std::string> overrides;  // `-c key=value`, applied last to every configuration
};

// The state directory for `options` (the registry file lives there).
std::filesystem::path resolve_state_dir(const DaemonOptions& options);

}  // namespace gavel::daemon
