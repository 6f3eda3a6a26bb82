#include "daemon/state_schema.hpp"

#include <array>
#include <string>

namespace gavel::daemon {

namespace {

// v1: every table. The decision log and suppressions are guarded by triggers: the log can
// never be updated or deleted, a suppression can never be deleted and can only be lapsed once.
constexpr std::string_view k_v1 = R"sql(
PRAGMA application_id = 1734440556;

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  repo TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  fingerprint TEXT NOT NULL DEFAULT '',
  base_commit TEXT NOT NULL DEFAULT '',
  intent TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT '',
  verdict TEXT NOT NULL DEFAULT '',
  verdict_reason TEXT NOT NULL DEFAULT '',
  reviewer TEXT NOT NULL DEFAULT '',
  implementer TEXT NOT NULL DEFAULT '',
  policy TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(policy))
);
CREATE INDEX sessions_by_repo ON sessions(repo, created_at_ms);

CREATE TABLE rounds (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  number INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('reviewer', 'implementer')),
  agent TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('running', 'done', 'failed', 'interrupted', 'stale')),
  started_at_ms INTEGER NOT NULL,
  finished_at_ms INTEGER,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  input_digest TEXT NOT NULL DEFAULT '',
  input_bytes INTEGER NOT NULL DEFAULT 0,
  input_text TEXT,
  output TEXT NOT NULL DEFAULT '',
  failure_kind TEXT NOT NULL DEFAULT '',
  failure_message TEXT NOT NULL DEFAULT '',
  tokens_in INTEGER NOT NULL DEFAULT 0,
  tokens_out INTEGER NOT NULL DEFAULT 0,
  tokens_cached INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0
);
CREATE INDEX rounds_by_session ON rounds(session_id, number);

CREATE TABLE findings (
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  id TEXT NOT NULL,
  state TEXT NOT NULL,
  priority INTEGER NOT NULL,
  raised_round INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  data TEXT NOT NULL CHECK (json_valid(data)),
  PRIMARY KEY (session_id, id)
);

CREATE TABLE decisions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id INTEGER NOT NULL,
  finding_id TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  actor TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (session_id, finding_id) REFERENCES findings(session_id, id)
);
CREATE INDEX decisions_by_finding ON decisions(session_id, finding_id, seq);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'the decision log is append-only: no UPDATE'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'the decision log is append-only: no DELETE'); END;

CREATE TABLE suppressions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  fingerprint TEXT NOT NULL,
  anchor TEXT NOT NULL,
  path TEXT NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL DEFAULT '',
  session_id INTEGER REFERENCES sessions(id),
  finding_id TEXT NOT NULL DEFAULT '',
  created_at_ms INTEGER NOT NULL,
  lapsed_at_ms INTEGER,
  lapse_reason TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER suppressions_no_delete BEFORE DELETE ON suppressions
BEGIN SELECT RAISE(ABORT, 'suppressions are never deleted: lapse them'); END;
CREATE TRIGGER suppressions_lapse_only BEFORE UPDATE ON suppressions
WHEN OLD.lapsed_at_ms IS NOT NULL OR NEW.lapsed_at_ms IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.fingerprint IS NOT OLD.fingerprint
  OR NEW.anchor IS NOT OLD.anchor OR NEW.path IS NOT OLD.path OR NEW.reason IS NOT OLD.reason
  OR NEW.actor IS NOT OLD.actor OR NEW.session_id IS NOT OLD.session_id
  OR NEW.finding_id IS NOT OLD.finding_id OR NEW.created_at_ms IS NOT OLD.created_at_ms
BEGIN SELECT RAISE(ABORT, 'a suppression can only be lapsed, once'); END;

CREATE TABLE kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
)sql";

// v2: infrastructure attempts per round; indexes for recovery, active suppressions and
// findings by state.
constexpr std::string_view k_v2 = R"sql(
ALTER TABLE rounds ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
CREATE INDEX rounds_running ON rounds(state) WHERE state = 'running';
CREATE INDEX suppressions_active ON suppressions(fingerprint) WHERE lapsed_at_ms IS NULL;
CREATE INDEX findings_by_state ON findings(session_id, state);
)sql";

constexpr std::array<Migration, 2> k_migrations{{
    {1, k_v1},
    {2, k_v2},
}};

Error corrupt(const sqlite::Database& db, std::string_view why) {
  return Error(Errc::corrupt, db.file().string() + " is not a usable gavel state database (" +
                                  std::string(why) +
                                  "); it was left untouched: move it aside (StateStore::"
                                  "quarantine) to start a new one");
}

}  // namespace

std::span<const Migration> state_migrations() { return k_migrations; }

int current_state_schema_version() { return k_migrations.back().version; }

Result<int> check_state_database(sqlite::Database& db) {
  auto version = db.query_int("PRAGMA user_version");
  if (!version) {
    if (version.error().code == Errc::corrupt) return corrupt(db, version.error().message);
    return version.error();
  }
  auto app_id = db.query_int("PRAGMA application_id");
  if (!app_id) return app_id.error();
  if (*version == 0) {
    auto objects = db.query_int("SELECT count(*) FROM sqlite_schema");
    if (!objects) return objects.error();
    if (*objects != 0 || (*app_id != 0 && *app_id != k_state_application_id)) {
      return corrupt(db, "it holds another application's tables");
    }
  } else if (*app_id != k_state_application_id) {
    return corrupt(db, "its application id is not gavel's");
  }
  if (*version > current_state_schema_version()) {
    return Error(Errc::conflict,
                 db.file().string() + " was written by a newer gavel (schema v" +
                     std::to_string(*version) + "; this build knows up to v" +
                     std::to_string(current_state_schema_version()) +
                     "); it was left untouched: upgrade gavel to use it");
  }
  auto check = db.query_text("PRAGMA quick_check");
  if (!check) {
    if (check.error().code == Errc::corrupt) return corrupt(db, check.error().message);
    return check.error();
  }
  if (*check != "ok") return corrupt(db, "quick_check: " + *check);
  return static_cast<int>(*version);
}

Result<void> migrate_state_database(sqlite::Database& db, int target) {
  for (const Migration& migration : k_migrations) {
    if (migration.version > target) break;
    auto tx = sqlite::Transaction::begin(db);
    if (!tx) return tx.error();
    auto version = db.query_int("PRAGMA user_version");
    if (!version) return version.error();
    if (*version >= migration.version) continue;  // done already (maybe by another process)
    if (*version != migration.version - 1) {
      return Error(Errc::internal, "schema v" + std::to_string(*version) +
                                       " cannot take migration v" +
                                       std::to_string(migration.version));
    }
    if (auto r = db.exec(migration.sql); !r) {
      return Error(r.error().code, "migration to schema v" + std::to_string(migration.version) +
                                       " failed: " + r.error().message);
    }
    // A pragma takes no bound parameter; the number is our own constant, never a value.
    if (auto r = db.exec("PRAGMA user_version = " + std::to_string(migration.version)); !r) {
      return r.error();
    }
    if (auto r = tx->commit(); !r) return r.error();
  }
  return {};
}

}  // namespace gavel::daemon
