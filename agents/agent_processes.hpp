#pragma once
// The process-wide registry of live agent processes, and the question the control socket asks
// of it: "was this client started by one of our agents?" (docs/daemon.md, "Who may decide").
//
// Who calls it: agents/process_child*.cpp registers every agent child right after it is
// launched and unregisters it once the run is over (the child reaped and nothing left in its
// process group); daemon/control_dispatch.cpp classifies the peer of every mutating request;
// daemon/daemon.cpp turns on `set_own_descendants_are_agents` for the real gaveld. Thread-safe
// (one mutex); the walk reads /proc without holding it.
//
// What counts as an agent's process (classify_peer == agent), for the peer and each of its
// ancestors, walked through /proc/<pid>/stat's ppid up to pid 1 (at most k_max_ancestry steps):
//   - its pid is a registered agent pid (the CLI itself, or anything below it), or
//   - its process group is a registered agent's (agents lead their own group, so the group id
//     is the agent's pid): catches a child whose parent exited, reparented while still in the
//     agent's group, or
//   - with set_own_descendants_are_agents(true): it is this process's own descendant. gaveld
//     spawns nothing else a human would type into (agents, and the notify command), and it is a
//     child subreaper (agents/process_child.hpp), so an orphan that left the agent's group with
//     setsid is reparented to gaveld and still caught.
//
// Limits, honestly: gavel is not a sandbox. An agent runs as the same uid as gaveld and can do
// whatever that user can: ask a process outside gaveld's tree to act for it (an already running
// tmux server, `systemd-run --user`, `at`, ssh to localhost), edit the state store or the
// repository directly, or start a second gaveld on another socket. Where gaveld could not become
// a subreaper, an orphan that calls setsid is reparented to init and escapes. A pid freed and
// reused in the instant between an agent's group dying and its unregistration would be
// mistaken for an agent (a false refusal, never a false pass). What this closes is the easy
// path: an agent CLI running `gavel decide` (or `shutdown`, `undo`, ...) from its shell tool.

#include <sys/types.h>

namespace gavel::agents {

// Walk bound: a deeper chain is `unknown` (an agent must not escape by nesting).
inline constexpr int k_max_ancestry = 256;

enum class PeerOrigin {
  outside,  // no ancestor is an agent's: a human's terminal, an editor, the hook
  agent,    // started by a live agent (see above)
  unknown,  // the peer cannot be inspected (gone, not visible, pid 0): treat as untrusted
};

// Records `pid`, a just-launched agent child that leads its own process group.
void register_agent_process(pid_t pid);
// Forgets `pid` (no-op when not registered). Call once the child and its group are gone.
void unregister_agent_process(pid_t pid);
// How many agent processes are registered now (for tests and logs).
int registered_agent_processes();

// Off by default (a test binary hosting a control server spawns clients of its own); gaveld
// turns it on once at start.
void set_own_descendants_are_agents(bool on);

struct PeerCheck {
  PeerOrigin origin = PeerOrigin::unknown;
  pid_t via = 0;  // for `agent`: the process on the chain that matched (peer or an ancestor)
};

// Classifies `peer` (a client's pid from SO_PEERCRED) as above.
PeerCheck classify_peer(pid_t peer);
// classify_peer(peer).origin == PeerOrigin::agent.
bool is_agent_descendant(pid_t peer);

}  // namespace gavel::agents
