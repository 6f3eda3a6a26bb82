#pragma once
// Parsers for configuration values given as text (from TOML, the environment or -c key=value).
// Each writes `out` only on success and says what it expected on failure.

#include "base/error.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace gavel::config {

Result<void> parse_int(std::string_view text, std::int64_t lo, std::int64_t hi, std::int64_t& out);
Result<void> parse_int(std::string_view text, int lo, int hi, int& out);
Result<void> parse_number(std::string_view text, double lo, double hi, double& out);
Result<void> parse_ms(std::string_view text, std::int64_t lo, std::int64_t hi,
                      std::chrono::milliseconds& out);
Result<void> parse_seconds(std::string_view text, std::int64_t lo, std::int64_t hi,
                           std::chrono::seconds& out);
// "P0".."P2" (or "0".."2") -> 0..2.
Result<void> parse_priority(std::string_view text, int& out);
Result<void> parse_log_level(std::string_view text, std::string& out);

// One of a fixed set of names; `choices` pairs each name with its value.
template <class E, std::size_t N>
Result<void> parse_choice(std::string_view text, const std::array<std::pair<std::string_view, E>, N>& choices,
                          E& out) {
  std::string expected;
  for (const auto& [name, value] : choices) {
    if (name == text) {
      out = value;
      return {};
    }
    expected += expected.empty() ? "" : ", ";
    expected += name;
  }
  return fail(Errc::config, "expected one of " + expected + ", got \"" + std::string(text) + "\"");
}

template <class E, std::size_t N>
std::string choice_name(const std::array<std::pair<std::string_view, E>, N>& choices, E value) {
  for (const auto& [name, v] : choices) {
    if (v == value) return std::string(name);
  }
  return "?";
}

}  // namespace gavel::config
