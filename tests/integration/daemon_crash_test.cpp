// kill -9 at random points of a multi-round session, one seed per test: after a restart every
// acknowledged decision and every finding seen before the kill is still there, and the same
// session runs to convergence. The session: a.txt holds three BUG lines; the scripted reviewer
// raises a P1 per BUG line, the human (this test) upholds each new finding (triage = human),
// the scripted implementer fixes one line per turn; about seven rounds. The kill time is drawn
// from the seed; GAVEL_CRASH_SEEDS changes how many seeds run (default 50).
#include "tests/integration/daemon_fixture.hpp"

#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <thread>

namespace gavel::test {
namespace {

namespace pr = protocol;
using namespace std::chrono_literals;

int seed_count() {
  const char* env = std::getenv("GAVEL_CRASH_SEEDS");
  return env ? std::max(1, std::atoi(env)) : 50;
}

class DaemonCrash : public DaemonFixture, public ::testing::WithParamInterface<int> {
 protected:
  // Each line N holding BUG is a P1 "bug N"; each agent sleeps 0.1 s so that kills land
  // inside agent runs as well as between them.
  void use_multi_round_agents() {
    const std::string reviewer = script("reviewer.sh",
        "cat > /dev/null\nsleep 0.1\nsep=''\nprintf '{\"findings\":['\n"
        "grep -n BUG \"$1/a.txt\" | cut -d: -f1 | while read n; do\n"
        "  printf '%s{\"title\":\"bug %s\",\"body\":\"BUG marker\",\"confidence_score\":0.9,"
        "\"priority\":1,\"code_location\":{\"absolute_file_path\":\"%s/a.txt\",\"line_range\":"
        "{\"start\":%s,\"end\":%s}}}' \"$sep\" \"$n\" \"$1\" \"$n\" \"$n\"\n  sep=','\ndone\n"
        "verdict='patch is correct'; grep -q BUG \"$1/a.txt\" && verdict='patch is incorrect'\n"
        "printf '],\"overall_correctness\":\"%s\",\"overall_explanation\":\"x\","
        "\"overall_confidence_score\":0.9}\\n' \"$verdict\"\n");
    const std::string implementer = script("implementer.sh",
        "cat > /dev/null\nsleep 0.1\n"
        "n=$(grep -n BUG \"$1/a.txt\" | head -1 | cut -d: -f1)\n"
        "[ -n \"$n\" ] && sed -i \"${n}s/BUG/FIXED/\" \"$1/a.txt\"\n"
        "printf '{\"responses\":[{\"finding\":\"bug %s\",\"action\":\"fixed\","
        "\"rationale\":\"done\"}],\"summary\":\"fixed one\"}\\n' \"$n\"\n");
    write_config("[review]\nreviewer = \"scr\"\nimplementer = \"scr\"\ntriage = \"human\"\n\n" +
                 agent_table("scr", reviewer, implementer));
  }

  // Upholds every open finding not decided yet; a decision counts once the daemon answered.
  // Returns false when the daemon did not answer (it is being killed).
  bool uphold_new() {
    auto c = client::Client::connect(m_socket);
    if (!c) return false;
    auto listed = c->call(pr::FindingsListRequest{repo_path(), pr::FindingFilter::all});
    if (!listed) return false;
    for (const auto& f : listed->findings) {
      m_seen.insert(f.id);
      if (f.state != review::FindingState::open || m_acked.contains(f.id)) continue;
      auto r = c->call(pr::DecideRequest{f.id, pr::Decision::uphold, reason_for(f.id), ""});
      if (!r) return false;
      EXPECT_EQ(r->finding.state, review::FindingState::upheld) << f.id;
      m_acked[f.id] = reason_for(f.id);
    }
    return true;
  }

  std::string reason_for(const std::string& id) const {
    return "seed " + std::to_string(GetParam()) + " upholds " + id;
  }

  bool converged() {
    auto c = client::Client::connect(m_socket);
    if (!c) return false;
    auto s = c->call(pr::SessionListRequest{repo_path()});
    return s && !s->sessions.empty() && s->sessions.back().state == pr::SessionState::converged;
  }

  std::map<std::string, std::string> m_acked;  // finding id -> the reason acknowledged
  std::set<std::string> m_seen;                // every finding id listed before the end
};

TEST_P(DaemonCrash, Kill9AtARandomPointLosesNothingAndTheSessionCompletes) {
  std::mt19937 rng(static_cast<unsigned>(GetParam()) * 7919u + 17u);
  const auto kill_after = std::chrono::milliseconds(
      std::uniform_int_distribution<int>(0, 1400)(rng));  // an unbroken session takes ~1.3 s
  use_multi_round_agents();
  start_daemon({"review.apply=never"});
  add_repo();
  m_repo->write("a.txt", "BUG one\nBUG two\nBUG three\n");
  const auto kill_at = std::chrono::steady_clock::now() + kill_after;
  while (std::chrono::steady_clock::now() < kill_at && !converged()) {
    uphold_new();
    std::this_thread::sleep_for(20ms);
  }
  const bool done_before_kill = converged();
  ASSERT_EQ(stop_daemon(SIGKILL), 128 + SIGKILL);
  std::cout << "seed " << GetParam() << ": killed after " << kill_after.count() << " ms, "
            << m_acked.size() << " decision(s) acknowledged"
            << (done_before_kill ? ", session already converged" : "") << "\n";
  start_daemon({"review.apply=never"});
  ASSERT_TRUE(wait_for([&] {
    uphold_new();
    return converged();
  }, 120s)) << "killed after " << kill_after.count() << " ms";

  auto sessions = this->sessions();
  ASSERT_EQ(sessions.size(), 1u) << "the session is resumed, not replaced";
  auto listed = call(pr::FindingsListRequest{repo_path(), pr::FindingFilter::all}).findings;
  std::set<std::string> now;
  for (const auto& f : listed) now.insert(f.id);
  for (const auto& id : m_seen) EXPECT_TRUE(now.contains(id)) << id << " was lost";
  for (const auto& [id, reason] : m_acked) {
    auto shown = call(pr::FindingShowRequest{id});
    int upheld = 0;
    for (const auto& h : shown.history) {
      if (h.to == review::FindingState::upheld && h.reason == reason) ++upheld;
    }
    EXPECT_EQ(upheld, 1) << id << ": the acknowledged decision must be in its history once";
  }
  EXPECT_EQ(m_repo->read("a.txt"), "BUG one\nBUG two\nBUG three\n");  // apply = never
}

INSTANTIATE_TEST_SUITE_P(Seeds, DaemonCrash, ::testing::Range(0, seed_count()));

}  // namespace
}  // namespace gavel::test
