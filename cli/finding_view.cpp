#include "cli/finding_view.hpp"

#include "protocol/names.hpp"
#include "review/lifecycle.hpp"
#include "review/priority.hpp"

#include <iomanip>
#include <sstream>

namespace gavel::cli {

review::Finding to_finding(const protocol::FindingSummary& s) {
  review::Finding f;
  f.id = s.id;
  f.raised.title = s.title;
  f.raised.body = s.body;
  f.raised.priority = s.priority;
  f.raised.location.path = s.path;
  f.raised.location.lines.start = s.line_start > 0 ? s.line_start : 1;
  f.raised.location.lines.end = s.line_end >= f.raised.location.lines.start
                                    ? s.line_end
                                    : f.raised.location.lines.start;
  f.titles = {s.title};
  f.raised_by = s.agent;
  f.raised_round = s.round;
  f.state = s.state;
  f.adjacent = s.adjacent;
  return f;
}

std::vector<review::Finding> to_findings(const std::vector<protocol::FindingSummary>& s) {
  std::vector<review::Finding> out;
  out.reserve(s.size());
  for (const auto& f : s) out.push_back(to_finding(f));
  return out;
}

std::string finding_line(const protocol::FindingSummary& f, const Style& style) {
  std::ostringstream os;
  const std::string prio(review::to_string(f.priority));
  const std::string shown = f.priority <= review::Priority::p1 ? style.red(prio) : style.yellow(prio);
  os << f.id << "  " << shown << "  " << std::left << std::setw(10)
     << review::to_string(f.state) << " " << f.path;
  if (f.line_start > 0) os << ":" << f.line_start;
  os << "  " << f.title;
  if (f.adjacent) os << style.dim(" (adjacent)");
  return os.str();
}

std::string session_line(const protocol::SessionSummary& s, const Style& style) {
  std::ostringstream os;
  const std::string state(protocol::to_string(s.state));
  std::string shown = state;
  if (s.state == protocol::SessionState::converged) shown = style.green(state);
  else if (s.state == protocol::SessionState::escalated) shown = style.red(style.bold("ESCALATED"));
  else if (s.state != protocol::SessionState::running) shown = style.yellow(state);
  os << s.id << " " << shown << ", round " << s.round << " of " << s.round_limit;
  if (!s.current_agent.empty()) os << ", " << s.current_agent << " working";
  if (s.state == protocol::SessionState::escalated) {
    os << " — the agents disagree: decide with `gavel arbitrate`";
  }
  return os.str();
}

}  // namespace gavel::cli
