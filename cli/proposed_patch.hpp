#pragma once
// What becomes of the implementer's proposed patch after a foreground session (docs/cli.md,
// `review --once --apply`): applied to the working tree (after an undo point), saved under
// .git/gavel/patches/, or refused with the reason. Nothing is written to the working tree unless
// the loop converged and the policy allows it.
//
// Called by `gavel review --once` and `gavel demo` after the session ended.

#include "config/config.hpp"
#include "loop/session_types.hpp"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <ostream>
#include <string>

namespace gavel::cli {

struct PatchResult {
  // partial: applying failed after it had begun writing; undo_ref restores the tree.
  enum class State { none, applied, saved, refused, partial } state = State::none;
  std::string path;      // saved: where the patch file is
  std::string undo_ref;  // applied, partial: the undo point holding the tree as it was
  std::string message;   // for a person
};

// True when the agents agreed on a fix that is not in the developer's working tree (saved,
// refused or partial): the tree still has what the fix addresses.
bool fix_not_applied(const loop::SessionOutcome& outcome, const PatchResult& result);

PatchResult settle_patch(const std::filesystem::path& repo_dir, const loop::SessionOutcome& outcome,
                         config::ApplyPolicy policy, bool staged);

nlohmann::json to_json(const PatchResult& result);
void print_patch_result(std::ostream& out, const PatchResult& result);

}  // namespace gavel::cli
