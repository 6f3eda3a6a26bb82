#include "review/priority.hpp"

#include <array>
#include <utility>

namespace gavel::review {

namespace {

constexpr std::array<std::pair<FindingState, std::string_view>, 11> k_state_names{{
    {FindingState::open, "open"},
    {FindingState::fixed, "fixed"},
    {FindingState::verified, "verified"},
    {FindingState::reopened, "reopened"},
    {FindingState::disputed, "disputed"},
    {FindingState::withdrawn, "withdrawn"},
    {FindingState::insisted, "insisted"},
    {FindingState::escalated, "escalated"},
    {FindingState::upheld, "upheld"},
    {FindingState::dismissed, "dismissed"},
    {FindingState::waived, "waived"},
}};

}  // namespace

std::string_view to_string(Priority p) noexcept {
  switch (p) {
    case Priority::p0: return "P0";
    case Priority::p1: return "P1";
    case Priority::p2: return "P2";
    case Priority::p3: return "P3";
  }
  return "P2";
}

std::string_view to_string(FindingState s) noexcept {
  for (const auto& [state, name] : k_state_names) {
    if (state == s) return name;
  }
  return "open";
}

std::optional<FindingState> finding_state_from_string(std::string_view s) noexcept {
  for (const auto& [state, name] : k_state_names) {
    if (name == s) return state;
  }
  return std::nullopt;
}

}  // namespace gavel::review
