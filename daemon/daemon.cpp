#include "daemon/daemon.hpp"

#include "agents/agent_processes.hpp"
#include "daemon/control_server.hpp"
#include "daemon/log_setup.hpp"
#include "daemon/orchestrator.hpp"
#include "daemon/registry.hpp"
#include "loop/repo_config.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdlib>
#include <functional>

namespace gavel::daemon {

namespace asio = boost::asio;
namespace fs = std::filesystem;

fs::path resolve_state_dir(const DaemonOptions& options) {
  if (!options.state_dir.empty()) return options.state_dir;
  const char* xdg = std::getenv("XDG_STATE_HOME");
  if (xdg != nullptr && xdg[0] == '/') return fs::path(xdg) / "gavel";
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr ? home : "/tmp") / ".local" / "state" / "gavel";
}

int run_daemon(const DaemonOptions& options) {
  if (auto r = configure_logging(options.log_level.empty() ? "info" : options.log_level); !r) {
    log("daemon")->error("{}", r.error().message);
    return 1;
  }
  std::signal(SIGPIPE, SIG_IGN);
  auto config = loop::load_config("/", options.overrides);
  if (!config) {
    log("daemon")->error("invalid configuration: {}", config.error().message);
    return 1;
  }
  if (options.log_level.empty()) (void)configure_logging(config->daemon.log_level);
  const fs::path state_dir = resolve_state_dir(options);
  auto registry = Registry::load(state_dir);
  if (!registry) {
    log("daemon")->error("{}", registry.error().message);
    return 1;
  }

  // Nothing gaveld starts (agents, the notify command) may decide for the human, and orphans of
  // agents are reparented to gaveld (a subreaper): refuse all of its descendants.
  agents::set_own_descendants_are_agents(true);
  asio::io_context io(1);
  asio::thread_pool pool(2);
  int status = 0;
  {
    Orchestrator orchestrator(io, pool, options, std::move(*config), std::move(*registry));
    auto server = ControlServer::open(io.get_executor(), orchestrator,
                                      ControlServerOptions{options.socket_path, {}, std::nullopt});
    if (!server) {
      log("daemon")->error("cannot listen: {}", server.error().message);
      pool.join();
      return 1;
    }
    log("daemon")->info("listening on {} (state in {})", (*server)->socket_path(), state_dir.string());
    orchestrator.set_server(server->get());
    orchestrator.on_stopped([&io] { io.stop(); });
    (*server)->start();
    orchestrator.start();

    asio::signal_set stop_signals(io, SIGINT, SIGTERM);
    stop_signals.async_wait([&](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      log("daemon")->info("signal {}: stopping", signal);
      orchestrator.begin_shutdown();
    });
    asio::signal_set hup(io, SIGHUP);
    std::function<void()> wait_hup = [&] {
      hup.async_wait([&](const boost::system::error_code& ec, int) {
        if (ec) return;
        log("daemon")->info("SIGHUP: reloading the configuration");
        orchestrator.reload();
        wait_hup();
      });
    };
    wait_hup();
    try {
      io.run();
    } catch (const std::exception& e) {
      log("daemon")->critical("unexpected error: {}", e.what());
      status = 1;
    }
    (*server)->stop();
    pool.join();
  }
  spdlog::shutdown();
  return status;
}

}  // namespace gavel::daemon
