#pragma once
// The daemon's side of the fast git hooks (cli/gavel_hook_main.cpp), written against
// CommandHandler so the judgement stays where it is (the handler's fingerprint-form gate.check):
//
// gate_on_index: an index-form gate.check. On `pool`: takes the staged snapshot of the
// repository at `req.repo` (HEAD vs `req.index_file`, git/staged_change.hpp, the code path
// `gavel hook run` uses, with a one-shot reader kept open per repository between checks), checks that the repository's configuration loads (as the hook would:
// no overrides) and clears any saved review record. Back on `io`: asks `handler.gate_check`
// with that fingerprint and returns its answer with the fingerprint set; on `pass` it builds
// the review record (protocol/review_record.hpp, from session.show and finding.show) and saves
// it for note.attach (git/pending_note.hpp) before answering. Nothing staged: no_session (the
// client's full gate decides). Errors: the snapshot's or the configuration's.
//
// attach_note: note.attach. On `pool`: git::attach_pending_note for the repository at
// `req.repo`.
//
// Callers: Orchestrator::gate_check / note_attach (daemon/orchestrator_commands.cpp), with the
// daemon's pool; the CLI tests' scripted daemon, with its io executor for both. Coroutines on
// the io thread.

#include "daemon/control_handler.hpp"

#include <boost/asio/any_io_executor.hpp>

namespace gavel::daemon {

// Every argument must outlive the coroutine (the caller co_awaits it at once). Callers keep
// temporaries out of the co_await expression (GCC 12 destroys some of them twice there).
Awaitable<protocol::GateCheckResponse> gate_on_index(CommandHandler& handler,
                                                     const boost::asio::any_io_executor& pool,
                                                     const boost::asio::any_io_executor& io,
                                                     const protocol::GateCheckRequest& req);

Awaitable<protocol::NoteAttachResponse> attach_note(const boost::asio::any_io_executor& pool,
                                                    const boost::asio::any_io_executor& io,
                                                    const protocol::NoteAttachRequest& req);

}  // namespace gavel::daemon
