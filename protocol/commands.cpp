#include "protocol/commands.hpp"

#include <array>

namespace gavel::protocol {

namespace {

constexpr std::array<CommandInfo, 16> k_commands{{
    {Command::status, "status", "daemon version, uptime, registered repositories, sessions"},
    {Command::repo_add, "repo.add", "register a repository to watch and review"},
    {Command::repo_remove, "repo.remove", "stop watching a repository"},
    {Command::repo_list, "repo.list", "list registered repositories"},
    {Command::review_start, "review.start", "start a review session on a repository now"},
    {Command::review_cancel, "review.cancel", "cancel a running review session"},
    {Command::session_list, "session.list", "list review sessions"},
    {Command::session_show, "session.show", "one session with its rounds and findings"},
    {Command::findings_list, "findings.list", "list a repository's findings"},
    {Command::finding_show, "finding.show", "one finding with its history"},
    {Command::decide, "decide", "a human decision on a finding: uphold, dismiss or waive"},
    {Command::gate_check, "gate.check", "may this staged snapshot be committed? (pre-commit hook)"},
    {Command::undo, "undo", "restore the working tree saved before gavel last applied a patch"},
    {Command::subscribe, "subscribe", "turn this connection into a stream of events"},
    {Command::shutdown, "shutdown", "stop the daemon"},
    {Command::note_attach, "note.attach", "attach the passed review record to HEAD (post-commit hook)"},
}};

constexpr bool table_in_enum_order() {
  for (std::size_t i = 0; i < k_commands.size(); ++i) {
    if (static_cast<std::size_t>(k_commands[i].command) != i) return false;
  }
  return true;
}
static_assert(table_in_enum_order(), "k_commands must list every Command in enum order");

}  // namespace

std::span<const CommandInfo> commands() noexcept { return k_commands; }

std::string_view to_string(Command c) noexcept {
  const auto i = static_cast<std::size_t>(c);
  return i < k_commands.size() ? k_commands[i].name : std::string_view("unknown");
}

std::optional<Command> command_from_name(std::string_view name) noexcept {
  for (const auto& row : k_commands) {
    if (row.name == name) return row.command;
  }
  return std::nullopt;
}

}  // namespace gavel::protocol
