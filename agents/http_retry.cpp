#include "agents/http_retry.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

namespace gavel::agents {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// A non-negative decimal number, possibly fractional ("1.5"); nullopt otherwise.
std::optional<double> parse_number(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(value) || value < 0) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view retry_after, std::string_view retry_after_ms,
    std::chrono::system_clock::time_point now) {
  using std::chrono::milliseconds;
  if (const auto ms = parse_number(retry_after_ms)) {
    return milliseconds(static_cast<std::int64_t>(std::ceil(*ms)));
  }
  if (const auto seconds = parse_number(retry_after)) {
    return milliseconds(static_cast<std::int64_t>(std::ceil(*seconds * 1000)));
  }
  const std::string date(trim(retry_after));
  if (date.empty()) return std::nullopt;
  const time_t when = curl_getdate(date.c_str(), nullptr);  // RFC 1123, 850 and asctime forms
  if (when == -1) return std::nullopt;
  const auto target = std::chrono::system_clock::from_time_t(when);
  if (target <= now) return milliseconds(0);
  return std::chrono::ceil<milliseconds>(target - now);
}

std::chrono::milliseconds backoff_delay(int failed_attempts, std::chrono::milliseconds base,
                                        double jitter) {
  const int shift = std::clamp(failed_attempts - 1, 0, 20);
  const auto minimum = base * (std::int64_t{1} << shift);
  const double extra = std::clamp(jitter, 0.0, 1.0) * 0.5 * static_cast<double>(minimum.count());
  return minimum + std::chrono::milliseconds(static_cast<std::int64_t>(extra));
}

std::chrono::milliseconds retry_delay(int failed_attempts, std::chrono::milliseconds base,
                                      double jitter,
                                      std::optional<std::chrono::milliseconds> retry_after) {
  const auto backoff = backoff_delay(failed_attempts, base, jitter);
  return retry_after ? std::max(backoff, *retry_after) : backoff;
}

AttemptFailure classify_status(long status) {
  if (status == 429) return {FailureKind::quota, Retryable::yes};
  if (status == 408) return {FailureKind::timeout, Retryable::yes};
  if (status >= 500) return {FailureKind::crash, Retryable::yes};
  if (status == 401 || status == 403) return {FailureKind::auth, Retryable::no};
  if (status == 404) return {FailureKind::unavailable, Retryable::no};
  return {FailureKind::crash, Retryable::no};
}

AttemptFailure classify_transport(TransportErrc code) {
  switch (code) {
    case TransportErrc::connect_failed: return {FailureKind::unavailable, Retryable::yes};
    case TransportErrc::timeout: return {FailureKind::timeout, Retryable::yes};
    case TransportErrc::aborted: return {FailureKind::cancelled, Retryable::no};
    case TransportErrc::too_large: return {FailureKind::malformed_output, Retryable::no};
    case TransportErrc::dropped: return {FailureKind::crash, Retryable::yes};
    case TransportErrc::fatal: return {FailureKind::unavailable, Retryable::no};
  }
  return {FailureKind::crash, Retryable::no};
}

}  // namespace gavel::agents
