// fake_llm_server SCRIPT.json [--port N] [--log FILE]
//
// Serves a FakeLlmServer (tests/support/fake_llm_server.hpp) on 127.0.0.1 for tests that run a
// real agent CLI (codex, claude) against it. SCRIPT.json is a JSON array of replies, or
// {"replies": [...], "fallback": {...}} (format: tests/support/fake_llm_server_wire.hpp). Prints
// the port on stdout, then serves until SIGTERM or SIGINT. Every request is written as one JSON
// line ({method, target, path, endpoint, headers, body}) to FILE, or to stderr without --log.
// Exit status: 0 after a signal, 2 on a bad command line or script.

#include "tests/support/fake_llm_server.hpp"

#include <pthread.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>

namespace {

int usage() {
  std::cerr << "usage: fake_llm_server SCRIPT.json [--port N] [--log FILE]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string script_path;
  std::string log_path;
  int port = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--log" && i + 1 < argc) {
      log_path = argv[++i];
    } else if (arg == "--port" && i + 1 < argc) {
      port = std::stoi(argv[++i]);
    } else if (script_path.empty() && !arg.starts_with("--")) {
      script_path = arg;
    } else {
      return usage();
    }
  }
  if (script_path.empty() || port < 0 || port > 65535) return usage();

  gavel::test::FakeScript script;
  try {
    std::ifstream in(script_path);
    if (!in) throw std::invalid_argument("cannot read " + script_path);
    script = gavel::test::fake_script_from_json(nlohmann::json::parse(in));
  } catch (const std::exception& e) {
    std::cerr << "fake_llm_server: " << e.what() << "\n";
    return 2;
  }

  // Block the stop signals before the server thread starts, so that only sigwait sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::ofstream log_file;
  if (!log_path.empty()) log_file.open(log_path, std::ios::app);
  std::ostream& log = log_path.empty() ? std::cerr : log_file;
  std::mutex log_mutex;

  gavel::test::FakeLlmServer server(static_cast<std::uint16_t>(port));
  server.enqueue(std::move(script.replies));
  server.set_fallback(std::move(script.fallback));
  server.on_request([&](const gavel::test::FakeRequest& request) {
    std::lock_guard lock(log_mutex);
    log << gavel::test::to_json(request).dump() << std::endl;
  });
  std::cout << server.port() << std::endl;

  int signal = 0;
  sigwait(&stop_signals, &signal);
  return 0;
}
