#pragma once
// The wall clock as gavel records it: unix epoch milliseconds. Read only at the edges (the
// runner, the daemon, the CLI); review/ never reads a clock, times reach it inside events.

#include <chrono>
#include <cstdint>
#include <ctime>

namespace gavel {

inline std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The start of the local calendar day holding `at_ms` (daily budgets reset at local midnight).
inline std::int64_t local_day_start_ms(std::int64_t at_ms) {
  std::time_t t = static_cast<std::time_t>(at_ms / 1000);
  std::tm day{};
  if (!localtime_r(&t, &day)) return at_ms - at_ms % 86'400'000;
  day.tm_hour = day.tm_min = day.tm_sec = 0;
  day.tm_isdst = -1;
  return static_cast<std::int64_t>(std::mktime(&day)) * 1000;
}

}  // namespace gavel
