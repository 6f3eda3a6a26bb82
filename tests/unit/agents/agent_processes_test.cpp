// The agent process registry (agents/agent_processes.hpp) with real process chains: ancestry,
// the process-group rule, the own-descendants rule, /proc parsing, and run_child's
// registration while an agent runs.
#include "agents/agent_processes.hpp"
#include "agents/process_child.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gavel::agents {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// `sh -c script` in a process group of its own, its stdout readable line by line; the group
// and every pid in `extra` are killed (and reaped where they are ours) on destruction.
struct Spawned {
  explicit Spawned(const std::string& script) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2");
    pid = ::fork();
    if (pid == 0) {
      ::setpgid(0, 0);
      ::dup2(fds[1], 1);
      ::execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::setpgid(pid, pid);
    ::close(fds[1]);
    out = fds[0];
  }
  ~Spawned() {
    for (pid_t p : extra) ::kill(p, SIGKILL);
    ::kill(-pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    for (pid_t p : extra) ::waitpid(p, nullptr, 0);  // ECHILD at once unless reparented to us
    ::close(out);
  }
  Spawned(const Spawned&) = delete;
  Spawned& operator=(const Spawned&) = delete;

  // The next line the script prints (without '\n'); empty after 10 s or at EOF.
  std::string line() {
    std::string s;
    for (char c = 0;;) {
      pollfd p{out, POLLIN, 0};
      if (::poll(&p, 1, 10000) <= 0 || ::read(out, &c, 1) != 1 || c == '\n') return s;
      s.push_back(c);
    }
  }
  pid_t pid_line() {
    const auto s = line();
    const pid_t p = s.empty() ? 0 : static_cast<pid_t>(std::stol(s));
    if (p > 0) extra.push_back(p);
    return p;
  }

  pid_t pid = -1;
  int out = -1;
  std::vector<pid_t> extra;
};

// Waits (up to 10 s) until `pid` leads a process group of its own: its setsid has run.
bool wait_for_own_group(pid_t pid) {
  for (int i = 0; i < 1000; ++i) {
    if (::getpgid(pid) == pid) return true;
    ::usleep(10000);
  }
  return false;
}

// Registers `pid` for the scope.
struct Registered {
  explicit Registered(pid_t p) : pid(p) { register_agent_process(pid); }
  ~Registered() { unregister_agent_process(pid); }
  pid_t pid;
};

TEST(AgentProcesses, AGrandchildOfARegisteredAgentIsRecognisedThroughItsAncestry) {
  // The grandchild leaves the agent's group (setsid), so only its parent chain links them.
  Spawned agent("setsid sleep 30 & echo $!; wait");
  const pid_t grandchild = agent.pid_line();
  ASSERT_GT(grandchild, 0);
  ASSERT_TRUE(wait_for_own_group(grandchild));
  Spawned unrelated("echo $$; exec sleep 30");
  const pid_t other = unrelated.pid_line();
  ASSERT_GT(other, 0);

  EXPECT_EQ(classify_peer(grandchild).origin, PeerOrigin::outside);
  Registered reg(agent.pid);
  const auto check = classify_peer(grandchild);
  EXPECT_EQ(check.origin, PeerOrigin::agent);
  EXPECT_EQ(check.via, agent.pid);
  EXPECT_TRUE(is_agent_descendant(agent.pid));
  EXPECT_FALSE(is_agent_descendant(other));
  EXPECT_EQ(classify_peer(::getpid()).origin, PeerOrigin::outside);
}

TEST(AgentProcesses, AnOrphanStillInTheAgentsProcessGroupIsRecognised) {
  // The middle shell exits before "done", so the sleep is reparented away from the agent.
  Spawned agent("sh -c 'sleep 30 & echo $!'; echo done; exec sleep 30");
  const pid_t orphan = agent.pid_line();
  ASSERT_GT(orphan, 0);
  ASSERT_EQ(agent.line(), "done");
  EXPECT_FALSE(is_agent_descendant(orphan));
  Registered reg(agent.pid);
  const auto check = classify_peer(orphan);
  EXPECT_EQ(check.origin, PeerOrigin::agent);
  EXPECT_EQ(check.via, orphan);  // matched by its own group, not by a parent
}

TEST(AgentProcesses, OwnDescendantsCountOnlyWhenTurnedOn) {
  Spawned child("echo $$; exec sleep 30");
  ASSERT_EQ(child.pid_line(), child.pid);
  EXPECT_EQ(classify_peer(child.pid).origin, PeerOrigin::outside);
  set_own_descendants_are_agents(true);
  const auto on = classify_peer(child.pid);
  const auto self = classify_peer(::getpid());
  set_own_descendants_are_agents(false);
  EXPECT_EQ(on.origin, PeerOrigin::agent);
  EXPECT_EQ(on.via, child.pid);
  EXPECT_EQ(self.origin, PeerOrigin::outside);  // this process is not its own descendant
}

TEST(AgentProcesses, ACommandNameWithParenthesesAndSpacesIsParsed) {
  const fs::path dir = fs::temp_directory_path() / ("gavel-ap-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path weird = dir / "a) b (";
  fs::create_symlink("/bin/sh", weird);
  // The agent runs as "a) b (" (its comm); the walk must read its ppid and pid past that.
  Spawned agent("exec '" + weird.string() + "' -c 'setsid sleep 30 & echo $!; wait'");
  const pid_t grandchild = agent.pid_line();
  ASSERT_GT(grandchild, 0);
  ASSERT_TRUE(wait_for_own_group(grandchild));
  Registered reg(agent.pid);
  const auto check = classify_peer(grandchild);
  EXPECT_EQ(check.origin, PeerOrigin::agent);
  EXPECT_EQ(check.via, agent.pid);
  fs::remove_all(dir);
}

TEST(AgentProcesses, AProcessThatCannotBeInspectedIsUnknown) {
  EXPECT_EQ(classify_peer(0).origin, PeerOrigin::unknown);
  EXPECT_EQ(classify_peer(-5).origin, PeerOrigin::unknown);
  pid_t gone = 0;
  {
    Spawned child("echo $$; exec sleep 30");
    gone = child.pid_line();
  }
  ASSERT_GT(gone, 0);
  EXPECT_EQ(classify_peer(gone).origin, PeerOrigin::unknown);
}

TEST(AgentProcesses, RunChildRegistersTheAgentWhileItRunsAndForgetsItAfter) {
  const int before = registered_agent_processes();
  const fs::path file = fs::temp_directory_path() / ("gavel-ap-run-" + std::to_string(::getpid()));
  ChildSpec spec;
  spec.program = "/bin/sh";
  spec.args = {"-c", "sleep 5 & echo $! > '" + file.string() + ".tmp'; mv '" + file.string() +
                         ".tmp' '" + file.string() + "'; sleep 1; kill $!"};
  spec.env = {"PATH=/usr/local/bin:/usr/bin:/bin"};
  spec.cwd = "/";
  spec.timeout = 30s;
  asio::io_context ctx;
  auto done = asio::co_spawn(ctx, run_child(spec), asio::use_future);
  PeerOrigin during = PeerOrigin::unknown;
  pid_t grandchild = 0;
  asio::co_spawn(
      ctx,
      [&]() -> asio::awaitable<void> {
        asio::steady_timer timer(co_await asio::this_coro::executor);
        for (int i = 0; i < 500 && !fs::exists(file); ++i) {
          timer.expires_after(10ms);
          co_await timer.async_wait(asio::use_awaitable);
        }
        std::ifstream(file) >> grandchild;
        if (grandchild > 0) during = classify_peer(grandchild).origin;
      },
      asio::detached);
  ctx.run();
  const auto outcome = done.get();
  fs::remove(file);
  EXPECT_EQ(outcome.end, ChildEnd::exited);
  ASSERT_GT(grandchild, 0);
  EXPECT_EQ(during, PeerOrigin::agent);
  EXPECT_EQ(registered_agent_processes(), before);
  EXPECT_FALSE(is_agent_descendant(outcome.pid));
}

}  // namespace
}  // namespace gavel::agents
