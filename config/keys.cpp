#include "config/keys.hpp"

#include "config/parse_value.hpp"

#include <array>
#include <cctype>
#include <set>
#include <sstream>

namespace gavel::config {

namespace {

constexpr std::array<std::pair<std::string_view, Triage>, 3> k_triage{{
    {"auto", Triage::automatic}, {"human", Triage::human}, {"human-blocking", Triage::human_blocking}}};
constexpr std::array<std::pair<std::string_view, ApplyPolicy>, 3> k_apply{{
    {"auto", ApplyPolicy::automatic}, {"ask", ApplyPolicy::ask}, {"never", ApplyPolicy::never}}};
constexpr std::array<std::pair<std::string_view, NoDaemonPolicy>, 3> k_no_daemon{{
    {"inline", NoDaemonPolicy::inline_review}, {"warn", NoDaemonPolicy::warn},
    {"fail", NoDaemonPolicy::fail}}};
constexpr std::array<std::pair<std::string_view, FailMode>, 2> k_fail_mode{{
    {"open", FailMode::open}, {"closed", FailMode::closed}}};

constexpr std::int64_t k_max64 = 1'000'000'000'000;

std::string number_text(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string agent_name_ok(std::string_view text, std::string& out) {
  if (text.empty() || text.size() > 64) return "expected an agent name of 1 to 64 characters";
  for (char c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') {
      return "expected an agent name of letters, digits, '-' and '_'";
    }
  }
  out = std::string(text);
  return {};
}

Result<void> parse_agent_name(std::string_view text, std::string& out) {
  if (std::string why = agent_name_ok(text, out); !why.empty()) return fail(Errc::config, why);
  return {};
}

std::string priority_name(int p) { return "P" + std::to_string(p); }

// clang-format off
const std::array k_keys{
  KeyDef{"review.reviewer", "GAVEL_REVIEW_REVIEWER", Scope::any,
    "agent that reviews (builtin: rules; presets: codex, claude; or an [agents.NAME] table)",
    [](Config& c, std::string_view t) { return parse_agent_name(t, c.review.reviewer); },
    [](const Config& c) { return c.review.reviewer; }},
  KeyDef{"review.implementer", "GAVEL_REVIEW_IMPLEMENTER", Scope::any,
    "agent that fixes or disputes findings (builtin: patch; presets: codex, claude)",
    [](Config& c, std::string_view t) { return parse_agent_name(t, c.review.implementer); },
    [](const Config& c) { return c.review.implementer; }},
  KeyDef{"review.blocking_threshold", "GAVEL_REVIEW_BLOCKING_THRESHOLD", Scope::any,
    "findings at this priority or above block convergence and the commit gate",
    [](Config& c, std::string_view t) { return parse_priority(t, c.review.blocking_threshold); },
    [](const Config& c) { return priority_name(c.review.blocking_threshold); }},
  KeyDef{"review.round_limit", "GAVEL_REVIEW_ROUND_LIMIT", Scope::any,
    "agent turns per session before escalating",
    [](Config& c, std::string_view t) { return parse_int(t, 1, 100, c.review.round_limit); },
    [](const Config& c) { return std::to_string(c.review.round_limit); }},
  KeyDef{"review.insist_limit", "GAVEL_REVIEW_INSIST_LIMIT", Scope::any,
    "insists on a disputed blocking finding before escalating",
    [](Config& c, std::string_view t) { return parse_int(t, 1, 20, c.review.insist_limit); },
    [](const Config& c) { return std::to_string(c.review.insist_limit); }},
  KeyDef{"review.p3_maps_to", "GAVEL_REVIEW_P3_MAPS_TO", Scope::any,
    "priority a P3 nit is treated as",
    [](Config& c, std::string_view t) { return parse_priority(t, c.review.p3_maps_to); },
    [](const Config& c) { return priority_name(c.review.p3_maps_to); }},
  KeyDef{"review.triage", "GAVEL_REVIEW_TRIAGE", Scope::any,
    "who approves findings before the implementer sees them: auto, human, human-blocking",
    [](Config& c, std::string_view t) { return parse_choice(t, k_triage, c.review.triage); },
    [](const Config& c) { return choice_name(k_triage, c.review.triage); }},
  KeyDef{"review.settle_ms", "GAVEL_REVIEW_SETTLE_MS", Scope::any,
    "quiet period after the last change before a review starts",
    [](Config& c, std::string_view t) { return parse_ms(t, 0, 600'000, c.review.settle); },
    [](const Config& c) { return std::to_string(c.review.settle.count()); }},
  KeyDef{"review.max_request_bytes", "GAVEL_REVIEW_MAX_REQUEST_BYTES", Scope::any,
    "diff bytes per reviewer request; a larger diff is split by file",
    [](Config& c, std::string_view t) { return parse_int(t, std::int64_t{1024}, k_max64, c.review.max_request_bytes); },
    [](const Config& c) { return std::to_string(c.review.max_request_bytes); }},
  KeyDef{"review.apply", "GAVEL_REVIEW_APPLY", Scope::user_only,
    "apply the implementer's reviewed patch to your working tree: auto, ask, never",
    [](Config& c, std::string_view t) { return parse_choice(t, k_apply, c.review.apply); },
    [](const Config& c) { return choice_name(k_apply, c.review.apply); }},
  KeyDef{"budget.tokens_per_round", "GAVEL_BUDGET_TOKENS_PER_ROUND", Scope::any,
    "token limit per agent turn (0: none)",
    [](Config& c, std::string_view t) { return parse_int(t, std::int64_t{0}, k_max64, c.budget.tokens_per_round); },
    [](const Config& c) { return std::to_string(c.budget.tokens_per_round); }},
  KeyDef{"budget.tokens_per_session", "GAVEL_BUDGET_TOKENS_PER_SESSION", Scope::any,
    "token limit per session (0: none)",
    [](Config& c, std::string_view t) { return parse_int(t, std::int64_t{0}, k_max64, c.budget.tokens_per_session); },
    [](const Config& c) { return std::to_string(c.budget.tokens_per_session); }},
  KeyDef{"budget.tokens_per_day", "GAVEL_BUDGET_TOKENS_PER_DAY", Scope::user_only,
    "token limit per day across repositories (0: none)",
    [](Config& c, std::string_view t) { return parse_int(t, std::int64_t{0}, k_max64, c.budget.tokens_per_day); },
    [](const Config& c) { return std::to_string(c.budget.tokens_per_day); }},
  KeyDef{"budget.cost_per_session_usd", "GAVEL_BUDGET_COST_PER_SESSION_USD", Scope::any,
    "money limit per session in US dollars, as agents report it (0: none)",
    [](Config& c, std::string_view t) { return parse_number(t, 0, 1e9, c.budget.cost_per_session_usd); },
    [](const Config& c) { return number_text(c.budget.cost_per_session_usd); }},
  KeyDef{"budget.cost_per_day_usd", "GAVEL_BUDGET_COST_PER_DAY_USD", Scope::user_only,
    "money limit per day in US dollars (0: none)",
    [](Config& c, std::string_view t) { return parse_number(t, 0, 1e9, c.budget.cost_per_day_usd); },
    [](const Config& c) { return number_text(c.budget.cost_per_day_usd); }},
  KeyDef{"budget.round_wall_s", "GAVEL_BUDGET_ROUND_WALL_S", Scope::any,
    "wall-clock limit per agent turn, seconds",
    [](Config& c, std::string_view t) { return parse_seconds(t, 1, 86'400, c.budget.round_wall); },
    [](const Config& c) { return std::to_string(c.budget.round_wall.count()); }},
  KeyDef{"budget.session_wall_s", "GAVEL_BUDGET_SESSION_WALL_S", Scope::any,
    "wall-clock limit per session, seconds",
    [](Config& c, std::string_view t) { return parse_seconds(t, 1, 7 * 86'400, c.budget.session_wall); },
    [](const Config& c) { return std::to_string(c.budget.session_wall.count()); }},
  KeyDef{"gate.wait_ms", "GAVEL_GATE_WAIT_MS", Scope::any,
    "how long `git commit` waits for a running review before deciding",
    [](Config& c, std::string_view t) { return parse_ms(t, 0, 3'600'000, c.gate.wait); },
    [](const Config& c) { return std::to_string(c.gate.wait.count()); }},
  KeyDef{"gate.no_daemon", "GAVEL_GATE_NO_DAEMON", Scope::any,
    "what the hook does when no daemon answers: inline, warn, fail",
    [](Config& c, std::string_view t) { return parse_choice(t, k_no_daemon, c.gate.no_daemon); },
    [](const Config& c) { return choice_name(k_no_daemon, c.gate.no_daemon); }},
  KeyDef{"gate.infra_failure", "GAVEL_GATE_INFRA_FAILURE", Scope::any,
    "after an infrastructure failure the gate fails open (pass, warned) or closed (block)",
    [](Config& c, std::string_view t) { return parse_choice(t, k_fail_mode, c.gate.infra_failure); },
    [](const Config& c) { return choice_name(k_fail_mode, c.gate.infra_failure); }},
  KeyDef{"daemon.max_concurrent_agents", "GAVEL_DAEMON_MAX_CONCURRENT_AGENTS", Scope::user_only,
    "agent runs at once across all repositories",
    [](Config& c, std::string_view t) { return parse_int(t, 1, 64, c.daemon.max_concurrent_agents); },
    [](const Config& c) { return std::to_string(c.daemon.max_concurrent_agents); }},
  KeyDef{"daemon.poll_interval_ms", "GAVEL_DAEMON_POLL_INTERVAL_MS", Scope::user_only,
    "polling period for a repository once inotify watches run out",
    [](Config& c, std::string_view t) { return parse_ms(t, 100, 3'600'000, c.daemon.poll_interval); },
    [](const Config& c) { return std::to_string(c.daemon.poll_interval.count()); }},
  KeyDef{"daemon.quiet_read_ms", "GAVEL_DAEMON_QUIET_READ_MS", Scope::user_only,
    "quiet time after a repository's last change before one whole read and dropping its reader",
    [](Config& c, std::string_view t) { return parse_ms(t, 100, 3'600'000, c.daemon.quiet_read); },
    [](const Config& c) { return std::to_string(c.daemon.quiet_read.count()); }},
  KeyDef{"daemon.log_level", "GAVEL_DAEMON_LOG_LEVEL", Scope::user_only,
    "trace, debug, info, warn, error, critical, off",
    [](Config& c, std::string_view t) { return parse_log_level(t, c.daemon.log_level); },
    [](const Config& c) { return c.daemon.log_level; }},
  KeyDef{"daemon.notify_command", "GAVEL_DAEMON_NOTIFY_COMMAND", Scope::user_only,
    "program run (no shell) with a title and message when a session escalates; empty: none",
    [](Config& c, std::string_view t) -> Result<void> { c.daemon.notify_command = std::string(t); return {}; },
    [](const Config& c) { return c.daemon.notify_command; }},
};
// clang-format on

std::string env_name_for(std::string_view key) {
  std::string env = "GAVEL_";
  for (char ch : key) {
    env += ch == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  }
  return env;
}

}  // namespace

std::span<const KeyDef> keys() { return k_keys; }

const KeyDef* find_key(std::string_view name) {
  for (const KeyDef& k : k_keys) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

Result<void> check_key_table() {
  std::set<std::string_view> names;
  const Config defaults;
  for (const KeyDef& k : k_keys) {
    if (!names.insert(k.name).second) {
      return fail(Errc::internal, "config key listed twice: " + std::string(k.name));
    }
    if (k.env != env_name_for(k.name)) {
      return fail(Errc::internal, "config key " + std::string(k.name) + " has env var " +
                                      std::string(k.env) + ", expected " + env_name_for(k.name));
    }
    Config copy = defaults;
    if (auto r = k.set(copy, k.get(defaults)); !r) {
      return fail(Errc::internal, "config key " + std::string(k.name) +
                                      " does not parse its own default: " + r.error().message);
    }
    if (k.get(copy) != k.get(defaults)) {
      return fail(Errc::internal, "config key " + std::string(k.name) + " does not round-trip");
    }
  }
  return {};
}

}  // namespace gavel::config
