#include "cli/commands.hpp"

#include <array>

namespace gavel::cli {

namespace {

constexpr std::array k_commands{
    Command{"review", "Review the uncommitted change: --once runs the whole loop in the foreground",
            &attach_review},
    Command{"undo", "Put the working tree back as it was before gavel applied a patch",
            &attach_undo},
    Command{"demo", "Run the two-agent loop on throwaway repositories (builtin agents, offline)",
            &attach_demo},
    Command{"snapshot", "Print the uncommitted change as gavel sees it (files, hunks, fingerprint)",
            &attach_snapshot},
};

}  // namespace

std::span<const Command> commands() { return k_commands; }

}  // namespace gavel::cli
