// StateStore: rounds and crash recovery.
#include "daemon/state_store.hpp"

#include "daemon/state_store_detail.hpp"

namespace gavel::daemon {

namespace {

constexpr std::string_view k_round_columns =
    "id, session_id, number, role, agent, snapshot, state, started_at_ms, finished_at_ms, "
    "duration_ms, input_digest, input_bytes, input_text, output, failure_kind, failure_message, "
    "tokens_in, tokens_out, tokens_cached, cost_usd, attempts";

Result<RoundRecord> round_from_row(const sqlite::Statement& row) {
  RoundRecord r;
  r.id = row.column_int(0);
  r.start.session_id = row.column_int(1);
  r.start.number = static_cast<int>(row.column_int(2));
  auto role = round_role_from_string(row.column_text(3));
  auto state = round_state_from_string(row.column_text(6));
  if (!role || !state) {
    return Error(Errc::corrupt, "round " + std::to_string(r.id) + " has an unknown role or state");
  }
  r.start.role = *role;
  r.state = *state;
  r.start.agent = row.column_text(4);
  r.start.snapshot = row.column_text(5);
  r.start.started_at_ms = row.column_int(7);
  r.finished_at_ms = row.column_opt_int(8);
  r.duration_ms = row.column_int(9);
  r.start.input_digest = row.column_text(10);
  r.start.input_bytes = row.column_int(11);
  r.start.input_text = row.column_opt_text(12);
  r.output = row.column_text(13);
  r.failure_kind = row.column_text(14);
  r.failure_message = row.column_text(15);
  r.usage = {row.column_int(16), row.column_int(17), row.column_int(18), row.column_double(19)};
  r.attempts = static_cast<int>(row.column_int(20));
  return r;
}

std::string select_rounds(std::string_view where) {
  return "SELECT " + std::string(k_round_columns) + " FROM rounds WHERE " + std::string(where);
}

// Binds a RoundUsage and attempts at ?5..?9.
void bind_usage(sqlite::Statement& stmt, const RoundUsage& usage, int attempts) {
  stmt.bind(5, usage.tokens_in).bind(6, usage.tokens_out).bind(7, usage.tokens_cached);
  stmt.bind(8, usage.cost_usd).bind(9, attempts);
}

}  // namespace

Result<std::int64_t> StateStore::begin_round(const RoundStart& s) {
  sqlite::RelaxedSync relaxed(m_db);  // bookkeeping: see docs/daemon.md "Sessions and persistence"
  auto stmt = m_db.prepare(
      "INSERT INTO rounds (session_id, number, role, agent, snapshot, state, started_at_ms, "
      "input_digest, input_bytes, input_text) "
      "VALUES (?1, ?2, ?3, ?4, ?5, 'running', ?6, ?7, ?8, ?9)");
  if (!stmt) return stmt.error();
  stmt->bind(1, s.session_id).bind(2, s.number).bind(3, to_string(s.role)).bind(4, s.agent);
  stmt->bind(5, s.snapshot).bind(6, s.started_at_ms).bind(7, s.input_digest);
  stmt->bind(8, s.input_bytes).bind(9, s.input_text);
  if (auto r = stmt->run(); !r) {
    if (r.error().code == Errc::not_found) {
      return Error(Errc::not_found, "no session " + std::to_string(s.session_id));
    }
    return r.error();
  }
  return m_db.last_insert_rowid();
}

Result<void> StateStore::finish_round(std::int64_t round_id, const RoundResult& result) {
  auto stmt = m_db.prepare(
      "UPDATE rounds SET state = 'done', finished_at_ms = ?2, duration_ms = ?3, output = ?4, "
      "tokens_in = ?5, tokens_out = ?6, tokens_cached = ?7, cost_usd = ?8, attempts = ?9 "
      "WHERE id = ?1 AND state = 'running'");
  if (!stmt) return stmt.error();
  stmt->bind(1, round_id).bind(2, result.finished_at_ms).bind(3, result.duration_ms);
  stmt->bind(4, result.output);
  bind_usage(*stmt, result.usage, result.attempts);
  if (auto r = stmt->run(); !r) return r.error();
  if (m_db.changes() == 0) return unchanged_round(round_id, "finish");
  return {};
}

Result<void> StateStore::fail_round(std::int64_t round_id, const RoundFailure& failure) {
  auto stmt = m_db.prepare(
      "UPDATE rounds SET state = 'failed', finished_at_ms = ?2, duration_ms = ?3, output = ?4, "
      "tokens_in = ?5, tokens_out = ?6, tokens_cached = ?7, cost_usd = ?8, attempts = ?9, "
      "failure_kind = ?10, failure_message = ?11 WHERE id = ?1 AND state = 'running'");
  if (!stmt) return stmt.error();
  stmt->bind(1, round_id).bind(2, failure.finished_at_ms).bind(3, failure.duration_ms);
  stmt->bind(4, failure.output);
  bind_usage(*stmt, failure.usage, failure.attempts);
  stmt->bind(10, failure.kind).bind(11, failure.message);
  if (auto r = stmt->run(); !r) return r.error();
  if (m_db.changes() == 0) return unchanged_round(round_id, "fail");
  return {};
}

Result<void> StateStore::mark_stale(std::int64_t round_id) {
  auto stmt = m_db.prepare(
      "UPDATE rounds SET state = 'stale' WHERE id = ?1 AND state IN ('running', 'done')");
  if (!stmt) return stmt.error();
  if (auto r = stmt->bind(1, round_id).run(); !r) return r.error();
  if (m_db.changes() == 0) return unchanged_round(round_id, "mark stale");
  return {};
}

Error StateStore::unchanged_round(std::int64_t round_id, std::string_view action) {
  auto found = round(round_id);
  if (!found) return found.error();
  return Error(Errc::conflict, "cannot " + std::string(action) + " round " +
                                   std::to_string(round_id) + ": it is " +
                                   std::string(to_string(found->state)));
}

Result<RoundRecord> StateStore::round(std::int64_t round_id) {
  auto stmt = m_db.prepare(select_rounds("id = ?1"));
  if (!stmt) return stmt.error();
  stmt->bind(1, round_id);
  auto all = detail::collect<RoundRecord>(stmt, round_from_row);
  if (!all) return all.error();
  if (all->empty()) return Error(Errc::not_found, "no round " + std::to_string(round_id));
  return std::move(all->front());
}

Result<std::vector<RoundRecord>> StateStore::rounds(std::int64_t session_id) {
  auto stmt = m_db.prepare(select_rounds("session_id = ?1 ORDER BY number, id"));
  if (!stmt) return stmt.error();
  stmt->bind(1, session_id);
  return detail::collect<RoundRecord>(stmt, round_from_row);
}

Result<RoundUsage> StateStore::usage_since(std::int64_t since_ms, std::int64_t except_session) {
  auto stmt = m_db.prepare(
      "SELECT COALESCE(SUM(tokens_in + tokens_out), 0), "
      "COALESCE(SUM(cost_usd), 0) FROM rounds WHERE started_at_ms >= ?1 AND session_id != ?2");
  if (!stmt) return stmt.error();
  auto row = stmt->bind(1, since_ms).bind(2, except_session).step();
  if (!row) return row.error();
  RoundUsage out;
  if (*row) {
    out.tokens_in = stmt->column_int(0);
    out.cost_usd = stmt->column_double(1);
  }
  return out;
}

Result<std::vector<RoundRecord>> StateStore::recover() {
  auto tx = sqlite::Transaction::begin(m_db);
  if (!tx) return tx.error();
  auto stmt = m_db.prepare(select_rounds("state = 'running' ORDER BY id"));
  if (!stmt) return stmt.error();
  auto running = detail::collect<RoundRecord>(stmt, round_from_row);
  if (!running) return running.error();
  if (running->empty()) return running;  // nothing to write; the guard rolls back
  auto update = m_db.prepare(
      "UPDATE rounds SET state = 'interrupted', failure_kind = ?1, failure_message = ?2 "
      "WHERE state = 'running'");
  if (!update) return update.error();
  update->bind(1, k_interrupted_kind).bind(2, k_interrupted_message);
  if (auto r = update->run(); !r) return r.error();
  if (auto r = tx->commit(); !r) return r.error();
  for (RoundRecord& r : *running) {
    r.state = RoundState::interrupted;
    r.failure_kind = k_interrupted_kind;
    r.failure_message = k_interrupted_message;
  }
  return running;
}

}  // namespace gavel::daemon
