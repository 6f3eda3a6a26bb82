#include "protocol/names.hpp"

#include <array>
#include <utility>

namespace gavel::protocol {

namespace {

constexpr std::array<std::pair<SessionState, std::string_view>, 7> k_session_states{{
    {SessionState::running, "running"},
    {SessionState::converged, "converged"},
    {SessionState::blocked, "blocked"},
    {SessionState::escalated, "escalated"},
    {SessionState::exhausted, "exhausted"},
    {SessionState::infra_failure, "infra_failure"},
    {SessionState::cancelled, "cancelled"},
}};

constexpr std::array<std::pair<Decision, std::string_view>, 3> k_decisions{{
    {Decision::uphold, "uphold"},
    {Decision::dismiss, "dismiss"},
    {Decision::waive, "waive"},
}};

constexpr std::array<std::pair<GateStatus, std::string_view>, 4> k_gate_statuses{{
    {GateStatus::pass, "pass"},
    {GateStatus::block, "block"},
    {GateStatus::pending, "pending"},
    {GateStatus::no_session, "no_session"},
}};

template <class E, std::size_t N>
std::string_view name_in(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return table.front().second;
}

template <class E, std::size_t N>
std::optional<E> value_in(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(SessionState s) noexcept { return name_in(k_session_states, s); }
std::string_view to_string(Decision d) noexcept { return name_in(k_decisions, d); }
std::string_view to_string(GateStatus g) noexcept { return name_in(k_gate_statuses, g); }

std::optional<SessionState> session_state_from_string(std::string_view s) noexcept {
  return value_in(k_session_states, s);
}
std::optional<Decision> decision_from_string(std::string_view s) noexcept {
  return value_in(k_decisions, s);
}
std::optional<GateStatus> gate_status_from_string(std::string_view s) noexcept {
  return value_in(k_gate_statuses, s);
}

std::optional<review::Priority> priority_from_string(std::string_view s) noexcept {
  if (s.size() != 2 || (s[0] != 'P' && s[0] != 'p') || s[1] < '0' || s[1] > '3') {
    return std::nullopt;
  }
  return static_cast<review::Priority>(s[1] - '0');
}

}  // namespace gavel::protocol
