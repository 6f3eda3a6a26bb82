#include "bench/daemon/report.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace gavel::bench {

namespace {

std::string first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "?";
}

const char* verdict(bool met) { return met ? "met" : "NOT met"; }

double cpu_pct(const IdleFigures& f) {
  const double seconds =
      static_cast<double>(f.cpu_ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  return 100.0 * seconds / f.wall_s;
}

// Median and maximum of the non-negative values of one column.
struct Stat {
  double median = -1;
  double max = -1;
};

Stat stat_of(const std::vector<LatencySample>& samples, double LatencySample::*column) {
  std::vector<double> v;
  for (const auto& s : samples) {
    if (s.ok() && s.*column >= 0) v.push_back(s.*column);
  }
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return {n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v.back()};
}

}  // namespace

void print_machine(int repos, int files, int idle_seconds, int writes) {
  std::printf("bench_daemon: %d repositories x %d files, idle window %d s, %d writes\n", repos,
              files, idle_seconds, writes);
  std::printf("machine: %ld CPUs (%s); load average %s; fs.inotify.max_user_watches %s\n",
              ::sysconf(_SC_NPROCESSORS_ONLN), cpu_model().c_str(),
              first_line("/proc/loadavg").c_str(),
              first_line("/proc/sys/fs/inotify/max_user_watches").c_str());
  std::fflush(stdout);
}

void print_idle(const IdleFigures& f, const MemSample& empty, int repos) {
  const double pct = cpu_pct(f);
  const double run_ms = static_cast<double>(f.run_ns) / 1e6;
  std::printf("\nidle: %.1f s of wall clock, gaveld with %d repositories and %d threads "
              "(load average at the end: %s)\n",
              f.wall_s, repos, f.threads, first_line("/proc/loadavg").c_str());
  std::printf("  CPU, utime+stime (/proc/PID/stat)  %lld ticks = %.3f%% of wall   "
              "target < %.1f%%: %s\n",
              f.cpu_ticks, pct, k_idle_cpu_target_pct, verdict(pct < k_idle_cpu_target_pct));
  std::printf("  CPU, run time (schedstat, ns)      %.3f ms = %.5f%% of wall\n", run_ms,
              100.0 * run_ms / 1000.0 / f.wall_s);
  std::printf("  context switches, all threads      %lld (%.2f per second)\n", f.ctx_switches,
              static_cast<double>(f.ctx_switches) / f.wall_s);
  const double rss = mb(f.mem.rss_kb);
  std::printf("  RSS (VmRSS)                        %.1f MB   target < %.0f MB: %s\n", rss,
              k_rss_target_mb, verdict(rss < k_rss_target_mb));
  std::printf("  of which RssAnon / RssFile          %.1f MB / %.1f MB\n", mb(f.mem.anon_kb),
              mb(f.mem.file_kb));
  std::printf("  peak RSS since start (VmHWM)       %.1f MB\n", mb(f.mem.hwm_kb));
  std::printf("  reference: RSS with no repository  %.1f MB (RssAnon %.1f, RssFile %.1f); "
              "(VmRSS - that) / %d = %.2f MB per repository\n",
              mb(empty.rss_kb), mb(empty.anon_kb), mb(empty.file_kb), repos,
              (rss - mb(empty.rss_kb)) / repos);
  std::fflush(stdout);
}

bool idle_met(const IdleFigures& f) {
  return cpu_pct(f) < k_idle_cpu_target_pct && mb(f.mem.rss_kb) < k_rss_target_mb;
}

void print_latency_header() {
  std::printf("\nwrite -> review start (ms from just before the write; one write at a time, "
              "each waits for its verdict)\n");
  std::printf("  %3s  %-6s %-18s %15s %14s %15s | %8s %8s %8s | %8s %6s | %s\n", "#", "repo",
              "file", "session.started", "round.started", "reviewer start", "log:chg", "log:sess",
              "log:rnd1", "read KiB", "majflt", "verdict");
  std::fflush(stdout);
}

void print_latency_row(int k, const LatencySample& s) {
  std::printf("  %3d  %-6s %-18s %15.1f %14.1f %15.1f | %8.0f %8.0f %8.0f | %8lld %6lld | %s\n",
              k + 1, std::filesystem::path(s.repo).filename().c_str(), s.file.c_str(),
              s.session_started_ms, s.round_started_ms, s.reviewer_ms, s.log_changed_ms,
              s.log_session_ms, s.log_round_ms, s.read_kb, s.major_faults,
              s.verdict.empty() ? "(none within 120 s)" : s.verdict.c_str());
  std::fflush(stdout);
}

bool print_latency_summary(const std::vector<LatencySample>& samples, int settle_ms,
                           const SnapshotReference& ref) {
  const auto ok =
      std::count_if(samples.begin(), samples.end(), [](const auto& s) { return s.ok(); });
  std::printf("\n  %zd of %zu writes timed; settle period (review.settle_ms) %d ms\n", ok,
              samples.size(), settle_ms);
  std::printf("  %-16s %9s %9s %15s %12s\n", "", "median", "max", "median-settle", "max-settle");
  const struct {
    const char* name;
    double LatencySample::*column;
  } columns[] = {{"log: changed", &LatencySample::log_changed_ms},
                 {"log: session", &LatencySample::log_session_ms},
                 {"log: round 1", &LatencySample::log_round_ms},
                 {"session.started", &LatencySample::session_started_ms},
                 {"round.started", &LatencySample::round_started_ms},
                 {"reviewer start", &LatencySample::reviewer_ms}};
  Stat judged;
  for (const auto& c : columns) {
    const Stat st = stat_of(samples, c.column);
    std::printf("  %-16s %9.1f %9.1f %15.1f %12.1f\n", c.name, st.median, st.max,
                st.median - settle_ms, st.max - settle_ms);
    judged = st;  // the last column is the judged one
  }
  std::printf("  (log: = gaveld's own log lines, ms resolution: the watcher's settled change, "
              "the session created, round 1 started; session.started / round.started = the "
              "events as a subscriber received them; read KiB / majflt = gaveld's disk reads "
              "and major page faults from the write to the verdict)\n");
  const bool median_met =
      judged.median >= 0 && judged.median - settle_ms < k_latency_excess_target_ms;
  const bool max_met = judged.max >= 0 && judged.max - settle_ms < k_latency_excess_target_ms;
  std::printf("  judged: reviewer start (its own first action) - settle < %.0f ms: median %s, "
              "max %s\n",
              k_latency_excess_target_ms, verdict(median_met), verdict(max_met));
  std::printf("  reference, same run, this process, one repository with %zu changed file: warm "
              "full snapshot %.2f ms; warm, limited to the changed path %.2f ms; cold (open + "
              "full) %.2f ms; cold since the last snapshot (open + take_since) with a long-running "
              "reader %.2f ms, with a one-shot reader (as gaveld after its reader was dropped) "
              "%.2f ms (medians of 5)\n",
              ref.changed_files, ref.warm_full_ms, ref.warm_limited_ms, ref.cold_full_ms,
              ref.cold_since_ms, ref.cold_since_one_shot_ms);
  std::fflush(stdout);
  return median_met && max_met && ok == static_cast<long>(samples.size());
}

void print_memory_reference(const SnapshotReference& ref, const IdleFigures& idle,
                            const MemSample& empty, int repos) {
  std::printf("\nmemory reference, same run: one warm long-running SnapshotReader of one "
              "repository holds %.2f MB in this process (mallinfo2 in-use); x %d = %.1f MB, "
              "against gaveld's idle VmRSS - no-repository RSS = %.1f MB\n",
              ref.reader_mb, repos, ref.reader_mb * repos, mb(idle.mem.rss_kb) - mb(empty.rss_kb));
  std::fflush(stdout);
}

}  // namespace gavel::bench
