#pragma once
// The wall clock as gavel records it: unix epoch milliseconds. Read only at the edges (the
// runner, the daemon, the CLI); review/ never reads a clock, times reach it inside events.

#include <chrono>
#include <cstdint>

namespace gavel {

inline std::int64_t unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace gavel
