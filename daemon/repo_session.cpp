#include "daemon/repo_session.hpp"

#include "daemon/log_setup.hpp"
#include "daemon/views.hpp"

#include <boost/asio/co_spawn.hpp>

namespace gavel::daemon {

namespace asio = boost::asio;

ActiveSession::ActiveSession(asio::any_io_executor io, SessionHost& host, StateStore& store,
                             SessionParams params)
    : m_io(io),
      m_host(host),
      m_store(store),
      m_record(std::move(params.record)),
      m_tag(std::move(params.tag)),
      m_policy(params.setup.policy),
      m_setup_kind(params.setup.kind),
      m_suppressed(std::move(params.stored_suppressions)),
      m_rounds_done(params.rounds_done) {
  // A resumed session's findings and decisions are in the store already.
  for (const auto& f : params.setup.prior.findings) m_logged[f.id] = f.history.size();
  m_runner = std::make_unique<loop::SessionRunner>(io, std::move(params.setup),
                                                   std::move(params.reviewer),
                                                   std::move(params.implementer), this);
}

ActiveSession::~ActiveSession() { *m_alive = false; }

std::string ActiveSession::wire_id() const { return session_wire_id(m_record.id, m_tag); }

void ActiveSession::start_run() {
  if (m_in_run) return;
  m_in_run = true;
  m_started = true;
  asio::co_spawn(m_io, m_runner->run(),
                 [this, alive = m_alive](std::exception_ptr error, Result<loop::SessionOutcome> out) {
                   if (!*alive) return;
                   m_in_run = false;
                   if (error) {
                     try {
                       std::rethrow_exception(error);
                     } catch (const std::exception& e) {
                       out = fail(Errc::internal, std::string("session runner: ") + e.what());
                     }
                   }
                   m_host.session_run_finished(*this, std::move(out));
                 });
}

Result<void> ActiveSession::snapshot_changed(git::Snapshot snapshot) {
  // The tree the session already works on (a resumed session's first snapshot): nothing is stale.
  if (snapshot.changes.fingerprint == m_runner->state().current_snapshot) return {};
  // The rounds running on the old snapshot are stale: their result is for a tree that is gone.
  for (auto& [run_id, live] : m_live) {
    if (auto r = m_store.mark_stale(live.db_id); !r) {
      log("session")->error("{}: cannot mark round {} stale: {}", wire_id(), live.db_id,
                            r.error().message);
    }
    live.summary.outcome = "stale: the tree changed while it ran";
    m_host.publish(protocol::RoundFinishedEvent{wire_id(), m_record.repo, live.summary});
  }
  m_live.clear();
  m_current_agent.clear();
  return m_runner->snapshot_changed(std::move(snapshot));
}

Result<review::Finding> ActiveSession::decide(const std::string& finding_id,
                                              review::Decision decision, std::string reason,
                                              std::string actor) {
  m_persist_failed = false;
  // The machine's actions (a Persist naming the finding) reach on_actions() inside decide(),
  // so the decision is in the store when it returns.
  if (auto r = m_runner->decide(finding_id, decision, std::move(reason), std::move(actor)); !r) {
    return r.error();
  }
  if (m_persist_failed) {
    return fail(Errc::io, "the decision could not be written to the state store; see the log");
  }
  for (const auto& f : m_runner->state().findings) {
    if (f.id != finding_id) continue;
    if (m_logged[f.id] < f.history.size()) persist_finding(f);  // belt and braces
    if (m_persist_failed) return fail(Errc::io, "the decision could not be written to the store");
    return f;
  }
  return fail(Errc::not_found, "no finding " + finding_id + " in session " + wire_id());
}

void ActiveSession::cancel(bool interrupted) {
  m_cancelled = true;
  m_interrupted = m_interrupted || interrupted;
  m_runner->cancel();
}

void ActiveSession::save_record() {
  m_record.updated_at_ms = now_ms();
  if (auto r = m_store.update_session(m_record); !r) {
    log("session")->error("{}: cannot save the session: {}", wire_id(), r.error().message);
  }
}

}  // namespace gavel::daemon
