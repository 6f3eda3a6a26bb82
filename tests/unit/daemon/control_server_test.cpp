// A real ControlServer on a real Unix socket, driven by the real client library.
#include "tests/unit/daemon/control_test_support.hpp"

#include <nlohmann/json.hpp>

#include <sys/stat.h>

namespace gavel::daemon {
namespace {

using testing::ControlServerFixture;
using nlohmann::json;
namespace pr = protocol;

class ControlServerTest : public ControlServerFixture {};

json read_json_line(client::Client& c) {
  auto line = c.read_line(std::chrono::seconds(5));
  if (!line) throw std::runtime_error(line.error().message);
  return json::parse(*line);
}

TEST_F(ControlServerTest, AnswersARequest) {
  auto c = connect_client();
  auto status = c.call(pr::StatusRequest{});
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->version, "test-version");
  EXPECT_EQ(status->repos, std::vector<std::string>{"/repo"});

  auto gate = c.call(pr::GateCheckRequest{"/repo", "fp-123"});
  ASSERT_TRUE(gate) << gate.error().message;
  EXPECT_EQ(gate->status, pr::GateStatus::pass);
  EXPECT_EQ(gate->message, "fp-123");
  ASSERT_EQ(m_handler.seen.size(), 2u);
  EXPECT_EQ(m_handler.seen[1], pr::Request(pr::GateCheckRequest{"/repo", "fp-123"}));
}

TEST_F(ControlServerTest, HandlerErrorIsAnErrorReplyAndTheConnectionStays) {
  auto c = connect_client();
  auto added = c.call(pr::RepoAddRequest{"/missing"});
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, Errc::not_found);
  EXPECT_EQ(added.error().message, "no repository at /missing");
  EXPECT_TRUE(c.call(pr::RepoAddRequest{"/here"}));
}

TEST_F(ControlServerTest, HandlerExceptionIsAnInternalErrorReply) {
  auto c = connect_client();
  auto shown = c.call(pr::SessionShowRequest{"s-1"});
  ASSERT_FALSE(shown);
  EXPECT_EQ(shown.error().code, Errc::internal);
  EXPECT_TRUE(c.call(pr::StatusRequest{}));
}

TEST_F(ControlServerTest, PipelinedRequestsAreAnsweredInOrder) {
  auto c = connect_client();
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 10; ++i) {
    // finding.show is slow in the fake; status is immediate: order must still hold.
    auto id = i % 2 == 0 ? c.send(pr::FindingShowRequest{"f-" + std::to_string(i)})
                         : c.send(pr::StatusRequest{});
    ASSERT_TRUE(id);
    ids.push_back(*id);
  }
  for (int i = 0; i < 10; ++i) {
    auto r = c.receive();
    ASSERT_TRUE(r) << r.error().message;
    if (i % 2 == 0) {
      ASSERT_EQ(r->index(), static_cast<std::size_t>(pr::Command::finding_show));
      EXPECT_EQ(std::get<pr::FindingShowResponse>(*r).finding.id, "f-" + std::to_string(i));
    } else {
      EXPECT_EQ(r->index(), static_cast<std::size_t>(pr::Command::status));
    }
  }
}

TEST_F(ControlServerTest, SeveralRequestsInOneWrite) {
  auto c = connect_client();
  ASSERT_TRUE(c.send_raw(R"({"id":1,"command":"status"})"
                         "\n"
                         R"({"id":2,"command":"repo.list"})"
                         "\r\n"));
  const auto first = read_json_line(c);
  const auto second = read_json_line(c);
  EXPECT_EQ(first.at("id"), 1);
  EXPECT_EQ(first.at("result").at("version"), "test-version");
  EXPECT_EQ(second.at("id"), 2);
  EXPECT_EQ(second.at("result").at("repos").at(0).at("path"), "/repo");
}

TEST_F(ControlServerTest, MalformedLinesGetErrorRepliesAndTheConnectionStaysUsable) {
  auto c = connect_client();
  ASSERT_TRUE(c.send_raw("this is not json\n"));
  auto not_json = read_json_line(c);
  EXPECT_EQ(not_json.at("ok"), false);
  EXPECT_TRUE(not_json.at("id").is_null());
  EXPECT_EQ(not_json.at("error").at("code"), "bad_request");

  ASSERT_TRUE(c.send_raw(R"({"id":41,"command":"no.such"})" "\n"));
  auto unknown = read_json_line(c);
  EXPECT_EQ(unknown.at("id"), 41);
  EXPECT_EQ(unknown.at("error").at("code"), "unknown_command");

  ASSERT_TRUE(c.send_raw(R"({"id":42,"command":"repo.add","args":{"path":false}})" "\n"));
  auto mistyped = read_json_line(c);
  EXPECT_EQ(mistyped.at("id"), 42);
  EXPECT_EQ(mistyped.at("error").at("code"), "bad_request");
  EXPECT_NE(mistyped.at("error").at("message").get<std::string>().find("path"),
            std::string::npos);

  auto status = c.call(pr::StatusRequest{});
  EXPECT_TRUE(status) << status.error().message;
  EXPECT_TRUE(m_handler.seen.size() == 1u) << "malformed requests never reach the handler";
}

TEST_F(ControlServerTest, OversizeLineGetsAnErrorAndTheConnectionIsClosed) {
  auto c = connect_client();
  ASSERT_TRUE(c.send_raw(R"({"id":1,"command":"status"})" "\n"));
  // More than the 1 MiB default, no newline: the server must not wait for one.
  const std::string huge(protocol::k_default_max_line_bytes + 100, 'x');
  (void)c.send_raw(huge);  // may fail with EPIPE once the server has closed: that is fine
  auto answered = read_json_line(c);
  EXPECT_EQ(answered.at("id"), 1);
  auto error = read_json_line(c);
  EXPECT_EQ(error.at("ok"), false);
  EXPECT_EQ(error.at("error").at("code"), "line_too_long");
  auto eof = c.read_line(std::chrono::seconds(5));
  ASSERT_FALSE(eof);
  EXPECT_EQ(eof.error().code, Errc::unavailable);
  // The server itself is fine.
  auto other = connect_client();
  EXPECT_TRUE(other.call(pr::StatusRequest{}));
}

TEST_F(ControlServerTest, DecideGetsTheActorFromThePeer) {
  auto c = connect_client();
  auto decided = c.call(pr::DecideRequest{"f-1", pr::Decision::waive, "accepted risk", ""});
  ASSERT_TRUE(decided) << decided.error().message;
  EXPECT_EQ(decided->finding.agent.rfind("human:", 0), 0u) << decided->finding.agent;
  // A client cannot speak for someone else: its actor is replaced by the peer's own.
  auto claimed = c.call(pr::DecideRequest{"f-1", pr::Decision::uphold, "", "human:ann"});
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->finding.agent, decided->finding.agent);
  auto as_agent = c.call(pr::DecideRequest{"f-1", pr::Decision::uphold, "", "codex"});
  ASSERT_TRUE(as_agent);
  EXPECT_EQ(as_agent->finding.agent, decided->finding.agent);
}

TEST_F(ControlServerTest, EveryCommandReachesItsHandlerMethod) {
  auto c = connect_client();
  EXPECT_TRUE(c.call(pr::RepoRemoveRequest{"/r"}));
  EXPECT_TRUE(c.call(pr::RepoListRequest{}));
  EXPECT_TRUE(c.call(pr::ReviewStartRequest{"/r", pr::DiffScope::staged, "intent", "a", "b"}));
  auto cancelled = c.call(pr::ReviewCancelRequest{"", "/r"});
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->session.state, pr::SessionState::cancelled);
  EXPECT_TRUE(c.call(pr::SessionListRequest{}));
  EXPECT_TRUE(c.call(pr::FindingsListRequest{"/r", pr::FindingFilter::all}));
  auto undone = c.call(pr::UndoRequest{"/r"});
  ASSERT_TRUE(undone);
  EXPECT_EQ(undone->restored, "refs/gavel/undo/1");
  EXPECT_TRUE(c.call(pr::ShutdownRequest{}));
  ASSERT_EQ(m_handler.seen.size(), 8u);
  EXPECT_EQ(m_handler.seen[2],
            pr::Request(pr::ReviewStartRequest{"/r", pr::DiffScope::staged, "intent", "a", "b"}));
  EXPECT_EQ(m_handler.seen[7].index(), static_cast<std::size_t>(pr::Command::shutdown));
}

TEST_F(ControlServerTest, ClientLeavingMidRequestDoesNotDisturbTheServer) {
  {
    auto c = connect_client();
    ASSERT_TRUE(c.send(pr::FindingShowRequest{"f-slow"}));
  }  // closed before the slow reply
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  auto c = connect_client();
  EXPECT_TRUE(c.call(pr::StatusRequest{}));
}

TEST_F(ControlServerTest, StoppedServerLeavesNoSocketFileAndClosesConnections) {
  auto c = connect_client();
  ASSERT_TRUE(c.call(pr::StatusRequest{}));
  struct stat st {};
  ASSERT_EQ(::stat(socket_path().c_str(), &st), 0);
  stop_server();
  EXPECT_NE(::stat(socket_path().c_str(), &st), 0);
  EXPECT_EQ(errno, ENOENT);
  auto after = c.read_line(std::chrono::seconds(5));
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, Errc::unavailable);
  auto refused = client::Client::connect(socket_path());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::unavailable);
}

}  // namespace
}  // namespace gavel::daemon
