// Durability and crash recovery: a child process writes acknowledged decisions and is killed
// with SIGKILL at a random moment; every decision it acknowledged must be in the store after
// reopening, and rounds it left running come back as interrupted (daemon/state_store.hpp).
#include "daemon/state_store.hpp"

#include "tests/unit/daemon/state_test_support.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <map>
#include <random>
#include <thread>

namespace gavel::daemon {
namespace {

using test::StateTempDir;

// What the child reports on the pipe right after a write returned: fixed-size records, each
// written with one write() of less than PIPE_BUF bytes, so a record is whole or absent.
struct Ack {
  std::int64_t kind;   // 'R' a round began, 'D' a decision was recorded
  std::int64_t value;  // the round id or the decision's sequence number
  std::int64_t index;  // the decision's index within this child
};

constexpr int k_seeds = 50;
constexpr int k_creation_seeds = 20;  // each creates a store from nothing: fsync-bound
constexpr int k_max_decisions = 100000;  // more than a child can write before it is killed

void send(int fd, Ack ack) {
  if (::write(fd, &ack, sizeof ack) != static_cast<ssize_t>(sizeof ack)) ::_exit(4);
}

std::string reason_for(int seed, std::int64_t index) {
  return "seed " + std::to_string(seed) + " decision " + std::to_string(index);
}

review::FindingState state_for(std::int64_t index) {
  return index % 2 == 0 ? review::FindingState::disputed : review::FindingState::insisted;
}

// The child: open, begin a round, then record decisions until killed. Never returns.
[[noreturn]] void child_main(const std::filesystem::path& dir, std::int64_t session, int seed,
                             int fd) {
  auto store = StateStore::open(dir);
  if (!store) ::_exit(3);
  auto round = store->begin_round({session, seed + 1, RoundRole::reviewer, "codex", "fp",
                                   seed, "", 0, std::nullopt});
  if (!round) ::_exit(3);
  send(fd, {'R', *round, 0});
  review::Finding f = test::full_finding("f");
  for (std::int64_t i = 0; i < k_max_decisions; ++i) {
    const review::FindingState from = i == 0 ? review::FindingState::open : state_for(i - 1);
    f.state = state_for(i);
    auto seq = store->record_decision(session, f, {from, f.state, "human:t", i, reason_for(seed, i)},
                                      i);
    if (!seq) ::_exit(5);
    send(fd, {'D', *seq, i});
  }
  ::_exit(0);
}

// Reads acks from `fd` into `acks` until `decisions` decisions have been acknowledged (or the
// pipe is closed, when `decisions` is negative or the child died).
void read_acks(int fd, std::vector<Ack>& acks, int decisions) {
  Ack ack{};
  int seen = 0;
  for (const Ack& a : acks) seen += a.kind == 'D' ? 1 : 0;
  while (decisions < 0 || seen < decisions) {
    const ssize_t n = ::read(fd, &ack, sizeof ack);
    if (n == static_cast<ssize_t>(sizeof ack)) {
      acks.push_back(ack);
      seen += ack.kind == 'D' ? 1 : 0;
    } else if (n == 0 || (n < 0 && errno != EINTR)) {
      return;
    }
  }
}

TEST(StateCrash, AcknowledgedDecisionsSurviveSigkill) {
  StateTempDir tmp;
  std::int64_t session = 0;
  {
    auto store = StateStore::open(tmp.store_dir());
    ASSERT_TRUE(store) << store.error().message;
    SessionRecord s;
    s.repo = "/repo";
    session = store->create_session(s).value();
    ASSERT_TRUE(store->upsert_findings(session, std::vector{test::full_finding("f")}, 0));
  }
  int killed = 0;
  std::size_t acknowledged = 0;
  for (int seed = 0; seed < k_seeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    // Kill after a random number of acknowledged decisions plus a random part of the next
    // write: the moment falls anywhere in open(), begin_round() or a decision's commit.
    std::mt19937 rng(static_cast<unsigned>(seed));
    const int wait_for = std::uniform_int_distribution<int>(-1, 6)(rng);
    const auto delay = std::chrono::microseconds(std::uniform_int_distribution<int>(0, 15000)(rng));
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      child_main(tmp.store_dir(), session, seed, fds[1]);
    }
    ::close(fds[1]);
    std::vector<Ack> acks;
    if (wait_for > 0) read_acks(fds[0], acks, wait_for);
    std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status)) {
      ++killed;
    } else {
      ASSERT_EQ(WEXITSTATUS(status), 0) << "child failed before it was killed";
    }
    read_acks(fds[0], acks, -1);
    ::close(fds[0]);

    auto store = StateStore::open(tmp.store_dir());
    ASSERT_TRUE(store) << store.error().message;
    auto log = store->decision_log(session, "f");
    ASSERT_TRUE(log) << log.error().message;
    std::map<std::int64_t, const DecisionRecord*> by_seq;
    for (const DecisionRecord& d : *log) by_seq[d.seq] = &d;
    for (const Ack& ack : acks) {
      if (ack.kind == 'R') {
        // The round it began was running when it died: recover() hands it back.
        bool found = false;
        for (const RoundRecord& r : store->recovered()) found = found || r.id == ack.value;
        EXPECT_TRUE(found) << "round " << ack.value << " not recovered";
        EXPECT_EQ(store->round(ack.value).value().state, RoundState::interrupted);
        continue;
      }
      ++acknowledged;
      auto it = by_seq.find(ack.value);
      ASSERT_NE(it, by_seq.end()) << "acknowledged decision " << ack.value << " was lost";
      EXPECT_EQ(it->second->transition.reason, reason_for(seed, ack.index));
      EXPECT_EQ(it->second->transition.to, state_for(ack.index));
    }
    // The finding and its last decision were committed together.
    if (!log->empty()) {
      EXPECT_EQ(store->finding(session, "f").value().state, log->back().transition.to);
    }
    auto check = store->recover();
    ASSERT_TRUE(check);
    EXPECT_TRUE(check->empty()) << "recover() is idempotent";
  }
  EXPECT_GT(killed, k_seeds / 2) << "most children must die mid-write for the test to mean much";
  EXPECT_GT(acknowledged, 0u);
  std::printf("[ crash    ] %d of %d children killed mid-run, %zu acknowledged decisions kept\n",
              killed, k_seeds, acknowledged);
}

TEST(StateCrash, KilledDuringCreationReopensCleanly) {
  for (int seed = 0; seed < k_creation_seeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    StateTempDir tmp;
    std::mt19937 rng(static_cast<unsigned>(seed) + 1000);
    const auto delay = std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(rng));
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) ::_exit(StateStore::open(tmp.store_dir()) ? 0 : 3);
    std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    if (WIFEXITED(status)) {
      ASSERT_EQ(WEXITSTATUS(status), 0);
    }
    auto store = StateStore::open(tmp.store_dir());
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ(store->schema_version(), 2);
  }
}

TEST(StateCrash, RunningRoundsBecomeInterruptedOnOpen) {
  StateTempDir tmp;
  std::int64_t session = 0;
  std::int64_t running = 0;
  std::int64_t done = 0;
  {
    auto store = StateStore::open(tmp.store_dir());
    ASSERT_TRUE(store) << store.error().message;
    SessionRecord s;
    s.repo = "/repo";
    s.state = "running";
    session = store->create_session(s).value();
    done = store->begin_round({session, 1, RoundRole::reviewer, "codex", "fp", 1, "d", 3,
                               std::nullopt})
               .value();
    ASSERT_TRUE(store->finish_round(done, {2, 1, "out", {}, 1}));
    running = store->begin_round({session, 2, RoundRole::implementer, "claude", "fp", 3, "", 0,
                                  std::nullopt})
                  .value();
    // The store is dropped with the round still running, as a crash would leave it.
  }
  auto store = StateStore::open(tmp.store_dir());
  ASSERT_TRUE(store) << store.error().message;
  ASSERT_EQ(store->recovered().size(), 1u);
  const RoundRecord& r = store->recovered()[0];
  EXPECT_EQ(r.id, running);
  EXPECT_EQ(r.state, RoundState::interrupted);
  EXPECT_EQ(r.start.agent, "claude");
  EXPECT_EQ(r.failure_kind, StateStore::k_interrupted_kind);
  EXPECT_FALSE(r.finished_at_ms);
  EXPECT_EQ(store->round(running).value().state, RoundState::interrupted);
  EXPECT_EQ(store->round(done).value().state, RoundState::done);  // nothing else changes
  EXPECT_EQ(store->session(session).value().state, "running");
  EXPECT_EQ(store->finish_round(running, {}).error().code, Errc::conflict);
  // A re-run is a new round with the same number.
  auto rerun = store->begin_round({session, 2, RoundRole::implementer, "claude", "fp", 9, "", 0,
                                   std::nullopt});
  ASSERT_TRUE(rerun);
  EXPECT_EQ(store->rounds(session).value().size(), 3u);
}

}  // namespace
}  // namespace gavel::daemon
