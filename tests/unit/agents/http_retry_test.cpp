// The pure retry rules behind HttpAgent: Retry-After parsing, backoff, classification.

#include "agents/http_retry.hpp"

#include <gtest/gtest.h>

namespace gavel::agents {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

// 2015-10-21 07:28:00 UTC, as an HTTP-date and as a time point.
constexpr const char* k_date = "Wed, 21 Oct 2015 07:28:00 GMT";
const system_clock::time_point k_at = system_clock::from_time_t(1445412480);

TEST(HttpRetryAfter, ReadsDeltaSeconds) {
  EXPECT_EQ(parse_retry_after("3", "", k_at), milliseconds(3000));
  EXPECT_EQ(parse_retry_after(" 0 ", "", k_at), milliseconds(0));
  EXPECT_EQ(parse_retry_after("1.5", "", k_at), milliseconds(1500));
}

TEST(HttpRetryAfter, MillisecondHeaderWins) {
  EXPECT_EQ(parse_retry_after("3", "250", k_at), milliseconds(250));
  EXPECT_EQ(parse_retry_after("3", "garbage", k_at), milliseconds(3000));
}

TEST(HttpRetryAfter, ReadsAnHttpDateFromNow) {
  EXPECT_EQ(parse_retry_after(k_date, "", k_at - std::chrono::seconds(5)), milliseconds(5000));
  EXPECT_EQ(parse_retry_after(k_date, "", k_at + std::chrono::seconds(5)), milliseconds(0));
  EXPECT_EQ(parse_retry_after("Wednesday, 21-Oct-15 07:28:00 GMT", "", k_at - std::chrono::seconds(2)),
            milliseconds(2000));
}

TEST(HttpRetryAfter, IgnoresGarbageAndNegatives) {
  EXPECT_FALSE(parse_retry_after("", "", k_at));
  EXPECT_FALSE(parse_retry_after("soon", "", k_at));
  EXPECT_FALSE(parse_retry_after("-5", "", k_at));
  EXPECT_FALSE(parse_retry_after("", "-1", k_at));
}

TEST(HttpBackoff, MinimumsDoubleFromTheBase) {
  EXPECT_EQ(backoff_delay(1, milliseconds(100), 0.0), milliseconds(100));
  EXPECT_EQ(backoff_delay(2, milliseconds(100), 0.0), milliseconds(200));
  EXPECT_EQ(backoff_delay(3, milliseconds(100), 0.0), milliseconds(400));
}

TEST(HttpBackoff, JitterAddsAtMostHalf) {
  for (double jitter : {0.0, 0.25, 0.5, 0.999}) {
    const auto delay = backoff_delay(2, milliseconds(100), jitter);
    EXPECT_GE(delay, milliseconds(200));
    EXPECT_LE(delay, milliseconds(300));
  }
}

TEST(HttpBackoff, LongerRetryAfterWins) {
  EXPECT_EQ(retry_delay(1, milliseconds(100), 0.0, milliseconds(2000)), milliseconds(2000));
  EXPECT_EQ(retry_delay(3, milliseconds(100), 0.0, milliseconds(50)), milliseconds(400));
  EXPECT_EQ(retry_delay(1, milliseconds(100), 0.0, std::nullopt), milliseconds(100));
}

TEST(HttpClassify, StatusCodes) {
  EXPECT_EQ(classify_status(429).kind, FailureKind::quota);
  EXPECT_EQ(classify_status(429).retryable, Retryable::yes);
  EXPECT_EQ(classify_status(500).kind, FailureKind::crash);
  EXPECT_EQ(classify_status(529).retryable, Retryable::yes);
  EXPECT_EQ(classify_status(408).kind, FailureKind::timeout);
  EXPECT_EQ(classify_status(401).kind, FailureKind::auth);
  EXPECT_EQ(classify_status(403).retryable, Retryable::no);
  EXPECT_EQ(classify_status(404).kind, FailureKind::unavailable);
  EXPECT_EQ(classify_status(400).kind, FailureKind::crash);
  EXPECT_EQ(classify_status(400).retryable, Retryable::no);
}

TEST(HttpClassify, TransportErrors) {
  EXPECT_EQ(classify_transport(TransportErrc::connect_failed).kind, FailureKind::unavailable);
  EXPECT_EQ(classify_transport(TransportErrc::connect_failed).retryable, Retryable::yes);
  EXPECT_EQ(classify_transport(TransportErrc::dropped).kind, FailureKind::crash);
  EXPECT_EQ(classify_transport(TransportErrc::timeout).retryable, Retryable::yes);
  EXPECT_EQ(classify_transport(TransportErrc::aborted).kind, FailureKind::cancelled);
  EXPECT_EQ(classify_transport(TransportErrc::too_large).kind, FailureKind::malformed_output);
  EXPECT_EQ(classify_transport(TransportErrc::fatal).retryable, Retryable::no);
}

}  // namespace
}  // namespace gavel::agents
