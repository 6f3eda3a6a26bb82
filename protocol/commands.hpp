#pragma once
// The control protocol's command table: one row per command, in one explicit array (STYLE rule
// 4). The request decoder, the daemon's dispatcher, the client and docs/protocol.md's checklist
// test all read it. The order of `Command` is the order of the `Request` and `Response` variants
// in protocol/messages.hpp (a static_assert there keeps them in step).

#include <optional>
#include <span>
#include <string_view>

namespace gavel::protocol {

enum class Command {
  status,
  repo_add,
  repo_remove,
  repo_list,
  review_start,
  review_cancel,
  session_list,
  session_show,
  findings_list,
  finding_show,
  decide,
  gate_check,
  undo,
  subscribe,
  shutdown,
  note_attach,
};

struct CommandInfo {
  Command command;
  std::string_view name;  // on the wire: "repo.add"
  std::string_view help;  // one line
};

// Every command, in `Command` order.
std::span<const CommandInfo> commands() noexcept;

// The wire name of `c`.
std::string_view to_string(Command c) noexcept;

// The command named `name`, or nullopt for an unknown name.
std::optional<Command> command_from_name(std::string_view name) noexcept;

}  // namespace gavel::protocol
