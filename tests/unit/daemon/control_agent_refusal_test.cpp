// The control server refuses mutating commands from an agent's process (control_dispatch.hpp):
// here the test process itself is registered as an agent, so its own client is one.
#include "tests/unit/daemon/control_test_support.hpp"

#include "agents/agent_processes.hpp"

#include <unistd.h>

namespace gavel::daemon {
namespace {

using testing::ControlServerFixture;
namespace pr = protocol;

class ControlAgentRefusal : public ControlServerFixture {
 protected:
  void SetUp() override {
    ControlServerFixture::SetUp();
    agents::register_agent_process(::getpid());
  }
  void TearDown() override {
    agents::unregister_agent_process(::getpid());
    ControlServerFixture::TearDown();
  }

  // Calls `req` and expects a permission_denied reply naming its command.
  template <class Req>
  void expect_refused(client::Client& c, const Req& req) {
    auto r = c.call(req);
    ASSERT_FALSE(r) << pr::to_string(Req::k_command) << " was not refused";
    EXPECT_EQ(r.error().code, Errc::permission_denied);
    EXPECT_NE(r.error().message.find(std::string(pr::to_string(Req::k_command)) + " refused"),
              std::string::npos)
        << r.error().message;
  }
};

TEST_F(ControlAgentRefusal, EveryMutatingCommandIsRefusedAndNeverReachesTheHandler) {
  auto c = connect_client();
  expect_refused(c, pr::DecideRequest{"f-1", pr::Decision::dismiss, "looks fine to me", ""});
  expect_refused(c, pr::DecideRequest{"f-1", pr::Decision::uphold, "", "human:someone"});
  expect_refused(c, pr::ReviewStartRequest{"/r", pr::DiffScope::worktree, "", "", ""});
  expect_refused(c, pr::ReviewCancelRequest{"", "/r"});
  expect_refused(c, pr::UndoRequest{"/r"});
  expect_refused(c, pr::RepoAddRequest{"/r"});
  expect_refused(c, pr::RepoRemoveRequest{"/r"});
  expect_refused(c, pr::ShutdownRequest{});
  on_io([this] { EXPECT_TRUE(m_handler.seen.empty()); });
  // The connection stays usable.
  EXPECT_TRUE(c.call(pr::StatusRequest{}));
}

TEST_F(ControlAgentRefusal, ReadsAndTheGateStayAllowed) {
  auto c = connect_client();
  EXPECT_TRUE(c.call(pr::StatusRequest{}));
  EXPECT_TRUE(c.call(pr::RepoListRequest{}));
  EXPECT_TRUE(c.call(pr::SessionListRequest{"/repo"}));
  EXPECT_TRUE(c.call(pr::FindingsListRequest{"/repo", pr::FindingFilter::open_only}));
  EXPECT_TRUE(c.call(pr::FindingShowRequest{"f-1"}));
  auto gate = c.call(pr::GateCheckRequest{"/repo", "fp"});
  ASSERT_TRUE(gate) << gate.error().message;
  EXPECT_EQ(gate->status, pr::GateStatus::pass);
}

TEST_F(ControlAgentRefusal, OnceTheAgentIsGoneThePeerMayDecideAgain) {
  auto c = connect_client();
  expect_refused(c, pr::DecideRequest{"f-1", pr::Decision::uphold, "", ""});
  agents::unregister_agent_process(::getpid());
  auto decided = c.call(pr::DecideRequest{"f-1", pr::Decision::uphold, "", ""});
  ASSERT_TRUE(decided) << decided.error().message;
  EXPECT_EQ(decided->finding.agent.rfind("human:", 0), 0u);
}

}  // namespace
}  // namespace gavel::daemon
