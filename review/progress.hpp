#pragma once
// Per-round progress figures: what one agent turn changed, so stalls show early and a person
// can see whether the loop is getting anywhere.
//
// The convergence machine fills one RoundProgress per finished turn (reviewer: new, recurring,
// suppressed, verified, reopened, insisted, withdrawn; implementer: fixed, disputed) and stores
// it in the round record; severity_score() and trend() summarise the open findings. Pure.

#include "review/finding.hpp"
#include "review/policy.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace gavel::review {

enum class Trend { first, improving, flat, worsening };

std::string_view to_string(Trend t) noexcept;

struct RoundProgress {
  int new_findings = 0;     // raised for the first time
  int recurring = 0;        // raised again (matched to a known finding)
  int suppressed = 0;       // dropped: a dismissed finding came back on unchanged code
  int rejected = 0;         // refused by location checks
  int adjacent = 0;         // raised outside the diff (new or recurring)
  int fixed = 0;            // implementer: claimed fixed
  int disputed = 0;         // implementer: disputed
  int verified = 0;         // reviewer: resolved (explicitly, or no longer raised on changed code)
  int reopened = 0;         // reviewer: a fix not accepted, or a closed finding on changed code
  int reopen_rejected = 0;  // reviewer: re-raised a closed finding on unchanged code
  int withdrawn = 0;        // reviewer: withdrew after a dispute (or on its own)
  int insisted = 0;         // reviewer: kept a disputed finding
  int blocking_open = 0;    // after the round: findings that block convergence
  int severity = 0;         // after the round: severity_score()
  Trend trend = Trend::first;
  bool code_changed = false;  // implementer: the snapshot changed
};

// Weighted count of the findings still needing attention (not closed, not adjacent):
// P0 = 8, P1 = 4, P2 = 1 (P3 as mapped by `policy`).
int severity_score(const std::vector<Finding>& findings, const LoopPolicy& policy);

// The number of blocking findings (review/lifecycle.hpp is_blocking()).
int blocking_count(const std::vector<Finding>& findings, const LoopPolicy& policy);

// `current` severity against the `previous` reviewer round's (`previous` < 0: none yet).
Trend trend(int previous, int current) noexcept;

// One line for people: "round 3 (reviewer): 2 new, 1 recurring, 1 verified; 3 blocking; improving".
std::string describe(const RoundProgress& p, int round, std::string_view role);

}  // namespace gavel::review
