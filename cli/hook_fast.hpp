#pragma once
// The fast git hook client (`gavel-hook`, cli/gavel_hook_main.cpp): what the hooks installed by
// `gavel hook install` run when gavel-hook sits next to gavel. One socket round trip, no
// libgit2, no configuration files, so a reviewed commit pays for little more than a process
// start (docs/performance.md "## Hook").
//
// pre-commit: asks gaveld the index form of gate.check (the daemon takes the staged snapshot of
// HEAD vs $GIT_INDEX_FILE itself and saves the review record on pass). A `pass` that names the
// fingerprint it judged exits 0 with the line `gavel hook run` prints. Anything else (block,
// pending, no_session, no daemon, an error, a bad reply, no GIT_INDEX_FILE, -c overrides) execs
// the full gate, `gavel hook run`, with the same arguments and environment, which decides
// again from scratch: waiting, policies and messages stay in one place, and the fallback can
// only be stricter than the fast path, never turn a block into a pass.
// post-commit: asks gaveld `note.attach`; without a daemon (or on an error) it execs
// `gavel hook post-commit`.
//
// The fallback runs the `gavel` beside this executable, else `gavel` in PATH. If it cannot be
// started, pre-commit refuses the commit (exit 3, said so) and post-commit exits 0.

#include <string>
#include <vector>

namespace gavel::cli {

struct FastHookArgs {
  std::string dir = ".";                 // -C: the repository (git runs hooks at its top)
  std::vector<std::string> overrides;    // -c section.key=value: only the full gate reads them
};

int fast_pre_commit(const FastHookArgs& args);
int fast_post_commit(const FastHookArgs& args);

}  // namespace gavel::cli
