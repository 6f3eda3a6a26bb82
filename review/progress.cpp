#include "review/progress.hpp"

#include "review/lifecycle.hpp"

#include <utility>

namespace gavel::review {

namespace {

int weight(Priority p) {
  switch (p) {
    case Priority::p0: return 8;
    case Priority::p1: return 4;
    case Priority::p2: return 1;
    case Priority::p3: return 1;
  }
  return 1;
}

}  // namespace

std::string_view to_string(Trend t) noexcept {
  switch (t) {
    case Trend::first: return "first";
    case Trend::improving: return "improving";
    case Trend::flat: return "flat";
    case Trend::worsening: return "worsening";
  }
  return "flat";
}

int severity_score(const std::vector<Finding>& findings, const LoopPolicy& policy) {
  int score = 0;
  for (const auto& f : findings) {
    if (f.adjacent || is_closed(f.state)) continue;
    score += weight(effective_priority(f.raised.priority, policy));
  }
  return score;
}

int blocking_count(const std::vector<Finding>& findings, const LoopPolicy& policy) {
  int n = 0;
  for (const auto& f : findings) n += is_blocking(f, policy) ? 1 : 0;
  return n;
}

Trend trend(int previous, int current) noexcept {
  if (previous < 0) return Trend::first;
  if (current < previous) return Trend::improving;
  if (current > previous) return Trend::worsening;
  return Trend::flat;
}

std::string describe(const RoundProgress& p, int round, std::string_view role) {
  std::string out = "round " + std::to_string(round) + " (" + std::string(role) + "):";
  const std::pair<int, const char*> parts[] = {
      {p.new_findings, "new"},     {p.recurring, "recurring"}, {p.suppressed, "suppressed"},
      {p.rejected, "rejected"},    {p.adjacent, "adjacent"},   {p.fixed, "fixed"},
      {p.disputed, "disputed"},    {p.verified, "verified"},   {p.reopened, "reopened"},
      {p.reopen_rejected, "reopen rejected"}, {p.withdrawn, "withdrawn"},
      {p.insisted, "insisted"}};
  bool any = false;
  for (const auto& [n, name] : parts) {
    if (n == 0) continue;
    out += any ? ", " : " ";
    out += std::to_string(n) + " " + name;
    any = true;
  }
  if (!any) out += " no change";
  if (p.code_changed) out += "; code changed";
  out += "; " + std::to_string(p.blocking_open) + " blocking; severity " +
         std::to_string(p.severity) + " (" + std::string(to_string(p.trend)) + ")";
  return out;
}

}  // namespace gavel::review
