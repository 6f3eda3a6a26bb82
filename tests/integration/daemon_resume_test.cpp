// What a restarted gaveld carries over: an escalation arbitrated after a restart finishes the
// same session, and a finding a human dismissed is not raised again by a later session.
#include "tests/integration/daemon_fixture.hpp"

#include "protocol/names.hpp"

#include <signal.h>

namespace gavel::test {
namespace {

namespace pr = protocol;
class DaemonResume : public DaemonFixture {
 protected:
  bool escalated() {
    auto s = sessions();
    return !s.empty() && s.back().state == pr::SessionState::escalated;
  }
};

// The builtin agents deadlock on a hard-coded password: the rules reviewer insists, the patch
// implementer has no mechanical fix and disputes it.
constexpr const char* k_password = "PASSWORD = \"Zq8#kLm2$vT9pWx4\"\n";

TEST_F(DaemonResume, EscalationArbitratedAfterARestartFinishesTheSameSession) {
  start_daemon();
  add_repo();
  m_repo->write("a.txt", k_password);
  ASSERT_TRUE(wait_for([&] { return escalated(); }));
  ASSERT_EQ(stop_daemon(SIGKILL), 128 + SIGKILL);
  start_daemon();
  auto findings = call(pr::FindingsListRequest{repo_path(), pr::FindingFilter::all}).findings;
  ASSERT_FALSE(findings.empty());
  for (const auto& f : findings) {
    if (f.state == review::FindingState::verified || f.state == review::FindingState::withdrawn) {
      continue;
    }
    call(pr::DecideRequest{f.id, pr::Decision::dismiss, "a test fixture, not a secret", ""});
  }
  ASSERT_TRUE(wait_for([&] {
    auto s = sessions();
    return s.size() == 1 && s[0].state == pr::SessionState::converged;
  })) << "sessions: " << sessions().size() << ", state "
      << pr::to_string(sessions().back().state);
}

TEST_F(DaemonResume, ADismissedFindingIsNotRaisedByALaterSession) {
  start_daemon();
  add_repo();
  m_repo->write("a.txt", k_password);
  ASSERT_TRUE(wait_for([&] { return escalated(); }));
  for (const auto& f : call(pr::FindingsListRequest{repo_path(), pr::FindingFilter::open_only}).findings) {
    call(pr::DecideRequest{f.id, pr::Decision::dismiss, "a test fixture, not a secret", ""});
  }
  ASSERT_TRUE(wait_for([&] { return sessions().back().state == pr::SessionState::converged; }));
  // A later change elsewhere in the file: a new session, which must not raise the password
  // again while its line is unchanged.
  m_repo->write("a.txt", std::string("# settings\n") + k_password);
  ASSERT_TRUE(wait_for([&] {
    auto s = sessions();
    return s.size() >= 2 && final_state(s.back());
  }));
  auto last = sessions().back();
  EXPECT_EQ(last.state, pr::SessionState::converged);
  auto shown = call(pr::SessionShowRequest{last.id});
  EXPECT_TRUE(shown.findings.empty()) << shown.findings.size() << " finding(s) raised again";
}

}  // namespace
}  // namespace gavel::test
