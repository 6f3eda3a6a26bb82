// The client library against scripted fake daemons (plain POSIX sockets, one thread each):
// timeouts, ordering, events between replies, errors. The real server is exercised in
// tests/unit/daemon/control_*_test.cpp.
#include "client/client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace gavel::client {
namespace {

namespace pr = protocol;
using nlohmann::json;

// Listens on a socket in a temp dir; serves one connection with `script` on a thread.
class FakeDaemon {
 public:
  explicit FakeDaemon(bool listen_too = true) {
    std::string pattern = "/tmp/gavel-cli-XXXXXX";
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp");
    m_dir = pattern;
    m_path = m_dir + "/d.sock";
    m_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, m_path.data(), m_path.size());
    if (::bind(m_fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("bind");
    }
    if (listen_too) ::listen(m_fd, 4);
  }
  ~FakeDaemon() {
    if (m_thread.joinable()) m_thread.join();
    ::close(m_fd);
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
  }

  // `script` gets the accepted descriptor; it is closed when the script returns.
  void serve(std::function<void(int)> script) {
    m_thread = std::thread([this, script = std::move(script)] {
      const int conn = ::accept(m_fd, nullptr, nullptr);
      if (conn < 0) return;
      script(conn);
      ::close(conn);
    });
  }

  const std::string& path() const { return m_path; }

  // Reads one line from `fd` (blocking); empty at EOF.
  static std::string read_line(int fd) {
    std::string line;
    char ch;
    while (::read(fd, &ch, 1) == 1) {
      if (ch == '\n') return line;
      line.push_back(ch);
    }
    return line;
  }
  static void write(int fd, const std::string& text) {
    ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }

 private:
  std::string m_dir, m_path;
  int m_fd = -1;
  std::thread m_thread;
};

TEST(Client, NoDaemonIsUnavailable) {
  auto c = Client::connect("/tmp/gavel-definitely-not-here/gaveld.sock");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Errc::unavailable);
}

TEST(Client, StaleSocketIsUnavailable) {
  FakeDaemon stale(false);  // bound, not listening
  auto c = Client::connect(stale.path());
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Errc::unavailable);
}

TEST(Client, TooLongPathIsInvalid) {
  auto c = Client::connect("/tmp/" + std::string(200, 'x'));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Errc::invalid_argument);
}

TEST(Client, SendsOneRequestLineAndDecodesTheReply) {
  FakeDaemon d;
  std::string received;
  d.serve([&](int fd) {
    received = FakeDaemon::read_line(fd);
    const auto id = json::parse(received).at("id").get<int>();
    FakeDaemon::write(fd, json{{"id", id}, {"ok", true},
                               {"result", {{"status", "block"}, {"message", "1 finding"}}}}
                                  .dump() + "\n");
  });
  auto c = Client::connect(d.path());
  ASSERT_TRUE(c) << c.error().message;
  auto gate = c->call(pr::GateCheckRequest{"/r", "fp"});
  ASSERT_TRUE(gate) << gate.error().message;
  EXPECT_EQ(gate->status, pr::GateStatus::block);
  EXPECT_EQ(gate->message, "1 finding");
  const auto sent = json::parse(received);
  EXPECT_EQ(sent.at("command"), "gate.check");
  EXPECT_EQ(sent.at("args").at("fingerprint"), "fp");
}

TEST(Client, SilentDaemonTimesOut) {
  FakeDaemon d;
  d.serve([](int fd) {
    FakeDaemon::read_line(fd);
    FakeDaemon::read_line(fd);  // holds the connection until the client closes
  });
  auto c = Client::connect(d.path(), ClientOptions{std::chrono::milliseconds(50)});
  ASSERT_TRUE(c);
  const auto start = std::chrono::steady_clock::now();
  auto r = c->call(pr::StatusRequest{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  c->close();
}

TEST(Client, DaemonClosingIsUnavailable) {
  FakeDaemon d;
  d.serve([](int fd) { FakeDaemon::read_line(fd); });
  auto c = Client::connect(d.path());
  ASSERT_TRUE(c);
  auto r = c->call(pr::StatusRequest{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::unavailable);
}

TEST(Client, ErrorReplyBecomesAnError) {
  FakeDaemon d;
  d.serve([](int fd) {
    FakeDaemon::read_line(fd);
    FakeDaemon::write(fd,
                      R"({"id":1,"ok":false,"error":{"code":"conflict","message":"busy"}})"
                      "\n");
  });
  auto c = Client::connect(d.path());
  ASSERT_TRUE(c);
  auto r = c->call(pr::UndoRequest{"/r"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::conflict);
  EXPECT_EQ(r.error().message, "busy");
}

TEST(Client, ReplyToAnotherRequestIsAParseError) {
  FakeDaemon d;
  d.serve([](int fd) {
    FakeDaemon::read_line(fd);
    FakeDaemon::write(fd, R"({"id":99,"ok":true,"result":{"version":"x"}})" "\n");
  });
  auto c = Client::connect(d.path());
  ASSERT_TRUE(c);
  auto r = c->call(pr::StatusRequest{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::parse);
}

TEST(Client, EventsBeforeAReplyAreKeptForNextEvent) {
  FakeDaemon d;
  d.serve([](int fd) {
    FakeDaemon::read_line(fd);  // subscribe
    FakeDaemon::write(fd, R"({"id":1,"ok":true,"result":{"subscribed":true}})" "\n");
    FakeDaemon::read_line(fd);  // status
    // An event, split across two writes, then the reply.
    FakeDaemon::write(fd, R"({"event":"escalated","session":"s","re)");
    FakeDaemon::write(fd, R"(po":"/r","reason":"stall","findings":["f"]})" "\n"
                          R"({"id":2,"ok":true,"result":{"version":"v"}})" "\n");
    FakeDaemon::read_line(fd);
  });
  auto c = Client::connect(d.path());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->call(pr::SubscribeRequest{}));
  auto status = c->call(pr::StatusRequest{});
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->version, "v");
  auto e = c->next_event(std::chrono::seconds(2));
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(std::get<pr::EscalatedEvent>(*e).reason, "stall");
  c->close();
}

TEST(Client, RequestRefusesToMixWithOutstandingPipelinedRequests) {
  FakeDaemon d;
  d.serve([](int fd) { FakeDaemon::read_line(fd); FakeDaemon::read_line(fd); });
  auto c = Client::connect(d.path());
  ASSERT_TRUE(c);
  ASSERT_TRUE(c->send(pr::StatusRequest{}));
  auto r = c->request(pr::StatusRequest{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  auto none = Client(std::move(*c));
  none.close();
  EXPECT_FALSE(none.receive());
}

}  // namespace
}  // namespace gavel::client
