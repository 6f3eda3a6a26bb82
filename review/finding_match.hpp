#pragma once
// Matching newly raised findings to the ones gavel already tracks, so that a repeat is
// recognised as recurring, not new.
//
// Same finding = the same problem raised again at its re-mapped place, whatever its title
// wording or priority now. Concretely a raised finding repeats a known one when (best first):
//   1. their fingerprints are equal (same file identity, category, code and claim words); or
//   2. they are in the same file, within `slack_lines` of the known finding's re-mapped range,
//      their categories do not differ, and their claims share enough words (max of the title
//      overlap coefficient and the title+body Jaccard index >= `min_similarity`); or
//   3. they anchor to the same non-empty code (the block moved, even to another file) and their
//      claims are close (>= `moved_similarity`).
// Pairs are taken greedily by strength, one-to-one: two problems on one line stay two findings.
// A prior-finding verdict may name a finding by id or by any title it has carried.
// Pure functions; the convergence machine calls them once per reviewer report.

#include "review/finding.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::review {

// A raised finding with its identity parts computed against the current snapshot.
struct Candidate {
  RaisedFinding raised;
  std::string identity_path;
  std::string anchor;       // normalised code at its location
  std::string fingerprint;  // finding_id.hpp
};

Candidate make_candidate(RaisedFinding raised, std::string identity_path, std::string anchor);

struct MatchOptions {
  int slack_lines = 3;
  double min_similarity = 0.2;
  double moved_similarity = 0.5;
};

// For each of `raised`, the index in `known` of the finding it repeats, or nullopt when new.
// Every known finding is matched at most once.
// `known` points at the findings that may be repeated (the caller leaves out, e.g., dismissed
// ones, whose repeats are the suppressions' business).
std::vector<std::optional<std::size_t>> match_findings(const std::vector<const Finding*>& known,
                                                       const std::vector<Candidate>& raised,
                                                       const MatchOptions& options = {});

// The claim similarity the matcher uses between a known finding and a candidate.
double match_similarity(const Finding& known, const Candidate& raised);

// The finding a verdict or response names: `id` exactly, else `title` equal (after claim
// normalisation) to any title it has carried; the most recently raised wins a tie.
std::optional<std::size_t> resolve_named(const std::vector<Finding>& known, std::string_view id,
                                         std::string_view title);

}  // namespace gavel::review
