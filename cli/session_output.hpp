#pragma once
// What `gavel review --once` and `gavel demo` show while a session runs and when it ends:
// a progress line per agent turn (round N of M, which agent, what it found or fixed, elapsed
// time), escalations and verdicts as they are published, and the findings that remain.
//
// Called on the session's io thread (ProgressPrinter is the runner's observer) and after the
// run. Writes to the streams it is given; colour only when asked (the caller checks isatty and
// NO_COLOR).

#include "loop/session_types.hpp"
#include "review/convergence_types.hpp"
#include "review/policy.hpp"

#include <chrono>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::cli {

struct Style {
  bool color = false;
  std::string bold(const std::string& s) const;
  std::string dim(const std::string& s) const;
  std::string red(const std::string& s) const;
  std::string green(const std::string& s) const;
  std::string yellow(const std::string& s) const;
};

// `text` (an agent's words) made safe to print: control characters, C1 controls included,
// become '?', so agent output cannot move the cursor, set the window title or clear the screen.
// Newlines and tabs are kept.
std::string terminal_safe(std::string_view text);

// True when `fd` is a terminal and NO_COLOR is unset.
bool use_color(int fd);

class ProgressPrinter : public loop::SessionObserver {
 public:
  ProgressPrinter(std::ostream& out, Style style, review::LoopPolicy policy,
                  std::string indent = "");
  void on_actions(const std::vector<review::Action>& actions,
                  const review::SessionState& state) override;
  void on_turn_started(const loop::TurnStarted& turn) override;
  void on_turn_finished(const loop::TurnFinished& turn) override;

 private:
  std::string head(int round, review::Role role, const std::string& agent) const;
  void print_new_findings(const review::SessionState& state);

  std::ostream& m_out;
  Style m_style;
  review::LoopPolicy m_policy;
  std::string m_indent;
  std::string m_last_agent;
  std::chrono::milliseconds m_last_duration{0};
  std::vector<std::string> m_seen;  // finding ids already printed
};

// "  F1  P2  open      cart.py:3  Trailing whitespace" for every finding not closed (all with
// `all`), or "  (none)".
void print_findings(std::ostream& out, const Style& style, const std::vector<review::Finding>& findings,
                    const review::LoopPolicy& policy, bool all, const std::string& indent = "  ");

// The exit status of `gavel review --once` for a verdict (docs/cli.md).
int exit_code_for(review::Verdict verdict);

}  // namespace gavel::cli
