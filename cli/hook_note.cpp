// `gavel hook post-commit`: attaches the review record the gate saved to the new commit as a
// note under refs/notes/gavel (git/pending_note.hpp does the work; gaveld's note.attach does the
// same for the fast hook client, cli/gavel_hook_main.cpp).
#include "cli/hook_gate.hpp"

#include <iostream>

namespace gavel::cli {

int run_post_commit(const std::string& dir) {
  const git::NoteOutcome outcome = git::attach_pending_note(dir);
  if (!outcome.message.empty()) std::cerr << "gavel: " << outcome.message << "\n";
  return 0;  // post-commit can change nothing
}

}  // namespace gavel::cli
