#pragma once
// Names for review's enums, as they appear in JSON, exports and the terminal.

#include "review/finding.hpp"

#include <optional>
#include <string_view>

namespace gavel::review {

std::string_view to_string(Priority p) noexcept;  // "P0" .. "P3"
std::string_view to_string(FindingState s) noexcept;  // "open", "fixed", ...
std::optional<FindingState> finding_state_from_string(std::string_view s) noexcept;

}  // namespace gavel::review
