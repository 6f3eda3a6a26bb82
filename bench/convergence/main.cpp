// bench_convergence: 10,000 simulated sessions of 8 agent turns with 50 findings each, driven
// through review::Convergence exactly as the daemon would (events in, actions out).
//
// Each session: 5 files of 200 lines, 50 findings (10 per file; 20 of them blocking). Every
// implementer turn inserts a line at the top of each file (so every finding re-maps), fixes 4
// blocking findings (their anchored lines change) and disputes 1; every reviewer turn raises
// every still-open finding again (a fifth of them reworded, all at their moved lines) and gives
// verdicts on the disputed ones. Only the time spent inside on_event() is "machine time".
// Usage: bench_convergence [sessions]   (default 10000)
#include "review/convergence.hpp"

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace {

using namespace gavel::review;
using Clock = std::chrono::steady_clock;

constexpr int k_files = 5;
constexpr int k_lines = 200;
constexpr int k_per_file = 10;
constexpr int k_turns = 8;
constexpr int k_fixes_per_turn = 4;

std::string path_of(int file) { return "src/file" + std::to_string(file) + ".cpp"; }

// Line `l` of file `f` in tree version `v`: versions insert v header lines; findings whose
// index is below `fixed` have their anchored line rewritten.
struct Script {
  std::vector<Changeset> trees;  // trees[v]: the snapshot after v implementer turns

  Script() {
    for (int v = 0; v <= k_turns / 2; ++v) {
      Changeset c;
      c.fingerprint = "tree-" + std::to_string(v);
      for (int f = 0; f < k_files; ++f) {
        std::string text;
        for (int h = 0; h < v; ++h) text += "// header " + std::to_string(h) + "\n";
        for (int l = 1; l <= k_lines; ++l) {
          int finding = finding_at(f, l);
          bool fixed = finding >= 0 && finding < v * k_fixes_per_turn && blocking(finding);
          text += fixed ? "  checked_call_" + std::to_string(l) + "(ptr);\n"
                        : "  call_" + std::to_string(f) + "_" + std::to_string(l) + "(ptr, n);\n";
        }
        FileDiff d;
        d.old_path = d.new_path = path_of(f);
        d.new_text = std::move(text);
        c.files.push_back(std::move(d));
      }
      trees.push_back(std::move(c));
    }
  }
  // Findings sit on every 20th line, 10 per file.
  static int finding_at(int file, int line) {
    return line % 20 == 0 ? file * k_per_file + line / 20 - 1 : -1;
  }
  static bool blocking(int finding) { return finding % 5 < 2; }  // 20 of 50
  static RaisedFinding raise(int finding, int version, int turn) {
    RaisedFinding r;
    int file = finding / k_per_file;
    int line = (finding % k_per_file + 1) * 20 + version;
    r.location.path = path_of(file);
    r.location.lines = {line, line};
    r.priority = blocking(finding) ? Priority::p1 : Priority::p2;
    bool reword = (finding + turn) % 5 == 0;
    r.title = reword ? "ptr " + std::to_string(finding) + " may be null in call"
                     : "Null dereference of ptr in call " + std::to_string(finding);
    r.body = "The pointer passed to call " + std::to_string(finding) + " is not checked.";
    return r;
  }
};

struct Stats {
  double machine_ns = 0;
  long turns = 0;
  std::vector<double> per_turn_ns;
  std::map<std::string, long> verdicts;
};

// CPU time of this thread: steady under a loaded machine, unlike wall-clock.
double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

template <class E>
std::vector<Action> timed(Convergence& m, E event, Stats& stats, bool counts_as_turn) {
  Event boxed(std::move(event));
  double t0 = thread_cpu_ns();
  auto out = m.on_event(boxed);
  double ns = thread_cpu_ns() - t0;
  stats.machine_ns += ns;
  if (counts_as_turn) {
    ++stats.turns;
    stats.per_turn_ns.push_back(ns);
  }
  return out;
}

std::uint64_t running_id(const Convergence& m) { return m.running() ? m.running()->run_id : 0; }

void run_session(const Script& script, Stats& stats) {
  LoopPolicy policy;
  policy.round_limit = k_turns + 1;
  Convergence m(policy, IdSeed{});
  std::int64_t now = 1'000'000;
  timed(m, SnapshotChanged{now, script.trees[0]}, stats, false);
  int version = 0;
  for (int turn = 1; turn <= k_turns && m.running(); ++turn) {
    now += 1000;
    if (m.running()->role == Role::reviewer) {
      ReviewerReported e;
      e.now_ms = now;
      e.run_id = running_id(m);
      e.usage = {2000, 0.01};
      for (const auto& f : m.state().findings) {
        if (f.state == FindingState::disputed) {
          e.report.prior.push_back({f.id, {}, PriorVerdict::Kind::still_open, "still wrong"});
        }
      }
      for (int i = 0; i < k_files * k_per_file; ++i) {
        bool fixed = i < version * k_fixes_per_turn && Script::blocking(i);
        if (!fixed) e.checked.in_diff.push_back(Script::raise(i, version, turn));
      }
      timed(m, std::move(e), stats, true);
    } else {
      ImplementerReported e;
      e.now_ms = now;
      e.run_id = running_id(m);
      e.usage = {3000, 0.02};
      for (const auto& f : m.state().findings) {
        bool blocking_open = is_blocking(f, policy) && f.state != FindingState::disputed;
        if (!blocking_open) continue;
        e.report.responses.push_back({f.id, FindingResponse::Action::fixed, "checked ptr"});
      }
      ++version;
      e.snapshot = script.trees[static_cast<std::size_t>(version)];
      timed(m, std::move(e), stats, true);
    }
  }
  ++stats.verdicts[std::string(to_string(m.state().verdict))];
}

}  // namespace

int main(int argc, char** argv) {
  long sessions = argc > 1 ? std::atol(argv[1]) : 10000;
  Script script;
  Stats stats;
  stats.per_turn_ns.reserve(static_cast<std::size_t>(sessions) * k_turns);
  auto t0 = Clock::now();
  for (long s = 0; s < sessions; ++s) run_session(script, stats);
  double wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::sort(stats.per_turn_ns.begin(), stats.per_turn_ns.end());
  auto pct = [&](double p) {
    if (stats.per_turn_ns.empty()) return 0.0;
    auto i = static_cast<std::size_t>(p * static_cast<double>(stats.per_turn_ns.size() - 1));
    return stats.per_turn_ns[i] / 1000.0;
  };
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("bench_convergence: %ld sessions x %d turns, %d findings each\n", sessions,
              k_turns, k_files * k_per_file);
  std::printf("  rounds measured       %ld\n", stats.turns);
  std::string ends;
  for (const auto& [name, n] : stats.verdicts) ends += " " + name + "=" + std::to_string(n);
  std::printf("  session states        %s (in_progress: stopped after %d turns)\n", ends.c_str(),
              k_turns);
  std::printf("  machine CPU / round   mean %.1f us, p50 %.1f us, p99 %.1f us, max %.1f us\n",
              stats.machine_ns / 1000.0 / static_cast<double>(std::max(1L, stats.turns)),
              pct(0.5), pct(0.99), pct(1.0));
  std::printf("  target                < 1000 us per round: %s\n",
              pct(0.99) < 1000.0 ? "met (p99)" : "NOT met (p99)");
  double process_cpu_s = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  std::printf("  total                 wall %.2f s, process CPU %.2f s (machine %.2f s)\n", wall_s,
              process_cpu_s, stats.machine_ns / 1e9);
  std::printf("  peak RSS              %ld KiB\n", usage.ru_maxrss);
  return 0;
}
