#pragma once
// Write -> review start: writes one file of a watched, clean repository and times, from just
// before the write (CLOCK_REALTIME), three moments of the review that follows:
//   - session.started received on an event subscription (the daemon decided to review);
//   - round.started (role reviewer) received (the reviewer's turn began);
//   - the scripted reviewer's first action, its own $EPOCHREALTIME stamp (the review is
//     running: the agent process exists and has its prompt). This is the figure judged.
// Then waits for the session's verdict, so that samples never overlap. For the breakdown, the
// same moments as gaveld logged them (ms resolution, local time): the watcher's settled-change
// callback ("changed (N paths)"), the session's start, round 1's start.

#include "bench/snapshot/bench_repo.hpp"
#include "client/client.hpp"

#include <optional>
#include <string>

namespace gavel::bench {

class Sandbox;

struct LatencySample {
  std::string repo;
  std::string file;
  double session_started_ms = -1;  // -1: not seen
  double round_started_ms = -1;
  double reviewer_ms = -1;
  double log_changed_ms = -1;  // from gaveld.log
  double log_session_ms = -1;
  double log_round_ms = -1;
  // gaveld's disk reads and major faults from the write to the verdict (filled by the caller)
  long long read_kb = -1;
  long long major_faults = -1;
  std::string verdict;
  bool ok() const { return session_started_ms >= 0 && round_started_ms >= 0 && reviewer_ms >= 0; }
};

class LatencyProbe {
 public:
  // Connects to gaveld and subscribes to every repository's events.
  explicit LatencyProbe(const Sandbox& sandbox);

  // `repo_path` is the path as gaveld reports it (repo.add's reply).
  LatencySample measure(const BenchRepo& repo, const std::string& repo_path, int file, int edit);

 private:
  const Sandbox& m_sandbox;
  std::optional<client::Client> m_client;
};

}  // namespace gavel::bench
