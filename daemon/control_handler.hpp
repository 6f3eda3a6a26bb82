#pragma once
// CommandHandler: what the control socket asks of the rest of the daemon, one virtual per
// command, each taking the typed request (protocol/messages.hpp) and returning the typed
// response or a gavel::Error. The orchestrator implements it; tests use a fake.
//
// Who calls it: daemon::ControlServer's sessions (daemon/control_dispatch.cpp), on the daemon's
// single io_context thread, one request at a time per connection (replies go out in request
// order), possibly interleaved across connections at the handler's co_awaits. Each method is an
// awaitable so an answer may wait for work on the thread pool; a request that is already decided
// (gate.check on a finished review) should co_return at once, the pre-commit hook is waiting.
//
// An Error's code reaches the client as its to_string(Errc) ("not_found", "conflict", ...) with
// its message. An exception escaping a method is caught by the server, logged and answered as
// "internal"; the connection stays up. The handler must outlive the server and every session
// (in practice: the io_context's run).
//
// Not here: `subscribe`, which the server serves itself (ControlServer::publish feeds it).
// `shutdown` is answered by the handler, which then stops the daemon; its reply is already
// queued when the method returns, and ControlServer::stop() writes queued replies before it
// closes a connection.

#include "base/error.hpp"
#include "protocol/messages.hpp"

#include <boost/asio/awaitable.hpp>

namespace gavel::daemon {

template <class T>
using Awaitable = boost::asio::awaitable<Result<T>>;

// Who is asking: filled in by the server from SO_PEERCRED.
struct Peer {
  unsigned uid = 0;
  int pid = 0;
};

class CommandHandler {
 public:
  virtual ~CommandHandler() = default;

  virtual Awaitable<protocol::StatusResponse> status(const protocol::StatusRequest& req) = 0;
  virtual Awaitable<protocol::RepoAddResponse> repo_add(const protocol::RepoAddRequest& req) = 0;
  virtual Awaitable<protocol::RepoRemoveResponse> repo_remove(
      const protocol::RepoRemoveRequest& req) = 0;
  virtual Awaitable<protocol::RepoListResponse> repo_list(const protocol::RepoListRequest& req) = 0;
  virtual Awaitable<protocol::ReviewStartResponse> review_start(
      const protocol::ReviewStartRequest& req) = 0;
  virtual Awaitable<protocol::ReviewCancelResponse> review_cancel(
      const protocol::ReviewCancelRequest& req) = 0;
  virtual Awaitable<protocol::SessionListResponse> session_list(
      const protocol::SessionListRequest& req) = 0;
  virtual Awaitable<protocol::SessionShowResponse> session_show(
      const protocol::SessionShowRequest& req) = 0;
  virtual Awaitable<protocol::FindingsListResponse> findings_list(
      const protocol::FindingsListRequest& req) = 0;
  virtual Awaitable<protocol::FindingShowResponse> finding_show(
      const protocol::FindingShowRequest& req) = 0;
  // `req.actor` is always "human:<user name of the peer uid>": the server sets it and ignores
  // what the client sent. A peer started by an agent never gets here (control_dispatch.hpp).
  virtual Awaitable<protocol::DecideResponse> decide(const protocol::DecideRequest& req) = 0;
  virtual Awaitable<protocol::GateCheckResponse> gate_check(
      const protocol::GateCheckRequest& req) = 0;
  virtual Awaitable<protocol::UndoResponse> undo(const protocol::UndoRequest& req) = 0;
  virtual Awaitable<protocol::ShutdownResponse> shutdown(const protocol::ShutdownRequest& req) = 0;
  virtual Awaitable<protocol::NoteAttachResponse> note_attach(
      const protocol::NoteAttachRequest& req) = 0;
};

}  // namespace gavel::daemon
