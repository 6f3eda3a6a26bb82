#include "cli/proposed_patch.hpp"

#include "base/clock.hpp"
#include "cli/session_output.hpp"
#include "git/repository.hpp"
#include "git/undo.hpp"
#include "git/worktree_apply.hpp"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>

namespace gavel::cli {

namespace {

PatchResult save(const std::filesystem::path& repo_dir, const loop::SessionOutcome& outcome,
                 std::string why) {
  PatchResult r;
  auto repo = git::Repository::open(repo_dir);
  if (!repo) return {PatchResult::State::refused, "", "", repo.error().message};
  const auto dir = std::filesystem::path(repo->gitdir()) / "gavel" / "patches";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const auto file = dir / (outcome.snapshot.substr(0, 16) + ".patch");
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << outcome.proposed_patch;
  out.close();
  if (ec || !out) {
    return {PatchResult::State::refused, "", "", "cannot save the patch to " + file.string()};
  }
  r.state = PatchResult::State::saved;
  r.path = file.string();
  r.message = std::move(why) + "; apply it with `git apply " + r.path + "`";
  return r;
}

bool ask_on_terminal(const std::string& patch) {
  if (::isatty(STDIN_FILENO) != 1) return false;
  std::cerr << terminal_safe(patch) << "\nApply this patch to your working tree? [y/N] " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace

bool fix_not_applied(const loop::SessionOutcome& outcome, const PatchResult& result) {
  if (!outcome.patch_error.empty()) return true;
  return !outcome.proposed_patch.empty() && result.state != PatchResult::State::applied;
}

PatchResult settle_patch(const std::filesystem::path& repo_dir, const loop::SessionOutcome& outcome,
                         config::ApplyPolicy policy, bool staged) {
  if (!outcome.patch_error.empty()) {
    return {PatchResult::State::refused, "", "", outcome.patch_error};
  }
  if (outcome.proposed_patch.empty()) return {};
  if (outcome.verdict != review::Verdict::converged) {
    return save(repo_dir, outcome, "the loop did not converge, so the proposed patch was not applied");
  }
  if (staged) return save(repo_dir, outcome, "a staged review never applies its patch");
  if (policy == config::ApplyPolicy::never) return save(repo_dir, outcome, "review.apply is never");
  if (policy == config::ApplyPolicy::ask && !ask_on_terminal(outcome.proposed_patch)) {
    return save(repo_dir, outcome, "not applied");
  }
  const auto points_before = git::list_undo_points(repo_dir);
  auto applied = git::apply_to_worktree(repo_dir, outcome.proposed_patch, outcome.snapshot,
                                        "gavel review: implementer's patch", unix_now_ms());
  if (!applied) {
    // An undo point made by this call means files may have been written before it failed.
    const auto points_after = git::list_undo_points(repo_dir);
    if (points_before && points_after && points_after->size() > points_before->size()) {
      return {PatchResult::State::partial, "", points_after->back().ref,
              applied.error().message + "; run `gavel undo` to restore the tree as it was"};
    }
    return save(repo_dir, outcome, "not applied: " + applied.error().message);
  }
  PatchResult r;
  r.state = PatchResult::State::applied;
  r.undo_ref = applied->undo_point.ref;
  r.message = "applied to " + std::to_string(applied->changed.size()) +
              " file(s); `gavel undo` restores the tree as it was (" + r.undo_ref + ")";
  return r;
}

nlohmann::json to_json(const PatchResult& r) {
  static constexpr const char* k_states[] = {"none", "applied", "saved", "refused", "partial"};
  return {{"state", k_states[static_cast<int>(r.state)]},
          {"path", r.path},
          {"undo_ref", r.undo_ref},
          {"message", r.message}};
}

void print_patch_result(std::ostream& out, const PatchResult& r) {
  if (r.state == PatchResult::State::none) return;
  out << "proposed patch: " << r.message << "\n";
}

}  // namespace gavel::cli
