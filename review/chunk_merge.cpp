// Folding the reports of a chunked review round into one report with a coverage note.
#include "review/chunk.hpp"

#include <algorithm>
#include <cctype>

namespace gavel::review {

namespace {

// Lower case, runs of whitespace as one space, trimmed.
std::string folded(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isspace(u)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(u));
  }
  return out;
}

int severity(PriorVerdict::Kind k) {
  switch (k) {
    case PriorVerdict::Kind::still_open: return 2;
    case PriorVerdict::Kind::withdrawn: return 1;
    case PriorVerdict::Kind::resolved: return 0;
  }
  return 2;
}

void merge_prior(std::vector<PriorVerdict>& into, const PriorVerdict& v) {
  for (PriorVerdict& have : into) {
    bool same = (!v.id.empty() && have.id == v.id) ||
                (v.id.empty() && have.id.empty() && folded(have.title) == folded(v.title));
    if (!same) continue;
    if (severity(v.verdict) > severity(have.verdict)) have = v;
    return;
  }
  into.push_back(v);
}

void merge_finding(std::vector<RaisedFinding>& into, const RaisedFinding& f) {
  for (RaisedFinding& have : into) {
    if (!same_finding(have, f)) continue;
    if (static_cast<int>(f.priority) < static_cast<int>(have.priority)) have.priority = f.priority;
    have.confidence = std::max(have.confidence, f.confidence);
    if (!have.suggested_fix && f.suggested_fix) have.suggested_fix = f.suggested_fix;
    return;
  }
  into.push_back(f);
}

}  // namespace

bool same_finding(const RaisedFinding& a, const RaisedFinding& b) {
  if (a.location.path != b.location.path || a.location.side != b.location.side) return false;
  if (a.location.lines.start > b.location.lines.end ||
      b.location.lines.start > a.location.lines.end) {
    return false;
  }
  return folded(a.title) == folded(b.title) || folded(a.body) == folded(b.body);
}

MergedReview merge_chunk_reviews(const ChunkPlan& plan, const std::vector<ChunkReview>& reviews) {
  MergedReview out;
  std::vector<bool> answered(plan.chunks.size(), false);
  std::vector<Unreviewed> failed;
  double confidence = 1.0;
  bool any_report = false;
  for (const ChunkReview& r : reviews) {
    if (r.chunk >= plan.chunks.size()) continue;
    std::string label = plan.chunks.size() == 1
                            ? std::string()
                            : "[request " + std::to_string(r.chunk + 1) + "/" +
                                  std::to_string(plan.chunks.size()) + "] ";
    if (!r.report) {
      for (const std::string& path : plan.chunks[r.chunk].files) {
        failed.push_back({path, label + "request failed: " + r.failure});
      }
      continue;
    }
    answered[r.chunk] = true;
    any_report = true;
    const ReviewReport& rep = *r.report;
    for (const RaisedFinding& f : rep.findings) merge_finding(out.report.findings, f);
    for (const PriorVerdict& v : rep.prior) merge_prior(out.report.prior, v);
    if (rep.overall_correct.has_value()) {
      out.report.overall_correct = out.report.overall_correct.value_or(true) && *rep.overall_correct;
    }
    confidence = std::min(confidence, rep.overall_confidence);
    if (!rep.overall_explanation.empty()) {
      if (!out.report.overall_explanation.empty()) out.report.overall_explanation += "\n";
      out.report.overall_explanation += label + rep.overall_explanation;
    }
  }
  for (std::size_t i = 0; i < plan.chunks.size(); ++i) {
    if (answered[i]) continue;
    bool reported_failed = std::any_of(reviews.begin(), reviews.end(),
                                       [&](const ChunkReview& r) { return r.chunk == i; });
    if (reported_failed) continue;
    for (const std::string& path : plan.chunks[i].files) {
      failed.push_back({path, "request " + std::to_string(i + 1) + " has no answer"});
    }
  }
  out.report.overall_confidence = any_report ? confidence : 0.0;
  out.complete = failed.empty() && std::all_of(answered.begin(), answered.end(),
                                               [](bool b) { return b; });
  out.not_reviewed = plan.not_reviewed;
  out.not_reviewed.insert(out.not_reviewed.end(), failed.begin(), failed.end());
  out.coverage_note = coverage_note(plan, failed);
  return out;
}

}  // namespace gavel::review
