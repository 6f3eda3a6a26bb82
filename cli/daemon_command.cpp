// `gavel daemon start|stop|status` (docs/cli.md): start gaveld detached and wait for its socket,
// ask it to stop, or print its status.
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/daemon_client.hpp"
#include "cli/finding_view.hpp"

#include <iostream>
#include <thread>

namespace gavel::cli {

namespace {

namespace pr = protocol;

struct DaemonArgs {
  bool json = false;
  CLI::App* start = nullptr;
  CLI::App* stop = nullptr;
  CLI::App* status = nullptr;
};

void print_status(const pr::StatusResponse& s, const std::string& socket) {
  std::cout << "gaveld " << s.version << " (pid " << s.pid << ") on " << socket << "\n"
            << "up " << s.uptime_ms / 1000 << " s, " << s.active_sessions << " running session"
            << (s.active_sessions == 1 ? "" : "s") << "\nwatching " << s.repos.size()
            << " repositor" << (s.repos.size() == 1 ? "y" : "ies") << "\n";
  for (const auto& r : s.repos) std::cout << "  " << r << "\n";
}

int run_daemon_cmd(const DaemonArgs& a) {
  const std::string socket = daemon_socket_path();
  if (a.start->parsed()) {
    if (auto c = connect_daemon(StartDaemon::never)) {
      std::cout << "gaveld is already running on " << socket << "\n";
      return k_exit_ok;
    }
    if (auto s = start_daemon(std::chrono::seconds(10)); !s) return report_error(s.error());
    std::cout << "gaveld started on " << socket << "\n";
    return k_exit_ok;
  }
  auto c = connect_daemon(StartDaemon::never);
  if (!c) return report_error(c.error());
  if (a.stop->parsed()) {
    auto r = c->call(pr::ShutdownRequest{});
    if (!r) return report_error(r.error());
    // Wait (briefly) until the socket stops answering, so `start` right after works.
    for (int i = 0; i < 100 && client::Client::connect(socket); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::cout << "gaveld stopped\n";
    return k_exit_ok;
  }
  auto s = c->call(pr::StatusRequest{});
  if (!s) return report_error(s.error());
  if (a.json) {
    auto j = to_wire_json(*s);
    j["socket"] = socket;
    std::cout << j.dump(2) << "\n";
  } else {
    print_status(*s, socket);
  }
  return k_exit_ok;
}

}  // namespace

Runner attach_daemon(CLI::App& app) {
  auto args = std::make_shared<DaemonArgs>();
  app.require_subcommand(1);
  args->start = app.add_subcommand("start", "Start gaveld in the background and wait until it answers");
  args->stop = app.add_subcommand("stop", "Ask gaveld to stop");
  args->status = app.add_subcommand("status", "Print gaveld's version, uptime and repositories");
  args->status->add_flag("--json", args->json, "Print the status as JSON");
  return [args] { return run_daemon_cmd(*args); };
}

}  // namespace gavel::cli
