#include "cli/commands.hpp"

#include <array>

namespace gavel::cli {

namespace {

constexpr std::array k_commands{
    Command{"status", "Show the daemon and this repository's review: state, round, escalation",
            &attach_status},
    Command{"findings", "List this repository's open findings (--all: every state)",
            &attach_findings},
    Command{"show", "Show one finding: body, titles, history, suggested fix", &attach_show},
    Command{"decide", "Decide a finding: uphold, dismiss or waive, with --reason",
            &attach_decide},
    Command{"arbitrate", "Walk the escalated findings and decide each one", &attach_arbitrate},
    Command{"watch", "Register repositories with the daemon (add, remove, list)", &attach_watch},
    Command{"daemon", "Start, stop or query gaveld (start, stop, status)", &attach_daemon},
    Command{"export", "Export this repository's findings as JSON, SARIF or Markdown",
            &attach_export},
    Command{"doctor", "Check the configuration, agents, daemon socket and inotify limits",
            &attach_doctor},
    Command{"review", "Review the uncommitted change: --once runs the whole loop in the foreground",
            &attach_review},
    Command{"undo", "Put the working tree back as it was before gavel applied a patch",
            &attach_undo},
    Command{"demo", "Run the two-agent loop on throwaway repositories (builtin agents, offline)",
            &attach_demo},
    Command{"snapshot", "Print the uncommitted change as gavel sees it (files, hunks, fingerprint)",
            &attach_snapshot},
    Command{"hook", "Install the git pre-commit gate (install, uninstall; run, post-commit for git)",
            &attach_hook},
    Command{"log", "Show the review record gavel attached to a commit (refs/notes/gavel)",
            &attach_log},
};

}  // namespace

std::span<const Command> commands() { return k_commands; }

}  // namespace gavel::cli
