#pragma once
// The typed configuration of gavel and its defaults (DESIGN.md "Convergence and escalation").
//
// A Config is a plain value. It is built by config::load (config/loader.hpp) from, lowest first:
// built-in defaults < user file (~/.config/gavel/config.toml) < repository file (.gavel.toml) <
// environment (GAVEL_*) < command line (-c key=value). Every scalar key is listed once in the key
// table (config/keys.hpp), which gives its env var, its parser and whether a repository file may
// set it. Agents are tables ([agents.NAME]) and come only from the user's file: a repository
// must never choose what gavel runs.

#include "config/agent_spec.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace gavel::config {

enum class Triage { automatic, human, human_blocking };  // "auto", "human", "human-blocking"
enum class ApplyPolicy { automatic, ask, never };        // "auto", "ask", "never"
enum class NoDaemonPolicy { inline_review, warn, fail };  // "inline", "warn", "fail"
enum class FailMode { open, closed };                     // infrastructure failure at the gate

struct ReviewSettings {
  std::string reviewer = "rules";    // agent name
  std::string implementer = "patch"; // agent name
  int blocking_threshold = 1;        // P1: findings at P0..P1 block
  int round_limit = 8;               // agent turns per session
  int insist_limit = 2;              // insists on a disputed blocking finding before escalation
  int p3_maps_to = 2;                // a P3 nit counts as P2
  Triage triage = Triage::automatic;
  std::chrono::milliseconds settle{1500};
  std::int64_t max_request_bytes = 256 * 1024;  // diff bytes per reviewer request (chunking)
  ApplyPolicy apply = ApplyPolicy::ask;
};

// 0 means "no limit" for every budget.
struct BudgetSettings {
  std::int64_t tokens_per_round = 0;
  std::int64_t tokens_per_session = 2'000'000;
  std::int64_t tokens_per_day = 0;
  double cost_per_session_usd = 0;
  double cost_per_day_usd = 0;
  std::chrono::seconds round_wall{600};
  std::chrono::seconds session_wall{3600};
};

struct GateSettings {
  std::chrono::milliseconds wait{30'000};  // how long a commit waits for a running review
  NoDaemonPolicy no_daemon = NoDaemonPolicy::warn;
  FailMode infra_failure = FailMode::open;
};

struct DaemonSettings {
  int max_concurrent_agents = 2;
  std::chrono::milliseconds poll_interval{2000};  // fallback when inotify watches run out
  std::string log_level = "info";
  std::string notify_command = "notify-send";  // escalations; empty disables
  // After a repository's last change: one whole read, then its snapshot reader is dropped.
  std::chrono::milliseconds quiet_read{60'000};
};

struct Config {
  ReviewSettings review;
  BudgetSettings budget;
  GateSettings gate;
  DaemonSettings daemon;
  std::map<std::string, AgentSpec> agents;  // user-defined; builtins and presets resolve by name
};

}  // namespace gavel::config
