// `gavel log [-C DIR] [REV] [--json]`: the review record the post-commit hook attached to a
// commit as a note under refs/notes/gavel (docs/cli.md). No daemon needed.
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/session_output.hpp"
#include "git/notes.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <unistd.h>

namespace gavel::cli {

namespace {

struct LogArgs {
  std::string dir = ".";
  std::string rev = "HEAD";
  bool json = false;
};

void print_record(const std::string& commit, const nlohmann::json& r) {
  const Style style{use_color(STDOUT_FILENO)};
  std::cout << style.bold("commit " + commit) << "\n";
  auto str = [&](const char* key) {
    return r.contains(key) && r[key].is_string() ? r[key].get<std::string>() : std::string();
  };
  std::cout << "  gate:     " << r.value("/gate/status"_json_pointer, std::string("?"))
            << (r.contains("gate") && r["gate"].value("mode", "") == "inline" ? " (inline review)" : "")
            << "\n";
  if (!str("session").empty()) std::cout << "  session:  " << str("session") << "\n";
  if (!str("verdict").empty()) std::cout << "  verdict:  " << str("verdict") << "\n";
  if (r.contains("rounds")) {
    std::cout << "  rounds:   " << (r["rounds"].is_array() ? r["rounds"].size()
                                                            : r["rounds"].get<std::size_t>())
              << "\n";
  }
  if (r.contains("agents")) {
    std::cout << "  agents:  ";
    for (const auto& a : r["agents"]) std::cout << " " << a.get<std::string>();
    std::cout << "\n";
  }
  if (r.contains("usage")) std::cout << "  tokens:   " << r["usage"].value("tokens", 0) << "\n";
  std::cout << "  fingerprint: " << str("fingerprint") << "\n  findings:\n";
  const auto findings = r.value("findings", nlohmann::json::array());
  if (findings.empty()) std::cout << "    (none)\n";
  for (const auto& f : findings) {
    std::cout << "    " << f.value("id", "") << "  " << f.value("priority", "") << "  "
              << f.value("state", "") << "  " << f.value("path", "") << "  " << f.value("title", "")
              << "\n";
    for (const auto& h : f.value("history", nlohmann::json::array())) {
      if (h.value("actor", "").rfind("human:", 0) != 0) continue;
      std::cout << "      " << h.value("to", "") << " by " << h.value("actor", "") << ": "
                << h.value("reason", "") << "\n";
    }
  }
}

int run_log(const LogArgs& a) {
  auto commit = git::resolve_commit(a.dir, a.rev);
  if (!commit) {
    std::cerr << "gavel: " << commit.error().message << "\n";
    return commit.error().code == Errc::not_found ? k_exit_usage : k_exit_data;
  }
  auto note = git::read_note(a.dir, *commit);
  if (!note) {
    std::cerr << "gavel: " << note.error().message << "\n";
    return k_exit_data;
  }
  if (!*note) {
    std::cerr << "gavel: commit " << commit->substr(0, 12)
              << " has no gavel review note (committed without the gate, or with --no-verify)\n";
    return 1;
  }
  const auto record = nlohmann::json::parse(**note, nullptr, false);
  if (a.json) {
    nlohmann::json out = {{"commit", *commit},
                          {"record", record.is_discarded() ? nlohmann::json(**note) : record}};
    std::cout << out.dump(2) << "\n";
  } else if (record.is_discarded() || !record.is_object()) {
    std::cout << **note;
  } else {
    print_record(*commit, record);
  }
  return k_exit_ok;
}

}  // namespace

Runner attach_log(CLI::App& app) {
  auto args = std::make_shared<LogArgs>();
  app.add_option("REV", args->rev, "The commit (default HEAD)");
  app.add_option("-C", args->dir, "Run as if started in this directory");
  app.add_flag("--json", args->json, "Print {commit, record} as JSON");
  return [args] { return run_log(*args); };
}

}  // namespace gavel::cli
