#pragma once
// What bench_daemon prints: the machine, the idle figures and the latency table and summary,
// each figure next to its target and "met" / "NOT met". Targets (the project's issue): idle CPU
// under 0.1% of wall, RSS under 30 MB (10^6 bytes), write -> review start under settle + 10 ms.

#include "bench/daemon/gaveld_proc.hpp"
#include "bench/daemon/latency.hpp"
#include "bench/daemon/reference.hpp"

#include <vector>

namespace gavel::bench {

inline constexpr double k_idle_cpu_target_pct = 0.1;
inline constexpr double k_rss_target_mb = 30.0;
inline constexpr double k_latency_excess_target_ms = 10.0;

struct IdleFigures {
  double wall_s = 0;
  long long cpu_ticks = 0;  // utime + stime over the window
  long long run_ns = 0;     // schedstat run time over the window, all threads
  long long ctx_switches = 0;
  int threads = 0;
  MemSample mem;  // at the end of the window
};

// KiB (as /proc reports them) to MB (10^6 bytes).
inline double mb(long long kib) { return static_cast<double>(kib) * 1024.0 / 1e6; }

void print_machine(int repos, int files, int idle_seconds, int writes);
void print_idle(const IdleFigures& f, const MemSample& empty, int repos);
bool idle_met(const IdleFigures& f);

void print_latency_header();
void print_latency_row(int k, const LatencySample& s);
// Medians and maxima, the excess over the settle period, the reference snapshots; returns
// whether the judged figure (reviewer start) met the target at the median and the maximum.
bool print_latency_summary(const std::vector<LatencySample>& samples, int settle_ms,
                           const SnapshotReference& ref);
// gaveld's RSS beyond its no-repository RSS, next to what one warm reader holds in this process.
void print_memory_reference(const SnapshotReference& ref, const IdleFigures& idle,
                            const MemSample& empty, int repos);

}  // namespace gavel::bench
