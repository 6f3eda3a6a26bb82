#pragma once
// Suppressions: what a human dismissed as a false positive, remembered so that the same
// finding is dropped automatically when a reviewer raises it again.
//
// A suppression holds the dismissed finding's fingerprint, its code anchor (normalised code
// and re-mapped location), every title it carried and the human's reason. It is listed in later
// reviewer prompts. It matches a newly raised finding by the matcher's rules
// (review/finding_match.hpp) *and* only while the code under it is unchanged: it lapses as soon
// as the anchored code changes, after which a repeat is a new finding again.
// Plain values and pure functions; the convergence machine owns the list.

#include "review/finding.hpp"
#include "review/finding_match.hpp"
#include "review/lifecycle.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::review {

enum class SuppressionState { active, lapsed };

struct Suppression {
  std::string finding_id;
  std::string fingerprint;
  std::string identity_path;
  RaisedFinding raised;             // latest wording; location re-mapped as the code moves
  std::vector<std::string> titles;  // every title the finding carried
  std::string anchor;               // normalised code it was dismissed on
  std::string reason;               // the human's reason: given to reviewers
  std::string actor;
  std::int64_t at_ms = 0;
  SuppressionState state = SuppressionState::active;
};

// The suppression a dismissal of `finding` creates (`context` holds the human's reason).
Suppression suppression_from(const Finding& finding, const TransitionContext& context);

// The first active suppression in `list` that `candidate` repeats with its code unchanged.
std::optional<std::size_t> find_suppression(const std::vector<Suppression>& list,
                                            const Candidate& candidate,
                                            const MatchOptions& options = {});

// Updates `s` for a new snapshot: its location becomes `location`; it lapses when
// `current_anchor` (the normalised code there, nullopt when the file or lines are gone)
// differs from the code it was dismissed on. Returns true when it lapsed now.
bool update_suppression(Suppression& s, const Location& location,
                        const std::optional<std::string>& current_anchor);

}  // namespace gavel::review
