#include "config/parse_value.hpp"

#include <charconv>
#include <cmath>
#include <string>

namespace gavel::config {

Result<void> parse_int(std::string_view text, std::int64_t lo, std::int64_t hi, std::int64_t& out) {
  std::int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return fail(Errc::config, "expected a whole number, got \"" + std::string(text) + "\"");
  }
  if (v < lo || v > hi) {
    return fail(Errc::config, "expected a number from " + std::to_string(lo) + " to " +
                                  std::to_string(hi) + ", got " + std::to_string(v));
  }
  out = v;
  return {};
}

Result<void> parse_int(std::string_view text, int lo, int hi, int& out) {
  std::int64_t v = 0;
  if (auto r = parse_int(text, std::int64_t{lo}, std::int64_t{hi}, v); !r) return r;
  out = static_cast<int>(v);
  return {};
}

Result<void> parse_number(std::string_view text, double lo, double hi, double& out) {
  double v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(v)) {
    return fail(Errc::config, "expected a number, got \"" + std::string(text) + "\"");
  }
  if (v < lo || v > hi) {
    return fail(Errc::config, "expected a number from " + std::to_string(lo) + " to " +
                                  std::to_string(hi) + ", got " + std::string(text));
  }
  out = v;
  return {};
}

Result<void> parse_ms(std::string_view text, std::int64_t lo, std::int64_t hi,
                      std::chrono::milliseconds& out) {
  std::int64_t v = 0;
  if (auto r = parse_int(text, lo, hi, v); !r) return r;
  out = std::chrono::milliseconds(v);
  return {};
}

Result<void> parse_seconds(std::string_view text, std::int64_t lo, std::int64_t hi,
                           std::chrono::seconds& out) {
  std::int64_t v = 0;
  if (auto r = parse_int(text, lo, hi, v); !r) return r;
  out = std::chrono::seconds(v);
  return {};
}

Result<void> parse_priority(std::string_view text, int& out) {
  if (text.size() == 2 && (text[0] == 'P' || text[0] == 'p')) text.remove_prefix(1);
  if (text.size() == 1 && text[0] >= '0' && text[0] <= '2') {
    out = text[0] - '0';
    return {};
  }
  return fail(Errc::config, "expected a priority P0, P1 or P2");
}

Result<void> parse_log_level(std::string_view text, std::string& out) {
  for (std::string_view level : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
    if (text == level) {
      out = std::string(text);
      return {};
    }
  }
  return fail(Errc::config,
              "expected one of trace, debug, info, warn, error, critical, off, got \"" +
                  std::string(text) + "\"");
}

}  // namespace gavel::config
