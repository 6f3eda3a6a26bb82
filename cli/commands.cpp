#include "cli/commands.hpp"

#include <array>

namespace gavel::cli {

namespace {

constexpr std::array k_commands{
    Command{"snapshot", "Print the uncommitted change as gavel sees it (files, hunks, fingerprint)",
            &attach_snapshot},
};

}  // namespace

std::span<const Command> commands() { return k_commands; }

}  // namespace gavel::cli
