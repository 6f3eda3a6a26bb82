// The control socket is owner-only: directory 0700, socket 0600, peers of another uid refused,
// stale sockets replaced, a live daemon never displaced.
#include "tests/unit/daemon/control_test_support.hpp"

#include <cstring>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gavel::daemon {
namespace {

using testing::ControlServerFixture;
using testing::FakeHandler;
using testing::TempDir;
namespace pr = protocol;

constexpr uid_t k_nobody = 65534;

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode;
}

// Leaves a socket file at `path` with nobody listening (a daemon that crashed).
void make_stale_socket(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.data(), path.size());
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  ::close(fd);  // the file stays
}

class ControlPermissionsTest : public ControlServerFixture {};

TEST_F(ControlPermissionsTest, DirectoryIs0700AndSocketIs0600) {
  const auto dir_mode = mode_of(m_dir.path() + "/run");
  EXPECT_TRUE(S_ISDIR(dir_mode));
  EXPECT_EQ(dir_mode & 07777, 0700u);
  const auto sock_mode = mode_of(socket_path());
  EXPECT_TRUE(S_ISSOCK(sock_mode));
  EXPECT_EQ(sock_mode & 07777, 0600u);
}

TEST_F(ControlPermissionsTest, SecondServerOnTheSamePathIsRefused) {
  FakeHandler other;
  ControlServerOptions o;
  o.socket_path = socket_path();
  auto second = ControlServer::open(m_io.get_executor(), other, o);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, Errc::conflict);
  EXPECT_NE(second.error().message.find("already running"), std::string::npos);
  // The first one still serves, and its socket file is still there.
  auto c = connect_client();
  EXPECT_TRUE(c.call(pr::StatusRequest{}));
}

TEST_F(ControlPermissionsTest, PeerWithAnotherUidIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to setuid() a child";
  // Open the file-system path on purpose, so the connection reaches the SO_PEERCRED check
  // (normally the 0700 directory stops another user before that).
  ASSERT_EQ(::chmod(m_dir.path().c_str(), 0711), 0);
  ASSERT_EQ(::chmod((m_dir.path() + "/run").c_str(), 0711), 0);
  ASSERT_EQ(::chmod(socket_path().c_str(), 0666), 0);

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setgid(k_nobody) != 0 || ::setuid(k_nobody) != 0) ::_exit(10);
    auto c = client::Client::connect(socket_path());
    if (!c) ::_exit(11);
    auto status = c->call(pr::StatusRequest{});
    if (status) ::_exit(12);  // served: the check failed
    if (status.error().message.find("forbidden") == std::string::npos) {
      std::fprintf(stderr, "child got: %s\n", status.error().message.c_str());
      ::_exit(13);
    }
    ::_exit(0);
  }
  int wstatus = 0;
  ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0) << "10 setuid, 11 connect, 12 served, 13 wrong error";
  EXPECT_TRUE(m_handler.seen.empty());
  // Our own user is still served.
  auto c = connect_client();
  EXPECT_TRUE(c.call(pr::StatusRequest{}));
}

TEST_F(ControlPermissionsTest, AnotherUserCannotReachTheSocketAtAll) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to setuid() a child";
  ASSERT_EQ(::chmod(m_dir.path().c_str(), 0711), 0);  // the 0700 socket directory stays shut
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setgid(k_nobody) != 0 || ::setuid(k_nobody) != 0) ::_exit(10);
    auto c = client::Client::connect(socket_path());
    if (c) ::_exit(11);
    ::_exit(c.error().code == Errc::io ? 0 : 12);
  }
  int wstatus = 0;
  ASSERT_EQ(::waitpid(child, &wstatus, 0), child);
  ASSERT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0) << "10 setuid, 11 connected, 12 wrong error";
}

// Tests that open the server themselves.
class ControlSocketFileTest : public ::testing::Test {
 protected:
  Result<std::shared_ptr<ControlServer>> open_at(const std::string& path) {
    ControlServerOptions o;
    o.socket_path = path;
    return ControlServer::open(m_io.get_executor(), m_handler, o);
  }

  TempDir m_dir;
  boost::asio::io_context m_io;
  FakeHandler m_handler;
};

TEST_F(ControlSocketFileTest, StaleSocketIsReplaced) {
  const auto dir = m_dir.path() + "/run";
  ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0);
  const auto path = dir + "/gaveld.sock";
  make_stale_socket(path);
  ASSERT_TRUE(S_ISSOCK(mode_of(path)));
  auto server = open_at(path);
  ASSERT_TRUE(server) << server.error().message;
  (*server)->start();
  std::thread io([this] { m_io.run(); });
  auto c = client::Client::connect(path);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->call(pr::StatusRequest{}));
  boost::asio::post(m_io, [s = *server] { s->stop(); });
  server->reset();
  io.join();
  struct stat st {};
  EXPECT_NE(::lstat(path.c_str(), &st), 0) << "stop() removes the socket file";
}

TEST_F(ControlSocketFileTest, NonSocketFileIsNeverRemoved) {
  const auto dir = m_dir.path() + "/run";
  ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0);
  const auto path = dir + "/gaveld.sock";
  { std::FILE* f = std::fopen(path.c_str(), "w"); ASSERT_TRUE(f); std::fclose(f); }
  auto server = open_at(path);
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code, Errc::conflict);
  EXPECT_TRUE(S_ISREG(mode_of(path)));
}

TEST_F(ControlSocketFileTest, DirectoryOpenToOthersIsRefused) {
  const auto dir = m_dir.path() + "/run";
  ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0);
  ASSERT_EQ(::chmod(dir.c_str(), 0750), 0);
  auto server = open_at(dir + "/gaveld.sock");
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code, Errc::conflict);
  EXPECT_NE(server.error().message.find("0700"), std::string::npos) << server.error().message;
}

TEST_F(ControlSocketFileTest, DirectoryOwnedBySomeoneElseIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to chown";
  const auto dir = m_dir.path() + "/run";
  ASSERT_EQ(::mkdir(dir.c_str(), 0700), 0);
  ASSERT_EQ(::chown(dir.c_str(), k_nobody, k_nobody), 0);
  auto server = open_at(dir + "/gaveld.sock");
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code, Errc::conflict);
  EXPECT_NE(server.error().message.find("owned by"), std::string::npos);
}

TEST_F(ControlSocketFileTest, SymlinkedDirectoryIsRefused) {
  const auto real = m_dir.path() + "/real";
  ASSERT_EQ(::mkdir(real.c_str(), 0700), 0);
  const auto link = m_dir.path() + "/run";
  ASSERT_EQ(::symlink(real.c_str(), link.c_str()), 0);
  auto server = open_at(link + "/gaveld.sock");
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code, Errc::conflict);
}

TEST_F(ControlSocketFileTest, MissingParentIsAnIoError) {
  auto server = open_at(m_dir.path() + "/no/such/gaveld.sock");
  ASSERT_FALSE(server);
  EXPECT_EQ(server.error().code, Errc::io);
}

}  // namespace
}  // namespace gavel::daemon
