#include "review/finding_match.hpp"

#include "review/finding_id.hpp"

#include <algorithm>
#include <cstdlib>

namespace gavel::review {

namespace {

double jaccard(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return 0.0;
  double overlap = claim_similarity(a, b) * static_cast<double>(std::min(a.size(), b.size()));
  return overlap / (static_cast<double>(a.size() + b.size()) - overlap);
}

std::vector<std::string> merged(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::sort(a.begin(), a.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  return a;
}

// Lines between two ranges; 0 when they overlap.
int gap(LineRange a, LineRange b) {
  if (a.end < b.start) return b.start - a.end;
  if (b.end < a.start) return a.start - b.end;
  return 0;
}

// A claim's words: its title(s) alone, and title(s) plus body.
struct Claims {
  std::vector<std::string> titles;
  std::vector<std::string> full;
};

Claims claims_of(const Finding& f) {
  Claims c;
  for (const auto& t : f.titles) c.titles = merged(std::move(c.titles), claim_tokens(t));
  if (f.titles.empty()) c.titles = claim_tokens(f.raised.title);
  c.full = merged(c.titles, claim_tokens(f.raised.body));
  return c;
}

Claims claims_of(const Candidate& r) {
  Claims c;
  c.titles = claim_tokens(r.raised.title);
  c.full = merged(c.titles, claim_tokens(r.raised.body));
  return c;
}

double similarity(const Claims& a, const Claims& b) {
  return std::max(claim_similarity(a.titles, b.titles), jaccard(a.full, b.full));
}

struct Pair {
  double score;
  std::size_t known;
  std::size_t raised;
};

}  // namespace

Candidate make_candidate(RaisedFinding raised, std::string identity_path, std::string anchor) {
  Candidate c;
  c.fingerprint = fingerprint(raised, identity_path, anchor);
  c.raised = std::move(raised);
  c.identity_path = std::move(identity_path);
  c.anchor = std::move(anchor);
  return c;
}

double match_similarity(const Finding& known, const Candidate& raised) {
  return similarity(claims_of(known), claims_of(raised));
}

std::vector<std::optional<std::size_t>> match_findings(const std::vector<const Finding*>& known,
                                                       const std::vector<Candidate>& raised,
                                                       const MatchOptions& options) {
  std::vector<Pair> pairs;
  // Claims are computed only for pairs that get that far, once each.
  std::vector<std::optional<Claims>> known_claims(known.size());
  for (std::size_t r = 0; r < raised.size(); ++r) {
    std::optional<Claims> raised_claims;
    const Candidate& c = raised[r];
    std::string category = normalise_category(c.raised.category);
    for (std::size_t k = 0; k < known.size(); ++k) {
      const Finding& f = *known[k];
      if (!f.fingerprint.empty() && f.fingerprint == c.fingerprint) {
        pairs.push_back({4.0, k, r});
        continue;
      }
      std::string known_category = normalise_category(f.raised.category);
      if (!category.empty() && !known_category.empty() && category != known_category) continue;
      bool same_file = f.identity_path == c.identity_path ||
                       f.raised.location.path == c.raised.location.path;
      int distance = gap(f.raised.location.lines, c.raised.location.lines);
      bool same_anchor = !c.anchor.empty() && c.anchor == f.current_anchor;
      if (!(same_file && distance <= options.slack_lines) && !same_anchor) continue;
      if (!known_claims[k]) known_claims[k] = claims_of(f);
      if (!raised_claims) raised_claims = claims_of(c);
      double sim = similarity(*known_claims[k], *raised_claims);
      bool same_kind = !category.empty() && category == known_category;
      if (same_file && distance <= options.slack_lines &&
          (sim >= options.min_similarity || same_kind)) {
        pairs.push_back({2.0 + sim - 0.01 * distance, k, r});
      } else if (same_anchor && sim >= options.moved_similarity) {
        pairs.push_back({1.0 + sim, k, r});
      }
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const Pair& a, const Pair& b) { return a.score > b.score; });
  std::vector<std::optional<std::size_t>> out(raised.size());
  std::vector<char> taken(known.size(), 0);
  for (const auto& p : pairs) {
    if (taken[p.known] || out[p.raised]) continue;
    taken[p.known] = 1;
    out[p.raised] = p.known;
  }
  return out;
}

std::optional<std::size_t> resolve_named(const std::vector<Finding>& known, std::string_view id,
                                         std::string_view title) {
  if (!id.empty()) {
    for (std::size_t i = 0; i < known.size(); ++i) {
      if (known[i].id == id) return i;
    }
  }
  std::string want = normalise_claim(title);
  if (want.empty()) return std::nullopt;
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < known.size(); ++i) {
    bool carried = std::any_of(known[i].titles.begin(), known[i].titles.end(),
                               [&](const std::string& t) { return normalise_claim(t) == want; });
    if (!carried && normalise_claim(known[i].raised.title) != want) continue;
    if (!best || known[i].last_raised_round >= known[*best].last_raised_round) best = i;
  }
  return best;
}

}  // namespace gavel::review
