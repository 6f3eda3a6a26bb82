#include "protocol/summary.hpp"

namespace gavel::protocol {

FindingSummary summarize(const review::Finding& f) {
  FindingSummary s;
  s.id = f.id;
  s.priority = f.raised.priority;
  s.state = f.state;
  s.path = f.raised.location.path;
  s.line_start = f.raised.location.lines.start;
  s.line_end = f.raised.location.lines.end;
  s.title = f.raised.title;
  s.body = f.raised.body;
  s.agent = f.raised_by;
  s.round = f.raised_round;
  s.adjacent = f.adjacent;
  return s;
}

HistoryEntry to_history(const review::Transition& t) {
  return HistoryEntry{t.from, t.to, t.actor, t.at_ms, t.reason};
}

FindingShowResponse show_finding(const review::Finding& f) {
  FindingShowResponse r;
  r.finding = summarize(f);
  r.titles = f.titles;
  r.history.reserve(f.history.size());
  for (const auto& t : f.history) r.history.push_back(to_history(t));
  r.suggested_fix = f.raised.suggested_fix;
  return r;
}

}  // namespace gavel::protocol
