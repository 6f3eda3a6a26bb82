// `gavel doctor [-C DIR] [--json]` (docs/cli.md): is everything gavel needs in place? The
// configuration loads, the configured agents resolve and their programs exist, the daemon's
// socket answers, and inotify has room to watch. Never starts the daemon. Exit 0 when every
// check passed, 1 when one failed.
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/daemon_client.hpp"

#include "agents/agent_factory.hpp"
#include "loop/repo_config.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace gavel::cli {

namespace {

struct DoctorArgs {
  std::string dir = ".";
  bool json = false;
  std::vector<std::string> overrides;
};

struct Check {
  std::string name;
  bool ok = true;
  std::string detail;
};

bool on_path(const std::string& program) {
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

Check agent_check(const config::Config& config, const std::string& role, const std::string& name) {
  Check c{"agent " + role + " (" + name + ")", true, ""};
  auto spec = agents::resolve_agent(config, name);
  if (!spec) return {c.name, false, spec.error().message};
  switch (spec->kind) {
    case config::AgentKind::builtin: c.detail = "builtin"; break;
    case config::AgentKind::http:
      c.detail = spec->http.base_url;
      if (!spec->http.api_key_env.empty() && !std::getenv(spec->http.api_key_env.c_str())) {
        c.ok = false;
        c.detail += "; $" + spec->http.api_key_env + " is not set";
      }
      break;
    case config::AgentKind::process: {
      const auto& argv = role == "reviewer" ? spec->process.reviewer_argv
                                            : spec->process.implementer_argv;
      const std::string program = argv.empty() ? std::string() : argv[0];
      c.ok = !program.empty() && on_path(program);
      c.detail = c.ok ? program : "program not found: " + (program.empty() ? "(none)" : program);
      break;
    }
  }
  return c;
}

Check inotify_check() {
  std::ifstream in("/proc/sys/fs/inotify/max_user_watches");
  long watches = 0;
  if (!(in >> watches)) return {"inotify watches", true, "unknown (the daemon polls if it runs out)"};
  Check c{"inotify watches", watches >= 8192, "max_user_watches = " + std::to_string(watches)};
  if (!c.ok) c.detail += " (raise fs.inotify.max_user_watches; the daemon polls when it runs out)";
  return c;
}

int run_doctor(const DoctorArgs& a) {
  std::vector<Check> checks;
  auto config = loop::load_config(a.dir, a.overrides);
  checks.push_back({"configuration", bool(config), config ? "valid" : config.error().message});
  if (config) {
    checks.push_back(agent_check(*config, "reviewer", config->review.reviewer));
    checks.push_back(agent_check(*config, "implementer", config->review.implementer));
  }
  const std::string socket = daemon_socket_path();
  auto c = connect_daemon(StartDaemon::never);
  const bool up = c && c->call(protocol::StatusRequest{});
  checks.push_back({"daemon", up, up ? "answers on " + socket : "nothing answers on " + socket +
                                                                    " (gavel daemon start)"});
  auto gaveld = find_gaveld();
  checks.push_back({"gaveld executable", bool(gaveld),
                    gaveld ? gaveld->string() : gaveld.error().message});
  checks.push_back(inotify_check());
  bool all = true;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& ch : checks) {
    all = all && ch.ok;
    out.push_back({{"check", ch.name}, {"ok", ch.ok}, {"detail", ch.detail}});
  }
  if (a.json) {
    std::cout << out.dump(2) << "\n";
  } else {
    for (const auto& ch : checks) {
      std::cout << (ch.ok ? "ok    " : "FAIL  ") << ch.name << ": " << ch.detail << "\n";
    }
  }
  return all ? k_exit_ok : 1;
}

}  // namespace

Runner attach_doctor(CLI::App& app) {
  auto args = std::make_shared<DoctorArgs>();
  app.add_option("-C", args->dir, "Run as if started in this directory");
  app.add_flag("--json", args->json, "Print the checks as JSON");
  app.add_option("-c", args->overrides, "Configuration override section.key=value (repeatable)");
  return [args] { return run_doctor(*args); };
}

}  // namespace gavel::cli
