#pragma once
// Wire names of the protocol's enums ("converged", "dismiss", "no_session", ...) and their
// parsers. Used by the JSON codec and by the CLI when it prints. Pure.

#include "protocol/types.hpp"

#include <optional>
#include <string_view>

namespace gavel::protocol {

std::string_view to_string(SessionState s) noexcept;
std::string_view to_string(Decision d) noexcept;
std::string_view to_string(GateStatus g) noexcept;

std::optional<SessionState> session_state_from_string(std::string_view s) noexcept;
std::optional<Decision> decision_from_string(std::string_view s) noexcept;
std::optional<GateStatus> gate_status_from_string(std::string_view s) noexcept;
// "P0".."P3" (also "p1"); review::to_string(Priority) is the inverse.
std::optional<review::Priority> priority_from_string(std::string_view s) noexcept;

}  // namespace gavel::protocol
