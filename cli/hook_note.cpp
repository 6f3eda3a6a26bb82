// The audit trail: the pre-commit gate saves the review record it passed on; the post-commit
// hook attaches it to the new commit as a note under refs/notes/gavel (git/notes.hpp).
#include "cli/hook_gate.hpp"

#include "git/repository.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace gavel::cli {

namespace fs = std::filesystem;

namespace {

fs::path note_file(const std::string& gitdir) { return fs::path(gitdir) / "gavel" / "pending-note.json"; }

}  // namespace

void clear_pending_note(const std::string& gitdir) {
  std::error_code ec;
  fs::remove(note_file(gitdir), ec);
}

void save_pending_note(const StagedChange& change, const nlohmann::json& record) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& e : change.entries) entries.push_back({{"path", e.path}, {"id", e.id}});
  const nlohmann::json doc = {{"base", change.base},
                              {"fingerprint", change.fingerprint},
                              {"entries", entries},
                              {"record", record}};
  const fs::path file = note_file(change.gitdir);
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  std::ofstream(file, std::ios::binary | std::ios::trunc) << doc.dump() << "\n";
}

int run_post_commit(const std::string& dir) {
  auto repo = git::Repository::open(dir);
  if (!repo) return 0;  // post-commit can change nothing; stay quiet
  const fs::path file = note_file(repo->gitdir());
  std::ifstream in(file, std::ios::binary);
  if (!in) return 0;
  std::ostringstream text;
  text << in.rdbuf();
  in.close();
  clear_pending_note(repo->gitdir());
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.contains("record")) return 0;
  std::vector<git::StagedEntry> entries;
  for (const auto& e : doc.value("entries", nlohmann::json::array())) {
    entries.push_back({e.value("path", ""), e.value("id", "")});
  }
  auto matches = git::commit_matches(dir, "HEAD", doc.value("base", ""), entries);
  if (!matches || !*matches) {
    std::cerr << "gavel: HEAD is not the change the gate checked; no review note attached\n";
    return 0;
  }
  auto written = git::write_note(dir, "HEAD", doc["record"].dump(2) + "\n");
  if (!written) {
    std::cerr << "gavel: could not attach the review note: " << written.error().message << "\n";
    return 0;
  }
  return 0;
}

}  // namespace gavel::cli
