#include "review/suppression.hpp"

namespace gavel::review {

namespace {

// The suppression as a finding, so the matcher's rules apply unchanged.
Finding as_finding(const Suppression& s) {
  Finding f;
  f.id = s.finding_id;
  f.fingerprint = s.fingerprint;
  f.identity_path = s.identity_path;
  f.raised = s.raised;
  f.titles = s.titles;
  f.current_anchor = s.anchor;
  f.anchor = s.anchor;
  return f;
}

}  // namespace

Suppression suppression_from(const Finding& finding, const TransitionContext& context) {
  Suppression s;
  s.finding_id = finding.id;
  s.fingerprint = finding.fingerprint;
  s.identity_path = finding.identity_path;
  s.raised = finding.raised;
  s.titles = finding.titles;
  s.anchor = finding.current_anchor;
  s.reason = context.reason;
  s.actor = context.actor;
  s.at_ms = context.at_ms;
  return s;
}

std::optional<std::size_t> find_suppression(const std::vector<Suppression>& list,
                                            const Candidate& candidate,
                                            const MatchOptions& options) {
  std::vector<Candidate> one{candidate};
  for (std::size_t i = 0; i < list.size(); ++i) {
    const Suppression& s = list[i];
    if (s.state != SuppressionState::active) continue;
    // Only while the code is the code the human looked at.
    if (candidate.anchor != s.anchor) continue;
    Finding f = as_finding(s);
    auto match = match_findings({&f}, one, options);
    if (match.front()) return i;
  }
  return std::nullopt;
}

bool update_suppression(Suppression& s, const Location& location,
                        const std::optional<std::string>& current_anchor) {
  if (s.state == SuppressionState::lapsed) return false;
  s.raised.location = location;
  if (current_anchor && *current_anchor == s.anchor) return false;
  s.state = SuppressionState::lapsed;
  return true;
}

}  // namespace gavel::review
