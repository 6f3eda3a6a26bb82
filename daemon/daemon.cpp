#include "daemon/daemon.hpp"

#include <spdlog/spdlog.h>

namespace gavel::daemon {

int run_daemon(int /*argc*/, char** /*argv*/) {
  spdlog::error("gaveld: the daemon is not implemented yet");
  return 1;
}

}  // namespace gavel::daemon
