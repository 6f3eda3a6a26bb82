// `gavel snapshot [--staged] [--json] [--patch] [-C DIR] [PATH...]`: the uncommitted change as
// gavel sees it. Reads the repository in this process (no daemon) and never writes to it.
// Output formats are documented in docs/git.md ("gavel snapshot").
#include "cli/cli.hpp"
#include "cli/commands.hpp"

#include "git/snapshot.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace gavel::cli {

namespace {

struct SnapshotArgs {
  bool staged = false;
  bool json = false;
  bool patch = false;
  std::string dir = ".";
  std::vector<std::string> paths;
};

const char* status_name(review::FileStatus s) {
  switch (s) {
    case review::FileStatus::added: return "added";
    case review::FileStatus::deleted: return "deleted";
    case review::FileStatus::modified: return "modified";
    case review::FileStatus::renamed: return "renamed";
    case review::FileStatus::copied: return "copied";
    case review::FileStatus::type_changed: return "type_changed";
  }
  return "modified";
}

char status_letter(const review::FileDiff& f) {
  if (f.untracked) return '?';
  switch (f.status) {
    case review::FileStatus::added: return 'A';
    case review::FileStatus::deleted: return 'D';
    case review::FileStatus::renamed: return 'R';
    case review::FileStatus::copied: return 'C';
    case review::FileStatus::type_changed: return 'T';
    default: return 'M';
  }
}

std::string mode_text(std::uint32_t mode) {
  if (mode == 0) return "";
  std::ostringstream os;
  os << std::oct << mode;
  return os.str();
}

std::pair<int, int> counts(const review::FileDiff& f) {
  int add = 0, del = 0;
  for (const auto& h : f.hunks) {
    for (const auto& l : h.lines) {
      if (l.origin == review::LineOrigin::added) ++add;
      if (l.origin == review::LineOrigin::removed) ++del;
    }
  }
  return {add, del};
}

int exit_code_for(const Error& e) {
  switch (e.code) {
    case Errc::not_a_repository:
    case Errc::bare_repository:
    case Errc::corrupt: return k_exit_data;
    case Errc::invalid_argument: return k_exit_usage;
    default: return k_exit_internal;
  }
}

nlohmann::json to_json(const git::Snapshot& s, bool with_patch) {
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : s.changes.files) {
    const auto [add, del] = counts(f);
    files.push_back({{"status", status_name(f.status)}, {"old_path", f.old_path},
                     {"new_path", f.new_path}, {"old_mode", mode_text(f.old_mode)},
                     {"new_mode", mode_text(f.new_mode)}, {"old_id", f.old_id},
                     {"new_id", f.new_id}, {"similarity", f.similarity}, {"binary", f.binary},
                     {"submodule", f.submodule}, {"untracked", f.untracked},
                     {"additions", add}, {"deletions", del},
                     {"hunks", f.hunks.size()}});
  }
  nlohmann::json out = {
      {"kind", s.changes.kind == review::DiffKind::staged ? "staged" : "worktree"},
      {"base", s.changes.base_commit},
      {"fingerprint", s.changes.fingerprint},
      {"state",
       {{"operation", git::to_string(s.state.operation)}, {"branch", s.state.branch},
        {"detached", s.state.detached}, {"unborn", s.state.unborn}}},
      {"paths", s.paths},
      {"files", files},
  };
  if (with_patch) out["patch"] = s.patch();
  return out;
}

void print_text(const git::Snapshot& s) {
  const auto& st = s.state;
  std::cout << "base        " << (s.changes.base_commit.empty() ? "(empty tree)" : s.changes.base_commit);
  if (st.unborn) std::cout << " (unborn branch " << st.branch << ")";
  else if (st.detached) std::cout << " (detached HEAD)";
  else std::cout << " (" << st.branch << ")";
  std::cout << "\n";
  if (st.busy()) std::cout << "state       " << git::to_string(st.operation) << " in progress\n";
  std::cout << "kind        " << (s.changes.kind == review::DiffKind::staged ? "staged" : "worktree")
            << "\n";
  int total_add = 0, total_del = 0;
  for (const auto& f : s.changes.files) {
    const auto [add, del] = counts(f);
    total_add += add;
    total_del += del;
    std::cout << status_letter(f) << "  ";
    if (f.status == review::FileStatus::renamed || f.status == review::FileStatus::copied) {
      std::cout << f.old_path << " -> " << f.new_path << " (" << f.similarity << "%)";
    } else {
      std::cout << f.path();
    }
    if (f.binary) std::cout << "  binary";
    else if (f.submodule) std::cout << "  submodule";
    else std::cout << "  +" << add << " -" << del << "  " << f.hunks.size() << " hunk(s)";
    if (f.old_mode && f.new_mode && f.old_mode != f.new_mode) {
      std::cout << "  mode " << mode_text(f.old_mode) << " -> " << mode_text(f.new_mode);
    }
    std::cout << "\n";
  }
  std::cout << s.changes.files.size() << " file(s) changed, " << total_add << " insertion(s)(+), "
            << total_del << " deletion(s)(-)\n";
  std::cout << "fingerprint " << s.changes.fingerprint << "\n";
}

}  // namespace

Runner attach_snapshot(CLI::App& app) {
  auto args = std::make_shared<SnapshotArgs>();
  app.add_flag("--staged", args->staged, "The staged change (index vs HEAD) instead of the working tree");
  app.add_flag("--json", args->json, "Print one JSON object (see docs/git.md)");
  app.add_flag("--patch", args->patch, "Print the patch text (with --json: add a \"patch\" field)");
  app.add_option("-C", args->dir, "Run as if started in DIR")->type_name("DIR");
  app.add_option("paths", args->paths, "Limit to these repository-relative paths (no globs)");
  return [args] {
    auto reader = git::SnapshotReader::open(args->dir, git::ReaderMode::one_shot);
    if (!reader) {
      std::cerr << "gavel snapshot: " << reader.error().message << "\n";
      return exit_code_for(reader.error());
    }
    git::SnapshotOptions options;
    options.kind = args->staged ? review::DiffKind::staged : review::DiffKind::worktree;
    options.paths = args->paths;
    auto snap = reader->take(options);
    if (!snap) {
      std::cerr << "gavel snapshot: " << snap.error().message << "\n";
      return exit_code_for(snap.error());
    }
    if (args->json) {
      std::cout << to_json(*snap, args->patch).dump(2) << "\n";
    } else if (args->patch) {
      std::cout << snap->patch();
    } else {
      print_text(*snap);
    }
    std::cout.flush();
    return std::cout ? k_exit_ok : k_exit_internal;
  };
}

}  // namespace gavel::cli
