// The registry of live agent processes and the /proc ancestry walk (agents/agent_processes.hpp).
// Registered by process_child*.cpp, asked by daemon/control_dispatch.cpp.
#include "agents/agent_processes.hpp"

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <charconv>
#include <fcntl.h>
#include <unistd.h>

namespace gavel::agents {

namespace {

struct Registry {
  std::mutex mutex;
  std::set<pid_t> pids;
  bool own_descendants = false;
};

Registry& registry() {
  static Registry r;
  return r;
}

struct Snapshot {
  std::set<pid_t> pids;
  bool own_descendants = false;
  pid_t self = 0;
};

Snapshot snapshot() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  return Snapshot{r.pids, r.own_descendants, ::getpid()};
}

struct ProcStat {
  pid_t ppid = 0;
  pid_t pgrp = 0;
};

// Reads the next space-separated integer of `s` from `pos` on.
std::optional<long> next_number(std::string_view s, std::size_t& pos) {
  while (pos < s.size() && s[pos] == ' ') ++pos;
  long value = 0;
  auto [end, ec] = std::from_chars(s.data() + pos, s.data() + s.size(), value);
  if (ec != std::errc()) return std::nullopt;
  pos = static_cast<std::size_t>(end - s.data());
  return value;
}

// ppid and pgrp of `pid` from /proc/<pid>/stat ("pid (comm) state ppid pgrp ..."; comm may hold
// spaces and parentheses, so the fields are read after its last ')'). nullopt: gone or hidden.
std::optional<ProcStat> read_stat(pid_t pid) {
  const std::string path = "/proc/" + std::to_string(pid) + "/stat";
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[1024];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  ::close(fd);
  if (n <= 0) return std::nullopt;
  const std::string_view line(buf, static_cast<std::size_t>(n));
  const auto close = line.rfind(')');
  if (close == std::string_view::npos || close + 4 > line.size()) return std::nullopt;
  std::size_t pos = close + 4;  // past ") S "
  const auto ppid = next_number(line, pos);
  const auto pgrp = next_number(line, pos);
  if (!ppid || !pgrp) return std::nullopt;
  return ProcStat{static_cast<pid_t>(*ppid), static_cast<pid_t>(*pgrp)};
}

bool is_agents(pid_t pid, const ProcStat& st, const Snapshot& snap) {
  return snap.pids.count(pid) > 0 || snap.pids.count(st.pgrp) > 0 ||
         (snap.own_descendants && st.ppid == snap.self);
}

// One pass from `peer` up. nullopt: a process on the chain vanished mid-walk; try again.
std::optional<PeerCheck> walk(pid_t peer, const Snapshot& snap) {
  auto st = read_stat(peer);
  if (!st) return PeerCheck{PeerOrigin::unknown, 0};
  pid_t pid = peer;
  for (int step = 0; step < k_max_ancestry; ++step) {
    if (is_agents(pid, *st, snap)) return PeerCheck{PeerOrigin::agent, pid};
    if (st->ppid <= 1) return PeerCheck{PeerOrigin::outside, 0};  // init (or no parent)
    auto parent = read_stat(st->ppid);
    if (!parent) {
      // Either the parent exited (then `pid` has been reparented: its ppid changed) or it is
      // hidden from us (another user's process under hidepid): not ours, so not an agent's.
      auto again = read_stat(pid);
      if (!again) return std::nullopt;
      if (again->ppid == st->ppid) return PeerCheck{PeerOrigin::outside, 0};
      st = again;
      continue;
    }
    pid = st->ppid;
    st = parent;
  }
  return PeerCheck{PeerOrigin::unknown, 0};  // deeper than any honest chain
}

}  // namespace

void register_agent_process(pid_t pid) {
  if (pid <= 0) return;
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.pids.insert(pid);
}

void unregister_agent_process(pid_t pid) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.pids.erase(pid);
}

int registered_agent_processes() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  return static_cast<int>(r.pids.size());
}

void set_own_descendants_are_agents(bool on) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.own_descendants = on;
}

PeerCheck classify_peer(pid_t peer) {
  if (peer <= 0) return PeerCheck{PeerOrigin::unknown, 0};
  const Snapshot snap = snapshot();
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (auto result = walk(peer, snap)) return *result;
  }
  return PeerCheck{PeerOrigin::unknown, 0};
}

bool is_agent_descendant(pid_t peer) { return classify_peer(peer).origin == PeerOrigin::agent; }

}  // namespace gavel::agents
