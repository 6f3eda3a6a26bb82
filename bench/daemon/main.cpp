// bench_daemon: what gaveld costs while it watches many repositories, and how soon a review
// starts after a file is written.
//
//   bench_daemon [--repos 20] [--files 10000] [--idle-seconds 60] [--writes 10]
//                [--settle-ms 1500] [--keep]
//
// Generates `repos` committed, clean repositories of `files` files (files/20 directories each),
// starts the real gaveld (private HOME, XDG dirs and socket; a scripted reviewer that answers
// an empty review), registers them with repo.add and waits until the initial snapshots are
// done and gaveld uses no CPU. Then:
//   1. idle: for `idle-seconds`, gaveld's utime+stime (/proc/PID/stat) as % of wall, its run
//      time and context switches summed over its threads, VmRSS and VmHWM, against RSS with no
//      repository registered (measured at start);
//   2. latency: `writes` file writes, spread over the repositories, one at a time; for each,
//      the time from the write to session.started, to round.started, and to the scripted
//      reviewer's first action (judged), with gaveld's own log times and disk reads, next to
//      the settle period and to the snapshots gaveld takes in between, measured in this
//      process on the same tree; and the memory one warm snapshot reader holds.
// Prints each figure with its target and "met" / "NOT met". Exit status: 0 every target met,
// 2 some not met, 1 the benchmark failed. Results: docs/performance.md ("## Daemon").
#include "bench/daemon/gaveld_proc.hpp"
#include "bench/daemon/latency.hpp"
#include "bench/daemon/reference.hpp"
#include "bench/daemon/report.hpp"
#include "bench/daemon/sandbox.hpp"

#include "client/client.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace gavel::bench;
using namespace std::chrono_literals;

namespace {

struct Args {
  int repos = 20;
  int files = 10000;
  int idle_seconds = 60;
  int writes = 10;
  int settle_ms = 1500;  // the configuration's default
  bool keep = false;
};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Polls `pred` every 100 ms; throws when `timeout` passes or gaveld exits.
void wait_until(Gaveld& d, const std::function<bool()>& pred, std::chrono::seconds timeout,
                const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (!d.running()) throw std::runtime_error("gaveld exited while waiting for " + what);
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("timed out: " + what);
    sleep_checked(100ms);
  }
}

std::vector<BenchRepo> generate(const Sandbox& sb, const Args& a) {
  const int dirs = std::max(1, a.files / 20);
  std::printf("generating %d repositories of %d files in %d directories under %s ...\n", a.repos,
              a.files, dirs, sb.repos_dir().c_str());
  std::fflush(stdout);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<BenchRepo> repos;
  for (int i = 0; i < a.repos; ++i) {
    repos.push_back(BenchRepo::create(sb.repos_dir() / ("r" + std::to_string(i)), a.files, dirs));
    throw_if_interrupted();
  }
  std::printf("generated in %.1f s\n", seconds_since(t0));
  return repos;
}

// Registers every repository; returns the paths as gaveld reports them.
std::vector<std::string> register_repos(const Sandbox& sb, const std::vector<BenchRepo>& repos) {
  gavel::client::ClientOptions options;
  options.timeout = 120s;  // a loaded machine; repo.add opens the repository and its store
  auto c = gavel::client::Client::connect(sb.socket().string(), options);
  if (!c) throw std::runtime_error("connect: " + c.error().message);
  std::vector<std::string> paths;
  for (const auto& r : repos) {
    auto added = c->call(gavel::protocol::RepoAddRequest{r.dir.string()});
    if (!added) {
      throw std::runtime_error("repo.add " + r.dir.string() + ": " + added.error().message);
    }
    paths.push_back(added->repo.path);
  }
  return paths;
}

// Waits for each repository's first snapshot ("no uncommitted change to review" at debug
// level), then until gaveld's CPU time has stayed still for 2 s. Returns when it last moved.
std::chrono::steady_clock::time_point wait_for_quiet(Gaveld& d, int repos) {
  wait_until(d, [&] { return d.log_count("no uncommitted change to review") >= repos; }, 600s,
             "the initial snapshots");
  long long last = d.cpu().ticks;
  auto moved = std::chrono::steady_clock::now();
  wait_until(d, [&] {
    const long long now = d.cpu().ticks;
    if (now != last) moved = std::chrono::steady_clock::now();
    last = now;
    return std::chrono::steady_clock::now() - moved >= 2s;
  }, 600s, "gaveld to go quiet");
  return moved;
}

IdleFigures measure_idle(Gaveld& d, int seconds) {
  IdleFigures f;
  const CpuSample c0 = d.cpu();
  const auto t0 = std::chrono::steady_clock::now();
  sleep_checked(std::chrono::seconds(seconds));
  const CpuSample c1 = d.cpu();
  f.wall_s = seconds_since(t0);
  f.cpu_ticks = c1.ticks - c0.ticks;
  f.run_ns = c1.run_ns - c0.run_ns;
  f.ctx_switches = c1.ctx_switches - c0.ctx_switches;
  f.threads = c1.threads;
  f.mem = d.mem();
  return f;
}

// Write k goes to repository `first`, file `second`: spread over the repositories and the tree.
std::pair<std::size_t, int> pick(int k, int writes, const std::vector<BenchRepo>& repos) {
  const std::size_t r =
      static_cast<std::size_t>(k) * repos.size() / static_cast<std::size_t>(writes);
  return {r, (k * 7919 + 13) % repos[r].files};
}

std::vector<LatencySample> measure_latency(const Sandbox& sb, const Gaveld& d,
                                           const std::vector<BenchRepo>& repos,
                                           const std::vector<std::string>& paths, int writes) {
  LatencyProbe probe(sb);
  std::vector<LatencySample> samples;
  print_latency_header();
  for (int k = 0; k < writes; ++k) {
    const auto [r, file] = pick(k, writes, repos);
    const IoSample io0 = d.io();
    samples.push_back(probe.measure(repos[r], paths[r], file, k));
    const IoSample io1 = d.io();
    samples.back().read_kb = (io1.read_bytes - io0.read_bytes) / 1024;
    samples.back().major_faults = io1.major_faults - io0.major_faults;
    print_latency_row(k, samples.back());
    sleep_checked(300ms);
  }
  return samples;
}

// Everything after gaveld answers; returns the exit status (0: every target met, 2: not).
int measure(const Args& a, const Sandbox& sb, Gaveld& d, const std::vector<BenchRepo>& repos) {
  const MemSample empty = d.mem();
  std::printf("gaveld pid %d answering; RSS with no repository: %.1f MB\n", d.pid(),
              mb(empty.rss_kb));

  const auto reg = std::chrono::steady_clock::now();
  const std::vector<std::string> paths = register_repos(sb, repos);
  const double reg_s = seconds_since(reg);
  const auto quiet = wait_for_quiet(d, a.repos);
  std::printf("registered %d repositories in %.2f s; initial snapshots done, gaveld's CPU still "
              "from %.1f s after the first repo.add; %d inotify watches; %d repositories polling "
              "(degraded)\n",
              a.repos, reg_s, std::chrono::duration<double>(quiet - reg).count(),
              d.inotify_watches(), d.log_count("polling instead of inotify"));
  std::fflush(stdout);

  const IdleFigures idle = measure_idle(d, a.idle_seconds);
  print_idle(idle, empty, a.repos);

  const auto samples = measure_latency(sb, d, repos, paths, a.writes);
  const auto [last_r, last_file] = pick(a.writes - 1, a.writes, repos);  // still changed
  const SnapshotReference ref =
      measure_snapshots(repos[last_r].dir, repos[last_r].path_of(last_file), 5);
  const bool latency_met = print_latency_summary(samples, a.settle_ms, ref);
  print_memory_reference(ref, idle, empty, a.repos);

  const MemSample after = d.mem();
  std::printf("\nafter the reviews: VmRSS %.1f MB, VmHWM %.1f MB\n", mb(after.rss_kb),
              mb(after.hwm_kb));
  // gaveld keeps an active repository's reader 60 s after its last change
  // (daemon.quiet_read_ms), then reads the tree once more and drops it.
  std::printf("waiting 65 s for gaveld to drop the readers of the reviewed repositories ...\n");
  std::fflush(stdout);
  sleep_checked(std::chrono::seconds(65));
  const MemSample dropped = d.mem();
  std::printf("65 s after the last review: VmRSS %.1f MB (RssAnon %.1f, RssFile %.1f)\n",
              mb(dropped.rss_kb), mb(dropped.anon_kb), mb(dropped.file_kb));
  const int status = d.stop();
  std::printf("gaveld stopped, exit status %d\n", status);
  return idle_met(idle) && latency_met ? 0 : 2;
}

int run(const Args& a) {
  Sandbox sb;
  if (a.keep) sb.keep();
  print_machine(a.repos, a.files, a.idle_seconds, a.writes);
  const std::vector<BenchRepo> repos = generate(sb, a);
  sb.write_config();
  Gaveld d(sb, {"review.settle_ms=" + std::to_string(a.settle_ms)});
  try {
    wait_until(d, [&] {
      auto c = gavel::client::Client::connect(sb.socket().string());
      return c && c->call(gavel::protocol::StatusRequest{}).has_value();
    }, 30s, "gaveld's socket");
    return measure(a, sb, d, repos);
  } catch (const std::exception&) {
    std::fflush(stdout);
    std::cerr << "---- last lines of gaveld.log ----\n" << d.log_tail(20) << "----\n";
    throw;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  CLI::App app{"bench_daemon: gaveld's idle cost and write-to-review latency"};
  app.add_option("--repos", a.repos, "repositories to register")->check(CLI::Range(1, 500));
  app.add_option("--files", a.files, "files per repository")->check(CLI::Range(20, 1'000'000));
  app.add_option("--idle-seconds", a.idle_seconds, "idle window")->check(CLI::Range(1, 3600));
  app.add_option("--writes", a.writes, "file writes for the latency")->check(CLI::Range(1, 1000));
  app.add_option("--settle-ms", a.settle_ms, "review.settle_ms")->check(CLI::Range(0, 600000));
  app.add_flag("--keep", a.keep, "keep the temp directory (repositories, gaveld.log)");
  CLI11_PARSE(app, argc, argv);
  install_interrupt_handlers();
  try {
    return run(a);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::cerr << "bench_daemon: " << e.what() << "\n";
    return 1;
  }
}
