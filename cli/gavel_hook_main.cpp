// gavel-hook: the fast client the installed git hooks call (`gavel-hook pre-commit`,
// `gavel-hook post-commit`); see cli/hook_fast.hpp. Links only the protocol and client
// libraries (no libgit2, libcurl, sqlite or toml), so it starts in about a millisecond.
#include "cli/hook_fast.hpp"

#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  gavel::cli::FastHookArgs args;
  CLI::App app{"gavel-hook: gavel's git hooks, fast path (falls back to `gavel hook ...`)"};
  app.require_subcommand(1);
  CLI::App* pre = app.add_subcommand("pre-commit", "The gate: may the staged change be committed?");
  CLI::App* post = app.add_subcommand("post-commit", "Attach the passed review to HEAD as a note");
  for (CLI::App* sub : {pre, post}) {
    sub->add_option("-C", args.dir, "Run as if started in this directory");
    sub->add_option("-c", args.overrides, "Configuration override section.key=value (full gate)");
  }
  CLI11_PARSE(app, argc, argv);
  if (pre->parsed()) return gavel::cli::fast_pre_commit(args);
  return gavel::cli::fast_post_commit(args);
}
