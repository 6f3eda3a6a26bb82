// StateStore: sessions.
#include "daemon/state_store.hpp"

#include "daemon/state_store_detail.hpp"

namespace gavel::daemon {

namespace {

constexpr std::string_view k_session_columns =
    "id, repo, created_at_ms, updated_at_ms, fingerprint, base_commit, intent, state, verdict, "
    "verdict_reason, reviewer, implementer, policy";

Result<SessionRecord> session_from_row(const sqlite::Statement& row) {
  SessionRecord s;
  s.id = row.column_int(0);
  s.repo = row.column_text(1);
  s.created_at_ms = row.column_int(2);
  s.updated_at_ms = row.column_int(3);
  s.fingerprint = row.column_text(4);
  s.base_commit = row.column_text(5);
  s.intent = row.column_text(6);
  s.state = row.column_text(7);
  s.verdict = row.column_text(8);
  s.verdict_reason = row.column_text(9);
  s.reviewer = row.column_text(10);
  s.implementer = row.column_text(11);
  s.policy = nlohmann::json::parse(row.column_text(12), nullptr, /*allow_exceptions=*/false);
  if (s.policy.is_discarded()) {
    return Error(Errc::corrupt, "session " + std::to_string(s.id) + " has malformed policy JSON");
  }
  return s;
}

// The session columns after `id`, bound from `s` at ?2..?13 (created_at_ms at ?3).
void bind_session(sqlite::Statement& stmt, const SessionRecord& s) {
  stmt.bind(2, s.repo).bind(3, s.created_at_ms).bind(4, s.updated_at_ms).bind(5, s.fingerprint);
  stmt.bind(6, s.base_commit).bind(7, s.intent).bind(8, s.state).bind(9, s.verdict);
  stmt.bind(10, s.verdict_reason).bind(11, s.reviewer).bind(12, s.implementer);
  stmt.bind(13, s.policy.dump());
}

}  // namespace

Result<std::int64_t> StateStore::create_session(const SessionRecord& session) {
  sqlite::RelaxedSync relaxed(m_db);  // bookkeeping: see docs/daemon.md "Sessions and persistence"
  auto stmt = m_db.prepare(
      "INSERT INTO sessions (repo, created_at_ms, updated_at_ms, fingerprint, base_commit, "
      "intent, state, verdict, verdict_reason, reviewer, implementer, policy) "
      "VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  if (!stmt) return stmt.error();
  bind_session(*stmt, session);
  if (auto r = stmt->run(); !r) return r.error();
  return m_db.last_insert_rowid();
}

Result<void> StateStore::update_session(const SessionRecord& session) {
  auto stmt = m_db.prepare(
      "UPDATE sessions SET repo = ?2, updated_at_ms = ?4, fingerprint = ?5, base_commit = ?6, "
      "intent = ?7, state = ?8, verdict = ?9, verdict_reason = ?10, reviewer = ?11, "
      "implementer = ?12, policy = ?13 WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->bind(1, session.id);
  bind_session(*stmt, session);
  if (auto r = stmt->run(); !r) return r.error();
  if (m_db.changes() == 0) {
    return Error(Errc::not_found, "no session " + std::to_string(session.id));
  }
  return {};
}

Result<SessionRecord> StateStore::session(std::int64_t id) {
  auto stmt = m_db.prepare("SELECT " + std::string(k_session_columns) +
                           " FROM sessions WHERE id = ?1");
  if (!stmt) return stmt.error();
  stmt->bind(1, id);
  auto all = detail::collect<SessionRecord>(stmt, session_from_row);
  if (!all) return all.error();
  if (all->empty()) return Error(Errc::not_found, "no session " + std::to_string(id));
  return std::move(all->front());
}

Result<std::vector<SessionRecord>> StateStore::sessions_for_repo(const std::string& repo) {
  auto stmt = m_db.prepare("SELECT " + std::string(k_session_columns) +
                           " FROM sessions WHERE repo = ?1 ORDER BY created_at_ms, id");
  if (!stmt) return stmt.error();
  stmt->bind(1, repo);
  return detail::collect<SessionRecord>(stmt, session_from_row);
}

Result<std::optional<SessionRecord>> StateStore::latest_session(const std::string& repo) {
  auto stmt = m_db.prepare("SELECT " + std::string(k_session_columns) +
                           " FROM sessions WHERE repo = ?1 "
                           "ORDER BY created_at_ms DESC, id DESC LIMIT 1");
  if (!stmt) return stmt.error();
  stmt->bind(1, repo);
  auto all = detail::collect<SessionRecord>(stmt, session_from_row);
  if (!all) return all.error();
  if (all->empty()) return std::optional<SessionRecord>();
  return std::optional<SessionRecord>(std::move(all->front()));
}

}  // namespace gavel::daemon
