#pragma once
// Dispatch: one decoded request -> the CommandHandler method for its command -> one encoded
// reply line. Internal to the control server (daemon/control_session.cpp calls it on the
// io_context thread). Owns nothing; never throws (a handler's exception becomes an "internal"
// error reply).
//
// Who may ask: a command that changes anything (decide, review.start, review.cancel, undo,
// repo.add, repo.remove, shutdown) from a process an agent started (agents/agent_processes.hpp,
// walked from the peer's pid) is answered `permission_denied` and logged, never handed to the
// handler. decide's actor is always "human:<login of the peer uid>", whatever the client sent.

#include "daemon/control_handler.hpp"
#include "protocol/codec.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>

namespace gavel::daemon {

// Runs `request` (any command but subscribe) on `handler` and returns the reply line.
boost::asio::awaitable<std::string> dispatch(CommandHandler& handler,
                                             protocol::RequestEnvelope request, Peer peer);

}  // namespace gavel::daemon
