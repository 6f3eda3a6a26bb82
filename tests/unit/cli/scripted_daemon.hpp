#pragma once
// A scripted gaveld for the CLI tests: a real daemon::ControlServer on a real Unix socket in a
// temp directory, served by an io_context thread of the test process, answering from a script
// the test sets (ScriptedHandler). The built `gavel` reaches it through GAVEL_SOCKET, exactly as
// it would reach gaveld. Used by tests/unit/cli/*_test.cpp until the real daemon's own tests
// take over; the handler's state is guarded by a mutex because the test thread sets scripts
// while the io thread answers.

#include "daemon/control_handler.hpp"
#include "daemon/control_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace gavel::cli::testing {

namespace pr = protocol;

class ScriptedHandler : public daemon::CommandHandler {
 public:
  // gate.check answers (fingerprint form), in order; the last one repeats. Empty: no_session.
  // An index-form gate.check (gavel-hook) takes the real staged snapshot, then asks the
  // fingerprint form, so it consumes one answer too.
  std::deque<pr::GateCheckResponse> gate_script;
  std::optional<Error> gate_error;  // set: gate.check fails with it
  std::map<std::string, pr::SessionShowResponse> sessions;
  std::vector<pr::FindingSummary> findings;  // findings.list (all); open_only filters
  std::map<std::string, pr::FindingShowResponse> shown;
  std::vector<std::string> repos;

  // What was asked.
  std::vector<pr::GateCheckRequest> gate_requests;   // fingerprint form (the judgement)
  std::vector<pr::GateCheckRequest> index_requests;  // index form (gavel-hook's fast path)
  std::vector<pr::NoteAttachRequest> note_requests;
  std::vector<pr::ReviewStartRequest> starts;
  std::vector<pr::DecideRequest> decisions;
  std::vector<pr::Request> seen;
  bool shutdown_asked = false;

  std::mutex mutex;  // guards everything above

  daemon::Awaitable<pr::StatusResponse> status(const pr::StatusRequest&) override;
  daemon::Awaitable<pr::RepoAddResponse> repo_add(const pr::RepoAddRequest& r) override;
  daemon::Awaitable<pr::RepoRemoveResponse> repo_remove(const pr::RepoRemoveRequest& r) override;
  daemon::Awaitable<pr::RepoListResponse> repo_list(const pr::RepoListRequest& r) override;
  daemon::Awaitable<pr::ReviewStartResponse> review_start(const pr::ReviewStartRequest& r) override;
  daemon::Awaitable<pr::ReviewCancelResponse> review_cancel(
      const pr::ReviewCancelRequest& r) override;
  daemon::Awaitable<pr::SessionListResponse> session_list(const pr::SessionListRequest& r) override;
  daemon::Awaitable<pr::SessionShowResponse> session_show(const pr::SessionShowRequest& r) override;
  daemon::Awaitable<pr::FindingsListResponse> findings_list(
      const pr::FindingsListRequest& r) override;
  daemon::Awaitable<pr::FindingShowResponse> finding_show(const pr::FindingShowRequest& r) override;
  daemon::Awaitable<pr::DecideResponse> decide(const pr::DecideRequest& r) override;
  daemon::Awaitable<pr::GateCheckResponse> gate_check(const pr::GateCheckRequest& r) override;
  daemon::Awaitable<pr::UndoResponse> undo(const pr::UndoRequest& r) override;
  daemon::Awaitable<pr::ShutdownResponse> shutdown(const pr::ShutdownRequest& r) override;
  daemon::Awaitable<pr::NoteAttachResponse> note_attach(const pr::NoteAttachRequest& r) override;
};

// The server, on its own thread, for one test.
class ScriptedDaemon {
 public:
  explicit ScriptedDaemon(const std::filesystem::path& dir);
  ~ScriptedDaemon();
  ScriptedDaemon(const ScriptedDaemon&) = delete;
  ScriptedDaemon& operator=(const ScriptedDaemon&) = delete;

  const std::string& socket_path() const { return m_socket; }
  // "GAVEL_SOCKET=<path>", for the environment of `gavel` and `git commit`.
  std::string env() const { return "GAVEL_SOCKET=" + m_socket; }
  ScriptedHandler& handler() { return m_handler; }

 private:
  std::string m_socket;
  ScriptedHandler m_handler;
  boost::asio::io_context m_io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_guard;
  std::shared_ptr<daemon::ControlServer> m_server;
  std::thread m_thread;
};

// Handy values.
pr::FindingSummary finding(std::string id, review::Priority p, review::FindingState s,
                           std::string path, int line, std::string title);
pr::SessionSummary session(std::string id, std::string repo, pr::SessionState state, int round);

}  // namespace gavel::cli::testing
