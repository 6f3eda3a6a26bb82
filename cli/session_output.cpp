#include "cli/session_output.hpp"

#include "review/lifecycle.hpp"
#include "review/priority.hpp"
#include "review/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iomanip>
#include <sstream>

namespace gavel::cli {

namespace {

std::string paint(bool on, const char* code, const std::string& s) {
  return on ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
}

std::string seconds(std::chrono::milliseconds d) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(1) << static_cast<double>(d.count()) / 1000.0 << " s";
  return os.str();
}

std::string role_name(review::Role r) { return std::string(review::to_string(r)); }

}  // namespace

std::string Style::bold(const std::string& s) const { return paint(color, "1", s); }
std::string Style::dim(const std::string& s) const { return paint(color, "2", s); }
std::string Style::red(const std::string& s) const { return paint(color, "31", s); }
std::string Style::green(const std::string& s) const { return paint(color, "32", s); }
std::string Style::yellow(const std::string& s) const { return paint(color, "33", s); }

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      out += '?';  // a C1 control (U+0080..U+009F), e.g. CSI
      ++i;
    } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      out += '?';
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool use_color(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(fd) == 1 && (no_color == nullptr || *no_color == '\0');
}

ProgressPrinter::ProgressPrinter(std::ostream& out, Style style, review::LoopPolicy policy,
                                 std::string indent)
    : m_out(out), m_style(style), m_policy(policy), m_indent(std::move(indent)) {}

std::string ProgressPrinter::head(int round, review::Role role, const std::string& agent) const {
  std::ostringstream os;
  os << m_indent << "round " << round << " of " << m_policy.round_limit << "  " << std::left
     << std::setw(12) << role_name(role) << std::setw(10) << agent;
  return os.str();
}

void ProgressPrinter::on_turn_started(const loop::TurnStarted& turn) {
  m_out << m_style.dim(head(turn.round, turn.role, turn.agent) + "running");
  if (turn.attempt > 1) m_out << m_style.dim(" (attempt " + std::to_string(turn.attempt) + ")");
  if (turn.requests > 1) m_out << m_style.dim(", " + std::to_string(turn.requests) + " requests");
  m_out << "\n" << std::flush;
}

void ProgressPrinter::on_turn_finished(const loop::TurnFinished& turn) {
  m_last_agent = turn.agent;
  m_last_duration = turn.duration;
  if (turn.ok) return;  // the round's figures follow in on_actions
  m_out << head(turn.round, turn.role, turn.agent)
        << m_style.yellow(turn.failure.empty() ? "failed" : terminal_safe(turn.failure)) << " after "
        << seconds(turn.duration) << "\n"
        << std::flush;
}

void ProgressPrinter::on_actions(const std::vector<review::Action>& actions,
                                 const review::SessionState& state) {
  for (const review::Action& a : actions) {
    if (const auto* p = std::get_if<review::Persist>(&a); p && p->round) {
      const review::RoundRecord& r = *p->round;
      if (r.outcome != review::RoundRecord::Outcome::reported) continue;
      std::string line = review::describe(r.progress, r.round, review::to_string(r.role));
      // describe() starts with "round N (role): "; the head already says that.
      if (auto colon = line.find("): "); colon != std::string::npos) line = line.substr(colon + 3);
      m_out << head(r.round, r.role, m_last_agent) << line << "  "
            << m_style.dim(seconds(m_last_duration)) << "\n";
      if (r.role == review::Role::reviewer) print_new_findings(state);
    } else if (const auto* e = std::get_if<review::Escalate>(&a)) {
      m_out << m_indent << m_style.yellow("escalated (" + std::string(review::to_string(e->reason)) +
                                          "): " + terminal_safe(e->message))
            << "\n";
    } else if (const auto* v = std::get_if<review::PublishVerdict>(&a)) {
      // An escalation was just shown by its Escalate action.
      if (v->verdict == review::Verdict::in_progress || v->verdict == review::Verdict::escalated) {
        continue;
      }
      const std::string text =
          std::string(review::to_string(v->verdict)) + ": " + terminal_safe(v->summary);
      m_out << m_indent
            << (v->verdict == review::Verdict::converged ? m_style.green(text) : m_style.yellow(text))
            << "\n";
    }
  }
  m_out << std::flush;
}

void ProgressPrinter::print_new_findings(const review::SessionState& state) {
  std::vector<review::Finding> fresh;
  for (const review::Finding& f : state.findings) {
    if (std::find(m_seen.begin(), m_seen.end(), f.id) != m_seen.end()) continue;
    m_seen.push_back(f.id);
    fresh.push_back(f);
  }
  if (!fresh.empty()) print_findings(m_out, m_style, fresh, m_policy, true, m_indent + "    ");
}

void print_findings(std::ostream& out, const Style& style,
                    const std::vector<review::Finding>& findings, const review::LoopPolicy& policy,
                    bool all, const std::string& indent) {
  int shown = 0;
  for (const review::Finding& f : findings) {
    if (!all && review::is_closed(f.state)) continue;
    ++shown;
    const bool blocking = review::is_blocking(f, policy);
    std::ostringstream line;
    line << indent << std::left << std::setw(5) << f.id << std::setw(4)
         << review::to_string(f.raised.priority) << std::setw(10) << review::to_string(f.state)
         << terminal_safe(f.raised.location.path) << ":" << f.raised.location.lines.start << "  "
         << terminal_safe(f.raised.title);
    if (f.adjacent) line << " (outside the diff)";
    out << (blocking ? style.red(line.str()) : line.str()) << "\n";
  }
  if (shown == 0) out << indent << "(none)\n";
}

int exit_code_for(review::Verdict verdict) {
  switch (verdict) {
    case review::Verdict::converged: return 0;
    case review::Verdict::blocked:
    case review::Verdict::awaiting_human: return 1;
    case review::Verdict::escalated: return 2;
    case review::Verdict::infra_failure: return 3;
    case review::Verdict::exhausted: return 4;
    case review::Verdict::in_progress: break;
  }
  return 70;
}

}  // namespace gavel::cli
