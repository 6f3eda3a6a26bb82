#pragma once
// Shared by tests/unit/daemon/control_*_test.cpp: a fake CommandHandler, a temp directory that
// is kept when a test fails, and a fixture running a real ControlServer on a real Unix socket on
// its own io_context thread.

#include "client/client.hpp"
#include "daemon/control_handler.hpp"
#include "daemon/control_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace gavel::daemon::testing {

namespace pr = protocol;

// Answers every command with a recognisable value; records what it was asked (on the io thread;
// the test reads it after the reply arrived). repo.add of "/missing" fails with not_found,
// session.show throws, finding.show waits `slow` first.
class FakeHandler : public CommandHandler {
 public:
  std::vector<pr::Request> seen;
  std::chrono::milliseconds slow{30};

  Awaitable<pr::StatusResponse> status(const pr::StatusRequest& r) override {
    seen.push_back(r);
    co_return pr::StatusResponse{"test-version", 1, 2, {"/repo"}, 1};
  }
  Awaitable<pr::RepoAddResponse> repo_add(const pr::RepoAddRequest& r) override {
    seen.push_back(r);
    if (r.path == "/missing") co_return fail(Errc::not_found, "no repository at /missing");
    co_return pr::RepoAddResponse{pr::RepoInfo{r.path, std::nullopt}};
  }
  Awaitable<pr::RepoRemoveResponse> repo_remove(const pr::RepoRemoveRequest& r) override {
    seen.push_back(r);
    co_return pr::RepoRemoveResponse{r.path};
  }
  Awaitable<pr::RepoListResponse> repo_list(const pr::RepoListRequest& r) override {
    seen.push_back(r);
    co_return pr::RepoListResponse{{pr::RepoInfo{"/repo", "s-1"}}};
  }
  Awaitable<pr::ReviewStartResponse> review_start(const pr::ReviewStartRequest& r) override {
    seen.push_back(r);
    co_return pr::ReviewStartResponse{session(r.repo)};
  }
  Awaitable<pr::ReviewCancelResponse> review_cancel(const pr::ReviewCancelRequest& r) override {
    seen.push_back(r);
    auto s = session(r.repo);
    s.state = pr::SessionState::cancelled;
    co_return pr::ReviewCancelResponse{s};
  }
  Awaitable<pr::SessionListResponse> session_list(const pr::SessionListRequest& r) override {
    seen.push_back(r);
    co_return pr::SessionListResponse{{session("/repo")}};
  }
  Awaitable<pr::SessionShowResponse> session_show(const pr::SessionShowRequest& r) override {
    seen.push_back(r);
    throw std::runtime_error("fake handler blew up");
    co_return pr::SessionShowResponse{};
  }
  Awaitable<pr::FindingsListResponse> findings_list(const pr::FindingsListRequest& r) override {
    seen.push_back(r);
    co_return pr::FindingsListResponse{};
  }
  Awaitable<pr::FindingShowResponse> finding_show(const pr::FindingShowRequest& r) override {
    seen.push_back(r);
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, slow);
    co_await timer.async_wait(boost::asio::use_awaitable);
    pr::FindingShowResponse out;
    out.finding.id = r.id;
    co_return out;
  }
  Awaitable<pr::DecideResponse> decide(const pr::DecideRequest& r) override {
    seen.push_back(r);
    pr::DecideResponse out;
    out.finding.id = r.finding;
    out.finding.agent = r.actor;  // lets a test see the actor the server filled in
    co_return out;
  }
  Awaitable<pr::GateCheckResponse> gate_check(const pr::GateCheckRequest& r) override {
    seen.push_back(r);
    co_return pr::GateCheckResponse{pr::GateStatus::pass, "s-1", {}, std::nullopt, r.fingerprint};
  }
  Awaitable<pr::UndoResponse> undo(const pr::UndoRequest& r) override {
    seen.push_back(r);
    co_return pr::UndoResponse{r.repo, "refs/gavel/undo/1"};
  }
  Awaitable<pr::NoteAttachResponse> note_attach(const pr::NoteAttachRequest& r) override {
    seen.push_back(r);
    co_return pr::NoteAttachResponse{true, "4b825dc642cb6eb9a060e54bf8d69288fbee4904", ""};
  }
  Awaitable<pr::ShutdownResponse> shutdown(const pr::ShutdownRequest& r) override {
    seen.push_back(r);
    co_return pr::ShutdownResponse{true};
  }

  static pr::SessionSummary session(const std::string& repo) {
    return pr::SessionSummary{"s-1", repo, "fp", pr::SessionState::running, 1, 8, "codex", 5};
  }
};

// A fresh directory under /tmp (mode 0700), removed afterwards unless the test failed.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/gavel-ctl-XXXXXX";
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
  }
  ~TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    if (info && info->result()->Failed()) {
      std::fprintf(stderr, "kept %s\n", m_path.c_str());
      return;
    }
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  const std::string& path() const { return m_path; }

 private:
  std::string m_path;
};

// A real server on `socket_path()` served by an io_context thread.
class ControlServerFixture : public ::testing::Test {
 protected:
  void SetUp() override { start_server(); }
  void TearDown() override {
    stop_server();
    m_guard.reset();
    if (m_thread.joinable()) m_thread.join();
  }

  std::string socket_path() const { return m_dir.path() + "/run/gaveld.sock"; }

  virtual ControlServerOptions options() {
    ControlServerOptions o;
    o.socket_path = socket_path();
    return o;
  }

  void start_server() {
    auto server = ControlServer::open(m_io.get_executor(), m_handler, options());
    ASSERT_TRUE(server) << server.error().message;
    m_server = *server;
    m_server->start();
    if (!m_thread.joinable()) m_thread = std::thread([this] { m_io.run(); });
  }

  void stop_server() {
    if (!m_server) return;
    on_io([this] { m_server->stop(); });
    on_io([this] { m_server.reset(); });
  }

  // Runs `f` on the io_context thread and waits for it.
  template <class F>
  void on_io(F f) {
    std::promise<void> done;
    boost::asio::post(m_io, [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
  }

  client::Client connect_client(client::ClientOptions o = {}) {
    auto c = client::Client::connect(socket_path(), o);
    if (!c) throw std::runtime_error(c.error().message);
    return std::move(*c);
  }

  TempDir m_dir;
  boost::asio::io_context m_io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_guard{
      m_io.get_executor()};
  std::thread m_thread;
  FakeHandler m_handler;
  std::shared_ptr<ControlServer> m_server;
};

}  // namespace gavel::daemon::testing
