// The pending review record between the pre-commit gate and the post-commit note
// (git/pending_note.hpp).
#include "git/pending_note.hpp"

#include "git/repository.hpp"

#include <fstream>
#include <sstream>

namespace gavel::git {

namespace fs = std::filesystem;

namespace {

fs::path note_file(const std::string& gitdir) { return fs::path(gitdir) / "gavel" / "pending-note.json"; }

// The saved document, removed from disk; discarded JSON when there is none.
nlohmann::json take_pending(const std::string& gitdir) {
  const fs::path file = note_file(gitdir);
  std::ifstream in(file, std::ios::binary);
  if (!in) return nlohmann::json(nlohmann::json::value_t::discarded);
  std::ostringstream text;
  text << in.rdbuf();
  in.close();
  clear_pending_note(gitdir);
  return nlohmann::json::parse(text.str(), nullptr, false);
}

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

NoteOutcome attach_pending_note(const fs::path& dir) {
  auto repo = Repository::open(dir);
  if (!repo) return {};
  nlohmann::json doc = take_pending(repo->gitdir());
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("record")) return {};
  std::vector<StagedEntry> entries;
  for (const auto& e : doc.value("entries", nlohmann::json::array())) {
    entries.push_back({e.value("path", ""), e.value("id", "")});
  }
  auto matches = commit_matches(*repo, "HEAD", doc.value("base", ""), entries);
  if (!matches || !*matches) {
    return {false, "", "HEAD is not the change the gate checked; no review note attached"};
  }
  if (auto written = write_note(*repo, "HEAD", doc["record"].dump(2) + "\n"); !written) {
    return {false, "", "could not attach the review note: " + written.error().message};
  }
  auto head = resolve_commit(*repo, "HEAD");
  return {true, head ? *head : std::string(), ""};
}

}  // namespace gavel::git
