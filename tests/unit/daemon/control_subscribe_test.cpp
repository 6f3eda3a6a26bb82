// subscribe turns a connection into an event stream fed by ControlServer::publish().
#include "tests/unit/daemon/control_test_support.hpp"

namespace gavel::daemon {
namespace {

using testing::ControlServerFixture;
namespace pr = protocol;

class ControlSubscribeTest : public ControlServerFixture {
 protected:
  static pr::Event round_started(const std::string& repo, int n) {
    return pr::RoundStartedEvent{"s-" + std::to_string(n), repo,
                                 pr::RoundSummary{n, "codex", "reviewer", 0, 0, 0, ""}};
  }

  // Waits until the server has registered `n` subscribers (their replies were queued first).
  void wait_for_subscribers(std::size_t n) {
    for (int i = 0; i < 500; ++i) {
      std::size_t count = 0;
      on_io([&] { count = m_server->subscriber_count(); });
      if (count >= n) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    FAIL() << "subscribers never registered";
  }
};

TEST_F(ControlSubscribeTest, SubscriberGetsPublishedEventsInOrder) {
  auto c = connect_client();
  auto sub = c.call(pr::SubscribeRequest{});
  ASSERT_TRUE(sub) << sub.error().message;
  EXPECT_TRUE(sub->subscribed);

  const std::vector<pr::Event> events{
      pr::SessionStartedEvent{"s-1", "/repo", testing::FakeHandler::session("/repo")},
      round_started("/repo", 1),
      pr::FindingRaisedEvent{"s-1", "/repo", pr::FindingSummary{}},
      pr::RoundFinishedEvent{"s-1", "/repo",
                             pr::RoundSummary{1, "codex", "reviewer", 1, 2, 3, "ok"}},
      pr::VerdictEvent{"s-1", "/repo", pr::SessionState::escalated, {}},
      pr::EscalatedEvent{"s-1", "/repo", "dispute", {"f-1"}},
  };
  on_io([&] {
    for (const auto& e : events) m_server->publish(e);
  });
  for (const auto& expected : events) {
    auto got = c.next_event(std::chrono::seconds(5));
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(*got, expected);
  }
}

TEST_F(ControlSubscribeTest, ManyEventsArriveInOrder) {
  auto c = connect_client();
  ASSERT_TRUE(c.call(pr::SubscribeRequest{}));
  on_io([&] {
    for (int i = 1; i <= 500; ++i) m_server->publish(round_started("/repo", i));
  });
  for (int i = 1; i <= 500; ++i) {
    auto got = c.next_event(std::chrono::seconds(5));
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(std::get<pr::RoundStartedEvent>(*got).round.number, i);
  }
}

TEST_F(ControlSubscribeTest, RepositoryFilterAndPlainConnections) {
  auto all = connect_client();
  auto only_a = connect_client();
  auto plain = connect_client();
  ASSERT_TRUE(all.call(pr::SubscribeRequest{}));
  ASSERT_TRUE(only_a.call(pr::SubscribeRequest{"/a"}));
  ASSERT_TRUE(plain.call(pr::StatusRequest{}));
  wait_for_subscribers(2);

  on_io([&] {
    m_server->publish(round_started("/b", 1));
    m_server->publish(round_started("/a", 2));
  });
  auto first = all.next_event(std::chrono::seconds(5));
  auto second = all.next_event(std::chrono::seconds(5));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(pr::event_repo(*first), "/b");
  EXPECT_EQ(pr::event_repo(*second), "/a");

  auto filtered = only_a.next_event(std::chrono::seconds(5));
  ASSERT_TRUE(filtered);
  EXPECT_EQ(pr::event_repo(*filtered), "/a");
  auto nothing_more = only_a.next_event(std::chrono::milliseconds(100));
  ASSERT_FALSE(nothing_more);
  EXPECT_EQ(nothing_more.error().code, Errc::timeout);

  auto none = plain.next_event(std::chrono::milliseconds(100));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::timeout);
}

TEST_F(ControlSubscribeTest, RequestsStillWorkOnASubscribedConnection) {
  auto c = connect_client();
  ASSERT_TRUE(c.call(pr::SubscribeRequest{}));
  on_io([&] { m_server->publish(round_started("/repo", 7)); });
  // The event arrives before the reply; the client keeps it for next_event().
  auto status = c.call(pr::StatusRequest{});
  ASSERT_TRUE(status) << status.error().message;
  auto event = c.next_event(std::chrono::seconds(5));
  ASSERT_TRUE(event);
  EXPECT_EQ(std::get<pr::RoundStartedEvent>(*event).round.number, 7);
}

TEST_F(ControlSubscribeTest, ClosedSubscriberIsForgotten) {
  {
    auto c = connect_client();
    ASSERT_TRUE(c.call(pr::SubscribeRequest{}));
    wait_for_subscribers(1);
  }
  for (int i = 0; i < 500; ++i) {
    std::size_t sessions = 1;
    on_io([&] {
      m_server->publish(round_started("/repo", i));
      sessions = m_server->session_count();
    });
    if (sessions == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  FAIL() << "the closed subscriber's session was never removed";
}

class ControlSlowSubscriberTest : public ControlSubscribeTest {
 protected:
  ControlServerOptions options() override {
    auto o = ControlSubscribeTest::options();
    o.limits.max_queued_bytes = 64 * 1024;
    return o;
  }
};

TEST_F(ControlSlowSubscriberTest, SubscriberThatDoesNotReadIsDropped) {
  auto c = connect_client();
  ASSERT_TRUE(c.call(pr::SubscribeRequest{}));
  wait_for_subscribers(1);
  // Far more than the socket buffers plus the 64 KiB bound, while the client reads nothing.
  pr::EscalatedEvent big{"s", "/repo", std::string(4096, 'r'), {}};
  on_io([&] {
    for (int i = 0; i < 2000; ++i) m_server->publish(big);
  });
  std::string last_error;
  for (int i = 0; i < 3000; ++i) {
    auto e = c.next_event(std::chrono::seconds(5));
    if (!e) {
      last_error = e.error().message;
      break;
    }
  }
  EXPECT_NE(last_error.find("overloaded"), std::string::npos) << last_error;
}

}  // namespace
}  // namespace gavel::daemon
