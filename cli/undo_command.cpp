// `gavel undo [-C DIR] [N] [--force] [--list] [--json]`: puts the working tree back as it was
// before gavel applied a patch (docs/cli.md). Works on the repository directly; no daemon.
#include "base/clock.hpp"
#include "cli/cli.hpp"
#include "cli/commands.hpp"

#include "git/undo.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <iostream>
#include <optional>

namespace gavel::cli {

namespace {

struct UndoArgs {
  std::string dir = ".";
  std::optional<int> number;
  bool force = false;
  bool list = false;
  bool json = false;
};

std::string when(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  char buf[32];
  std::tm tm{};
  localtime_r(&t, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

nlohmann::json point_json(const git::UndoPoint& p) {
  return {{"number", p.number}, {"ref", p.ref},       {"commit", p.commit},
          {"head", p.head},     {"reason", p.reason}, {"time_ms", p.time_ms}};
}

int fail_with(const Error& e) {
  std::cerr << "gavel undo: " << e.message << "\n";
  switch (e.code) {
    case Errc::not_found: return k_exit_usage;
    case Errc::not_a_repository:
    case Errc::bare_repository:
    case Errc::corrupt:
    case Errc::conflict: return k_exit_data;
    default: return k_exit_internal;
  }
}

int list(const UndoArgs& a) {
  auto points = git::list_undo_points(a.dir);
  if (!points) return fail_with(points.error());
  if (a.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : *points) out.push_back(point_json(p));
    std::cout << out.dump(2) << "\n";
    return k_exit_ok;
  }
  if (points->empty()) std::cout << "no undo points\n";
  for (const auto& p : *points) {
    std::cout << p.number << "  " << when(p.time_ms) << "  " << p.reason << "\n";
  }
  return k_exit_ok;
}

int run_undo(const UndoArgs& a) {
  if (a.list) return list(a);
  auto done = git::undo(a.dir, a.number, unix_now_ms(),
                        a.force ? git::UndoHead::any : git::UndoHead::must_match);
  if (!done) return fail_with(done.error());
  if (a.json) {
    std::cout << nlohmann::json{{"restored", point_json(done->restored)},
                                {"saved", point_json(done->saved)},
                                {"changed", done->changed}}
                     .dump(2)
              << "\n";
    return k_exit_ok;
  }
  std::cout << "restored the working tree of undo point " << done->restored.number << " ("
            << done->restored.reason << "): " << done->changed.size() << " file(s) changed\n";
  for (const auto& path : done->changed) std::cout << "  " << path << "\n";
  std::cout << "the state before this undo is undo point " << done->saved.number
            << "; `gavel undo " << done->saved.number << "` brings it back\n";
  return k_exit_ok;
}

}  // namespace

Runner attach_undo(CLI::App& app) {
  auto args = std::make_shared<UndoArgs>();
  app.add_option("number", args->number, "Undo point to restore (default: the latest)");
  app.add_flag("--list", args->list, "List the undo points instead");
  app.add_flag("--force", args->force, "Restore even though HEAD moved since the point was saved");
  app.add_flag("--json", args->json, "Print the result as JSON");
  app.add_option("-C", args->dir, "Run as if started in this directory");
  return [args] { return run_undo(*args); };
}

}  // namespace gavel::cli
