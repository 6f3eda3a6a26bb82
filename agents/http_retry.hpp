#pragma once
// The timing and classification rules behind HttpAgent's retries, as pure functions.
//
// Called by HttpAgent on the io_context thread, and by tests. Nothing here does IO, sleeps or
// reads a clock: the current time and the jitter draw come in as arguments.

#include "agents/agent.hpp"
#include "agents/http_transport.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gavel::agents {

// How long a server asked us to wait: `retry_after_ms` (OpenAI's `retry-after-ms`, milliseconds)
// wins when valid, else `retry_after` as delta-seconds or as an HTTP-date measured from `now`.
// Empty, unparseable and negative values give nullopt; a date in the past gives zero.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view retry_after, std::string_view retry_after_ms,
    std::chrono::system_clock::time_point now);

// The wait after `failed_attempts` (1, 2, 3, ...) failures: at least `base` * 2^(n-1)
// (100/200/400 ms by default) plus up to half that again, scaled by `jitter` in [0, 1).
std::chrono::milliseconds backoff_delay(int failed_attempts, std::chrono::milliseconds base,
                                        double jitter);

// The backoff, or the server's Retry-After when that is longer.
std::chrono::milliseconds retry_delay(int failed_attempts, std::chrono::milliseconds base,
                                      double jitter,
                                      std::optional<std::chrono::milliseconds> retry_after);

enum class Retryable { no, yes };

// What one failed attempt means: the failure it becomes if it is the last one, and whether
// another attempt may help.
struct AttemptFailure {
  FailureKind kind = FailureKind::crash;
  Retryable retryable = Retryable::no;
};

// For a completed exchange with a non-2xx `status`: 408/429/5xx retry (quota for 429, timeout
// for 408, crash for 5xx); 401/403 auth; 404 unavailable (wrong base URL or model); any other
// 4xx crash without retry.
AttemptFailure classify_status(long status);

// For a transfer that did not complete: refused connections retry as unavailable, dropped ones
// as crash, per-attempt timeouts as timeout; oversized bodies are malformed_output.
AttemptFailure classify_transport(TransportErrc code);

}  // namespace gavel::agents
