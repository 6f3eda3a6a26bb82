#pragma once
// The state store's schema and its migrations (see docs/state.md).
//
// The schema version lives in `PRAGMA user_version`; migration N takes a database from version
// N-1 to N, runs in one IMMEDIATE transaction together with the version bump, and is never
// edited once released: a change is a new migration appended to the list. Called by
// StateStore::open() (daemon/state_store.hpp) and by tests that build an old database on
// purpose. Never modifies a database it refuses.

#include "base/error.hpp"
#include "daemon/state_sqlite.hpp"

#include <cstdint>
#include <span>
#include <string_view>

namespace gavel::daemon {

// `PRAGMA application_id` of a gavel state database: "gavl".
inline constexpr std::int64_t k_state_application_id = 0x6761766c;

struct Migration {
  int version;           // the user_version after it ran
  std::string_view sql;  // constant DDL, no values
};

// Every migration, in order; the last one's version is the current schema version.
std::span<const Migration> state_migrations();

// The schema version this build writes.
int current_state_schema_version();

// Reads and checks a database before anything is written to it: that it is an SQLite file
// (Errc::corrupt otherwise), that it is empty or a gavel state database (application id;
// Errc::corrupt otherwise), that it passes `PRAGMA quick_check` (Errc::corrupt) and that its
// version is not newer than this build's (Errc::conflict). Returns the version found (0 for a
// new, empty file).
Result<int> check_state_database(sqlite::Database& db);

// Applies the migrations after the database's current version, up to `target`, each in its own
// transaction. Re-reads the version inside each transaction, so two processes opening the same
// new store do not run a migration twice.
Result<void> migrate_state_database(sqlite::Database& db, int target);

}  // namespace gavel::daemon
