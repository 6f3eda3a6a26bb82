// Planning the requests of a review round under a size budget, and the coverage statement.
#include "review/chunk.hpp"

#include <algorithm>

namespace gavel::review {

namespace {

// A piece of one file's patch that travels whole: the file header plus some hunks.
struct Piece {
  std::string path;
  std::string text;
  bool partial = false;
};

void add_unique(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

// Cuts one file into pieces of at most `budget` bytes (header repeated in each), hunk by hunk,
// splitting a hunk by lines when it alone is over. Records over-budget pieces in `plan`.
std::vector<Piece> file_pieces(const FileDiff& file, std::size_t budget, ChunkPlan& plan) {
  const std::string& path = file.path();
  std::string header = render_file_header(file);
  std::string whole = header;
  if (!file.binary && !file.submodule) {
    for (const Hunk& h : file.hunks) whole += render_hunk(h);
  }
  if (budget == 0 || whole.size() <= budget) return {{path, std::move(whole), false}};

  std::vector<std::string> hunk_texts;
  std::size_t room = budget > header.size() ? budget - header.size() : 0;
  for (const Hunk& h : file.hunks) {
    std::string text = render_hunk(h);
    if (text.size() <= room) {
      hunk_texts.push_back(std::move(text));
      continue;
    }
    for (const Hunk& part : split_hunk(h, room)) hunk_texts.push_back(render_hunk(part));
  }
  std::vector<Piece> pieces;
  Piece current{path, header, true};
  bool has_hunk = false;
  for (std::string& text : hunk_texts) {
    if (has_hunk && current.text.size() + text.size() > budget) {
      pieces.push_back(std::move(current));
      current = Piece{path, header, true};
      has_hunk = false;
    }
    current.text += text;
    has_hunk = true;
  }
  pieces.push_back(std::move(current));
  for (const Piece& p : pieces) {
    if (p.text.size() > budget) add_unique(plan.over_budget, path);
  }
  if (pieces.size() == 1) pieces.front().partial = false;
  return pieces;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

ChunkPlan plan_chunks(const Changeset& change, std::size_t budget_bytes) {
  ChunkPlan plan;
  plan.budget_bytes = budget_bytes;
  plan.changed_files = change.files.size();
  std::vector<Piece> pieces;
  for (const FileDiff& file : change.files) {
    if (file.submodule) {
      plan.not_reviewed.push_back({file.path(), "submodule: its content is not descended"});
    } else if (file.binary) {
      plan.not_reviewed.push_back({file.path(), "binary file: content not reviewed"});
    }
    std::vector<Piece> parts = file_pieces(file, budget_bytes, plan);
    if (parts.size() > 1) plan.split_files.push_back(file.path());
    for (Piece& p : parts) pieces.push_back(std::move(p));
  }
  for (Piece& p : pieces) {
    bool fits = !plan.chunks.empty() &&
                (budget_bytes == 0 ||
                 plan.chunks.back().patch.size() + p.text.size() <= budget_bytes);
    if (!fits) plan.chunks.emplace_back();
    Chunk& c = plan.chunks.back();
    c.patch += p.text;
    add_unique(c.files, p.path);
    if (p.partial) add_unique(c.partial_files, p.path);
  }
  return plan;
}

std::string coverage_note(const ChunkPlan& plan, const std::vector<Unreviewed>& extra) {
  std::vector<Unreviewed> missing = plan.not_reviewed;
  missing.insert(missing.end(), extra.begin(), extra.end());
  std::vector<std::string> missing_paths;
  for (const Unreviewed& u : missing) add_unique(missing_paths, u.path);
  std::size_t reviewed = plan.changed_files >= missing_paths.size()
                             ? plan.changed_files - missing_paths.size()
                             : 0;
  std::string note;
  if (plan.changed_files == 0) {
    note = "The change has no files.";
  } else if (missing.empty()) {
    note = "All " + std::to_string(plan.changed_files) + " changed file(s) reviewed";
  } else {
    note = "Reviewed " + std::to_string(reviewed) + " of " + std::to_string(plan.changed_files) +
           " changed file(s)";
  }
  if (plan.changed_files != 0) {
    note += plan.chunks.size() == 1
                ? " in one request."
                : " in " + std::to_string(plan.chunks.size()) + " requests (budget " +
                      std::to_string(plan.budget_bytes) + " bytes each).";
  }
  if (!plan.split_files.empty()) note += " Split by hunks: " + join(plan.split_files) + ".";
  if (!plan.over_budget.empty()) {
    note += " Sent over the budget (a hunk line longer than it): " + join(plan.over_budget) + ".";
  }
  if (!missing.empty()) {
    note += " Not reviewed:";
    for (std::size_t i = 0; i < missing.size(); ++i) {
      note += (i == 0 ? " " : "; ") + missing[i].path + " (" + missing[i].reason + ")";
    }
    note += ".";
  }
  return note;
}

}  // namespace gavel::review
