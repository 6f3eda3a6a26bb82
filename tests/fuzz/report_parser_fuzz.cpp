// libFuzzer target for review/report_parser: whatever an agent prints, parsing never crashes,
// never hangs, and either yields a report within the documented ranges or a bounded, UTF-8-valid
// Errc::parse error. Built only with GAVEL_FUZZ=ON and clang (tests/fuzz/CMakeLists.txt).
#include "review/location_check.hpp"
#include "review/report_parser.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void check_error(const gavel::Error& e) {
  check(e.code == gavel::Errc::parse);
  check(e.message.size() <= 2048);
  // the message must be sendable as JSON: valid UTF-8 (dump throws otherwise)
  (void)nlohmann::json(e.message).dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace gavel::review;

  auto review = parse_review_report(text, ParseOptions{"/tmp/gavel-fixture"});
  if (review) {
    for (const RaisedFinding& f : review->findings) {
      check(static_cast<int>(f.priority) >= 0 && static_cast<int>(f.priority) <= 3);
      check(f.confidence >= 0.0 && f.confidence <= 1.0);
      check(f.location.lines.start >= 1 && f.location.lines.end >= f.location.lines.start);
      check(!f.title.empty() && !f.location.path.empty());
      (void)normalize_finding_path(f.location.path);
    }
    for (const PriorVerdict& p : review->prior) check(!p.id.empty() || !p.title.empty());
    check(review->overall_confidence >= 0.0 && review->overall_confidence <= 1.0);
  } else {
    check_error(review.error());
  }

  auto impl = parse_implementer_report(text);
  if (impl) {
    for (const FindingResponse& r : impl->responses) check(!r.finding.empty());
  } else {
    check_error(impl.error());
  }
  return 0;
}
