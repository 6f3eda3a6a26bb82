// StateStore: findings, the decision log and suppressions.
#include "daemon/state_store.hpp"

#include "daemon/state_codec.hpp"
#include "daemon/state_store_detail.hpp"
#include "review/priority.hpp"

#include <map>

namespace gavel::daemon {

namespace {

constexpr std::string_view k_decision_columns =
    "seq, session_id, finding_id, from_state, to_state, actor, at_ms, reason";

Result<DecisionRecord> decision_from_row(const sqlite::Statement& row) {
  DecisionRecord d;
  d.seq = row.column_int(0);
  d.session_id = row.column_int(1);
  d.finding_id = row.column_text(2);
  auto from = review::finding_state_from_string(row.column_text(3));
  auto to = review::finding_state_from_string(row.column_text(4));
  if (!from || !to) {
    return Error(Errc::corrupt, "decision " + std::to_string(d.seq) + " has an unknown state");
  }
  d.transition = {*from, *to, row.column_text(5), row.column_int(6), row.column_text(7)};
  return d;
}

constexpr std::string_view k_suppression_columns =
    "id, fingerprint, anchor, path, reason, actor, session_id, finding_id, created_at_ms, "
    "lapsed_at_ms, lapse_reason";

Result<SuppressionRecord> suppression_from_row(const sqlite::Statement& row) {
  SuppressionRecord s;
  s.id = row.column_int(0);
  s.fingerprint = row.column_text(1);
  s.anchor = row.column_text(2);
  s.path = row.column_text(3);
  s.reason = row.column_text(4);
  s.actor = row.column_text(5);
  s.session_id = row.column_opt_int(6);
  s.finding_id = row.column_text(7);
  s.created_at_ms = row.column_int(8);
  s.lapsed_at_ms = row.column_opt_int(9);
  s.lapse_reason = row.column_text(10);
  return s;
}

Result<review::Finding> finding_from_row(const sqlite::Statement& row) {
  auto j = nlohmann::json::parse(row.column_text(0), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error(Errc::corrupt, "a stored finding is not valid JSON");
  return finding_from_json(j);
}

}  // namespace

Result<void> StateStore::upsert_finding(std::int64_t session_id, const review::Finding& f,
                                        std::int64_t now_ms) {
  if (f.id.empty()) return Error(Errc::invalid_argument, "a finding to store needs an id");
  auto stmt = m_db.prepare(
      "INSERT INTO findings (session_id, id, state, priority, raised_round, updated_at_ms, data) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (session_id, id) DO UPDATE SET "
      "state = excluded.state, priority = excluded.priority, "
      "raised_round = excluded.raised_round, updated_at_ms = excluded.updated_at_ms, "
      "data = excluded.data");
  if (!stmt) return stmt.error();
  stmt->bind(1, session_id).bind(2, f.id).bind(3, review::to_string(f.state));
  stmt->bind(4, static_cast<int>(f.raised.priority)).bind(5, f.raised_round).bind(6, now_ms);
  stmt->bind(7, finding_to_json(f).dump());
  if (auto r = stmt->run(); !r) {
    if (r.error().code == Errc::not_found) {
      return Error(Errc::not_found, "no session " + std::to_string(session_id));
    }
    return r.error();
  }
  return {};
}

Result<void> StateStore::upsert_findings(std::int64_t session_id,
                                         std::span<const review::Finding> findings,
                                         std::int64_t now_ms) {
  auto tx = sqlite::Transaction::begin(m_db);
  if (!tx) return tx.error();
  for (const review::Finding& f : findings) {
    if (auto r = upsert_finding(session_id, f, now_ms); !r) return r.error();
  }
  return tx->commit();
}

Result<std::vector<review::Finding>> StateStore::findings(std::int64_t session_id) {
  auto stmt = m_db.prepare("SELECT data FROM findings WHERE session_id = ?1 ORDER BY rowid");
  if (!stmt) return stmt.error();
  stmt->bind(1, session_id);
  auto all = detail::collect<review::Finding>(stmt, finding_from_row);
  if (!all) return all.error();
  auto log = m_db.prepare("SELECT " + std::string(k_decision_columns) +
                          " FROM decisions WHERE session_id = ?1 ORDER BY seq");
  if (!log) return log.error();
  log->bind(1, session_id);
  auto decisions = detail::collect<DecisionRecord>(log, decision_from_row);
  if (!decisions) return decisions.error();
  std::map<std::string, std::vector<review::Transition>> history;
  for (DecisionRecord& d : *decisions) history[d.finding_id].push_back(std::move(d.transition));
  for (review::Finding& f : *all) {
    if (auto it = history.find(f.id); it != history.end()) f.history = std::move(it->second);
  }
  return all;
}

Result<review::Finding> StateStore::finding(std::int64_t session_id, const std::string& id) {
  auto stmt = m_db.prepare("SELECT data FROM findings WHERE session_id = ?1 AND id = ?2");
  if (!stmt) return stmt.error();
  stmt->bind(1, session_id).bind(2, id);
  auto all = detail::collect<review::Finding>(stmt, finding_from_row);
  if (!all) return all.error();
  if (all->empty()) {
    return Error(Errc::not_found,
                 "no finding " + id + " in session " + std::to_string(session_id));
  }
  review::Finding f = std::move(all->front());
  auto log = decision_log(session_id, id);
  if (!log) return log.error();
  for (DecisionRecord& d : *log) f.history.push_back(std::move(d.transition));
  return f;
}

Result<std::int64_t> StateStore::insert_transition(std::int64_t session_id, const std::string& id,
                                                   const review::Transition& t) {
  auto stmt = m_db.prepare(
      "INSERT INTO decisions (session_id, finding_id, from_state, to_state, actor, at_ms, reason) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  if (!stmt) return stmt.error();
  stmt->bind(1, session_id).bind(2, id).bind(3, review::to_string(t.from));
  stmt->bind(4, review::to_string(t.to)).bind(5, t.actor).bind(6, t.at_ms).bind(7, t.reason);
  if (auto r = stmt->run(); !r) {
    if (r.error().code == Errc::not_found) {
      return Error(Errc::not_found,
                   "no finding " + id + " in session " + std::to_string(session_id));
    }
    return r.error();
  }
  return m_db.last_insert_rowid();
}

Result<std::int64_t> StateStore::append_transition(std::int64_t session_id, const std::string& id,
                                                   const review::Transition& transition) {
  return insert_transition(session_id, id, transition);  // autocommit: durable on return
}

Result<std::int64_t> StateStore::record_decision(std::int64_t session_id,
                                                 const review::Finding& after,
                                                 const review::Transition& transition,
                                                 std::int64_t now_ms) {
  auto tx = sqlite::Transaction::begin(m_db);
  if (!tx) return tx.error();
  if (auto r = upsert_finding(session_id, after, now_ms); !r) return r.error();
  auto seq = insert_transition(session_id, after.id, transition);
  if (!seq) return seq.error();
  if (auto r = tx->commit(); !r) return r.error();
  return seq;
}

Result<std::vector<DecisionRecord>> StateStore::decision_log(std::int64_t session_id,
                                                             const std::string& id) {
  auto stmt = m_db.prepare("SELECT " + std::string(k_decision_columns) +
                           " FROM decisions WHERE session_id = ?1 AND finding_id = ?2 "
                           "ORDER BY seq");
  if (!stmt) return stmt.error();
  stmt->bind(1, session_id).bind(2, id);
  return detail::collect<DecisionRecord>(stmt, decision_from_row);
}

Result<std::int64_t> StateStore::add_suppression(const SuppressionRecord& s) {
  auto stmt = m_db.prepare(
      "INSERT INTO suppressions (fingerprint, anchor, path, reason, actor, session_id, "
      "finding_id, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!stmt) return stmt.error();
  stmt->bind(1, s.fingerprint).bind(2, s.anchor).bind(3, s.path).bind(4, s.reason);
  stmt->bind(5, s.actor).bind(6, s.session_id).bind(7, s.finding_id).bind(8, s.created_at_ms);
  if (auto r = stmt->run(); !r) return r.error();
  return m_db.last_insert_rowid();
}

Result<void> StateStore::lapse_suppression(std::int64_t id, std::int64_t at_ms,
                                           const std::string& reason) {
  auto stmt = m_db.prepare(
      "UPDATE suppressions SET lapsed_at_ms = ?2, lapse_reason = ?3 "
      "WHERE id = ?1 AND lapsed_at_ms IS NULL");
  if (!stmt) return stmt.error();
  if (auto r = stmt->bind(1, id).bind(2, at_ms).bind(3, reason).run(); !r) return r.error();
  if (m_db.changes() != 0) return {};
  auto exists = m_db.prepare("SELECT 1 FROM suppressions WHERE id = ?1");
  if (!exists) return exists.error();
  auto row = exists->bind(1, id).step();
  if (!row) return row.error();
  if (*row) {
    return Error(Errc::conflict, "suppression " + std::to_string(id) + " has lapsed already");
  }
  return Error(Errc::not_found, "no suppression " + std::to_string(id));
}

Result<std::vector<SuppressionRecord>> StateStore::active_suppressions() {
  auto stmt = m_db.prepare("SELECT " + std::string(k_suppression_columns) +
                           " FROM suppressions WHERE lapsed_at_ms IS NULL ORDER BY id");
  if (!stmt) return stmt.error();
  return detail::collect<SuppressionRecord>(stmt, suppression_from_row);
}

Result<std::vector<SuppressionRecord>> StateStore::all_suppressions() {
  auto stmt = m_db.prepare("SELECT " + std::string(k_suppression_columns) +
                           " FROM suppressions ORDER BY id");
  if (!stmt) return stmt.error();
  return detail::collect<SuppressionRecord>(stmt, suppression_from_row);
}

}  // namespace gavel::daemon
