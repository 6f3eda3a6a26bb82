// Rule family "debug-leftover": a conservative, per-language table of statements that exist
// only to debug (breakpoints, debugger attachments, dbg!/var_dump dumps, console.log). Ordinary
// output (print, println!, fmt.Println, System.out, printf) is NOT flagged: programs print on
// purpose. Python print() is flagged only when its message starts with a debug marker. A fix
// is suggested when the statement is the whole line: delete the line (Python: replace it with
// `pass` when it is the only statement of its block).
// GCC 12's libstdc++ <regex> trips -Wmaybe-uninitialized under -fsanitize=address (a false
// positive inside std::function); it would fail GAVEL_SANITIZE + GAVEL_WERROR builds.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "agents/builtin_rules_detail.hpp"

#include <algorithm>
#include <array>
#include <regex>

namespace gavel::agents::rules {
namespace {

struct DebugRule {
  std::string_view rule;
  std::string_view what;
  std::array<std::string_view, 8> exts;
  std::array<std::string_view, 3> hints;  // one must occur before the regex runs (speed)
  const char* detect;     // searched in the line (CR removed)
  const char* removable;  // the whole line matches: the fix deletes it
  double confidence;
};

constexpr std::array<std::string_view, 8> k_js = {"js", "jsx", "ts", "tsx", "mjs", "cjs", "vue", "svelte"};
constexpr std::array<std::string_view, 8> k_py = {"py", "pyw"};
constexpr std::array<std::string_view, 8> k_rs = {"rs"};
constexpr std::array<std::string_view, 8> k_go = {"go"};
constexpr std::array<std::string_view, 8> k_rb = {"rb", "rake", "erb"};
constexpr std::array<std::string_view, 8> k_php = {"php"};

const std::array<DebugRule, 9> k_rules = {{
    {"debug.js-debugger", "`debugger` statement", k_js, {"debugger"}, R"(^\s*debugger\s*;?\s*(//.*)?$)",
     R"(^\s*debugger\s*;?\s*(//.*)?$)", 0.9},
    {"debug.console-log", "console.log/debug/trace call", k_js, {"console"}, R"(^\s*console\.(log|debug|trace|dir)\s*\()",
     R"(^\s*console\.(log|debug|trace|dir)\s*\(.*\)\s*;?\s*$)", 0.6},
    {"debug.python-pdb", "pdb.set_trace() breakpoint", k_py, {"set_trace"},
     R"(^\s*(import\s+i?pdb\s*;\s*)?i?pdb\.set_trace\(\s*\))",
     R"(^\s*(import\s+i?pdb\s*;\s*)?i?pdb\.set_trace\(\s*\)\s*;?\s*(#.*)?$)", 0.95},
    {"debug.python-breakpoint", "breakpoint() call", k_py, {"breakpoint"}, R"(^\s*breakpoint\(\s*\)\s*(#.*)?$)",
     R"(^\s*breakpoint\(\s*\)\s*(#.*)?$)", 0.95},
    {"debug.python-print", "debug print()", k_py, {"print"},
     R"(^\s*print\(\s*[fr]?["'](DEBUG|Debug|debug|XXX|HERE|here|>>>))", R"(^\s*print\(.*\)\s*(#.*)?$)", 0.6},
    {"debug.rust-dbg", "dbg! macro", k_rs, {"dbg!"}, R"((^|[^A-Za-z0-9_])dbg!\s*\()",
     R"(^\s*dbg!\s*\(.*\)\s*;\s*(//.*)?$)", 0.9},
    {"debug.go-breakpoint", "debug dump or breakpoint", k_go, {"Breakpoint", "spew."},
     R"(^\s*runtime\.Breakpoint\(\)|(^|[^A-Za-z0-9_])spew\.(Dump|Sdump|Printf)\()",
     R"(^\s*(runtime\.Breakpoint\(\)|spew\.(Dump|Printf)\(.*\))\s*(//.*)?$)", 0.8},
    {"debug.ruby-debugger", "debugger breakpoint (pry/byebug)", k_rb,
     {"binding.", "byebug", "debugger"},
     R"(^\s*(binding\.(pry|irb)|byebug|debugger)\s*(#.*)?$)",
     R"(^\s*(binding\.(pry|irb)|byebug|debugger)\s*(#.*)?$)", 0.9},
    {"debug.php-dump", "var_dump()/dd() dump", k_php, {"var_dump", "dd"}, R"(^\s*(var_dump|dd)\s*\()",
     R"(^\s*(var_dump|dd)\s*\(.*\)\s*;\s*$)", 0.7},
}};

struct Compiled {
  std::regex detect, removable;
};

const std::vector<Compiled>& compiled() {
  static const std::vector<Compiled> out = [] {
    std::vector<Compiled> v;
    for (const auto& r : k_rules) v.push_back({std::regex(r.detect), std::regex(r.removable)});
    return v;
  }();
  return out;
}

bool balanced(std::string_view s) {
  int depth = 0;
  for (const char c : s) {
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (depth < 0) return false;
  }
  return depth == 0;
}

// Command-line programs print on purpose: console.log there is output, not a leftover.
bool script_path(const FileView& view) {
  for (std::string_view dir : {"scripts/", "bin/", "tools/", "examples/", "example/", "cli/"}) {
    if (view.path.rfind(dir, 0) == 0 || view.path.find("/" + std::string(dir)) != std::string::npos) {
      return true;
    }
  }
  return view.base.find("cli") != std::string::npos;
}

std::size_t indent_of(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

bool blank(std::string_view s) { return indent_of(s) == s.size() || s == "\r"; }

// For Python: deleting the only statement of a block breaks the syntax; `pass` keeps it.
bool only_statement_of_block(const FileView& view, int n) {
  const std::string_view line = view.text_at(n);
  int prev = n - 1;
  while (prev >= 1 && blank(view.text_at(prev))) --prev;
  if (prev < 1) return false;
  std::string_view before = view.text_at(prev);
  while (!before.empty() && (before.back() == ' ' || before.back() == '\r')) before.remove_suffix(1);
  if (before.empty() || before.back() != ':') return false;
  int next = n + 1;
  while (next <= static_cast<int>(view.lines.size()) && blank(view.text_at(next))) ++next;
  return next > static_cast<int>(view.lines.size()) || indent_of(view.text_at(next)) < indent_of(line);
}

}  // namespace

void check_debug_leftovers(const FileView& view, const RulesOptions& options,
                           std::vector<RuleFinding>& out) {
  if (view.ext.empty()) return;
  const auto& regexes = compiled();
  std::array<int, k_rules.size()> emitted{};
  for (const review::DiffLine* line : view.added) {
    std::string_view text = line->text;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.size() > 500) continue;
    for (std::size_t i = 0; i < k_rules.size(); ++i) {
      const DebugRule& rule = k_rules[i];
      if (std::find(rule.exts.begin(), rule.exts.end(), view.ext) == rule.exts.end()) continue;
      if (rule.rule == "debug.console-log" && script_path(view)) continue;
      if (std::none_of(rule.hints.begin(), rule.hints.end(), [&](std::string_view h) {
            return !h.empty() && text.find(h) != std::string_view::npos;
          })) {
        continue;
      }
      if (!std::regex_search(text.begin(), text.end(), regexes[i].detect)) continue;
      if (emitted[i]++ >= options.max_findings_per_rule_per_file) break;
      const int n = line->new_line;
      auto finding = make_finding(
          view, std::string(rule.rule), k_category_debug, review::Priority::p2, rule.confidence, n, n,
          "Debugging leftover: " + std::string(rule.what),
          "Line " + std::to_string(n) + " adds a " + std::string(rule.what) +
              ", which is a debugging aid rather than part of the change: it stops the program "
              "under a debugger, or prints to the console in production. Remove it; if the output "
              "is wanted, use the project's logger at an appropriate level.");
      if (std::regex_match(text.begin(), text.end(), regexes[i].removable) && balanced(text) &&
          view.text_matches(n, line->text)) {
        std::vector<std::string> replacement;
        if (k_py == rule.exts && only_statement_of_block(view, n)) {
          replacement.push_back(std::string(text.substr(0, indent_of(text))) + "pass" +
                                std::string(eol_of(view, n)));
        }
        finding.raised.suggested_fix = make_fix(view, n, n, replacement);
      }
      out.push_back(std::move(finding));
      break;  // one debug finding per line
    }
  }
}

}  // namespace gavel::agents::rules
