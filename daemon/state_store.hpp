#pragma once
// StateStore: the daemon's durable state for one repository, in SQLite (see docs/state.md).
//
// Who calls it: the daemon's orchestrator, one StateStore per registered repository, opened on
// `<gitdir>/gavel/` (created 0700 when missing). It holds sessions, rounds, findings, the
// decision log, suppressions and a small key/value table.
//
// Threading: every method is synchronous and blocks on disk. A StateStore is used from one
// thread at a time (the io_context thread, or one pool thread at a time, with the hand-off
// giving the happens-before); it is not safe to call concurrently. Two processes may open the
// same store: SQLite's locks serialise them and a writer waits up to k_busy_timeout_ms.
//
// Durability: WAL journal with synchronous=FULL. A write method returns only after its COMMIT,
// so whatever it returned success for survives kill -9 and power loss. Never acknowledge a
// decision before append_transition()/record_decision() has returned.
//
// What it never does: read the clock (every time is the caller's), delete or rewrite a
// decision-log entry or a suppression (triggers refuse it), overwrite or repair a database it
// cannot read (it returns Errc::corrupt and leaves the file for quarantine()), or touch a
// database written by a newer schema (Errc::conflict).

#include "base/error.hpp"
#include "daemon/state_records.hpp"
#include "daemon/state_sqlite.hpp"
#include "review/finding.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::daemon {

class StateStore {
 public:
  static constexpr const char* k_file_name = "state.db";
  static constexpr int k_busy_timeout_ms = 5000;
  // What recover() writes into an interrupted round's failure kind and message.
  static constexpr const char* k_interrupted_kind = "interrupted";
  static constexpr const char* k_interrupted_message =
      "the daemon stopped while this round was running";

  // Opens the store in `dir` (creating `dir` 0700 and the database when missing), checks it,
  // migrates an older schema, then runs recover(). Errors: Errc::corrupt (not a gavel database,
  // or damaged: left untouched), Errc::conflict (newer schema: left untouched), Errc::io.
  static Result<StateStore> open(const std::filesystem::path& dir);

  // Renames the database in `dir` (and its -wal/-shm files) aside to
  // "state.db.corrupt-<UTC yyyymmddThhmmssZ>" so that the next open() starts a new one.
  // Returns the new path of the database file. Call only while no StateStore is open on `dir`.
  static Result<std::filesystem::path> quarantine(const std::filesystem::path& dir,
                                                  std::chrono::system_clock::time_point now);

  // Marks every round left `running` (by a process that died) as `interrupted` and returns them
  // so the caller can re-run them. Changes nothing else. open() calls it once; its result is
  // kept in recovered().
  Result<std::vector<RoundRecord>> recover();  // state_store_rounds.cpp
  const std::vector<RoundRecord>& recovered() const { return m_recovered; }

  int schema_version() const { return m_schema_version; }
  const std::filesystem::path& file() const { return m_db.file(); }

  // --- sessions (state_store_sessions.cpp) ---
  // Inserts `session` (its id ignored) and returns the new id.
  Result<std::int64_t> create_session(const SessionRecord& session);
  // Replaces every field of session `session.id` except created_at_ms. Errc::not_found.
  Result<void> update_session(const SessionRecord& session);
  Result<SessionRecord> session(std::int64_t id);                         // Errc::not_found
  Result<std::vector<SessionRecord>> sessions_for_repo(const std::string& repo);  // oldest first
  Result<std::optional<SessionRecord>> latest_session(const std::string& repo);

  // --- rounds (state_store_rounds.cpp) ---
  // Records a round as `running` and returns its id. Errc::not_found for an unknown session.
  Result<std::int64_t> begin_round(const RoundStart& start);
  // running -> done / failed. Errc::conflict when the round is not running.
  Result<void> finish_round(std::int64_t round_id, const RoundResult& result);
  Result<void> fail_round(std::int64_t round_id, const RoundFailure& failure);
  // done or running -> stale: its snapshot is no longer current. Errc::conflict otherwise.
  Result<void> mark_stale(std::int64_t round_id);
  Result<RoundRecord> round(std::int64_t round_id);
  Result<std::vector<RoundRecord>> rounds(std::int64_t session_id);  // by number, then id
  // Usage of every round started at or after `since_ms`, except those of `except_session`
  // (daily budgets). tokens_in holds the sum of all tokens.
  Result<RoundUsage> usage_since(std::int64_t since_ms, std::int64_t except_session = 0);

  // --- findings and decisions (state_store_findings.cpp) ---
  // Inserts or replaces each finding of session `session_id`, all in one transaction. A
  // finding's `history` is ignored: the decision log is written by append_transition() only.
  Result<void> upsert_findings(std::int64_t session_id, std::span<const review::Finding> findings,
                               std::int64_t now_ms);
  Result<std::vector<review::Finding>> findings(std::int64_t session_id);  // history filled
  Result<review::Finding> finding(std::int64_t session_id, const std::string& finding_id);

  // Appends one decision to the log; durable when it returns. Returns its sequence number.
  // Errc::not_found when the finding was never upserted.
  Result<std::int64_t> append_transition(std::int64_t session_id, const std::string& finding_id,
                                         const review::Transition& transition);
  // Upserts `after` and appends `transition` for it in one transaction: the decision and the
  // finding's new state are durable together. Returns the decision's sequence number.
  Result<std::int64_t> record_decision(std::int64_t session_id, const review::Finding& after,
                                       const review::Transition& transition, std::int64_t now_ms);
  Result<std::vector<DecisionRecord>> decision_log(std::int64_t session_id,
                                                   const std::string& finding_id);

  // --- suppressions (state_store_findings.cpp) ---
  Result<std::int64_t> add_suppression(const SuppressionRecord& suppression);  // returns its id
  // Marks suppression `id` lapsed at `at_ms`. Errc::not_found; Errc::conflict if lapsed already.
  Result<void> lapse_suppression(std::int64_t id, std::int64_t at_ms, const std::string& reason);
  Result<std::vector<SuppressionRecord>> active_suppressions();  // oldest first
  Result<std::vector<SuppressionRecord>> all_suppressions();     // lapsed ones included

  // --- daemon metadata (state_store.cpp) ---
  Result<void> set_meta(const std::string& key, const std::string& value, std::int64_t now_ms);
  Result<std::optional<std::string>> get_meta(const std::string& key);

 private:
  explicit StateStore(sqlite::Database db, int version)
      : m_db(std::move(db)), m_schema_version(version) {}

  Result<void> upsert_finding(std::int64_t session_id, const review::Finding& finding,
                              std::int64_t now_ms);
  Result<std::int64_t> insert_transition(std::int64_t session_id, const std::string& finding_id,
                                         const review::Transition& transition);
  // The error for a round update that matched no row: not_found, or conflict naming its state.
  Error unchanged_round(std::int64_t round_id, std::string_view action);

  sqlite::Database m_db;
  int m_schema_version = 0;
  std::vector<RoundRecord> m_recovered;
};

}  // namespace gavel::daemon
