// StateStore: opening, checking, migrating, quarantining; daemon metadata. Sessions and rounds
// are in state_store_sessions.cpp, findings, decisions and suppressions in
// state_store_findings.cpp.
#include "daemon/state_store.hpp"

#include "daemon/state_schema.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <system_error>

namespace gavel::daemon {

namespace {

namespace fs = std::filesystem;

// Creates `dir` (mode 0700) and its parents when missing; fails when it is not a directory.
Result<void> ensure_directory(const fs::path& dir) {
  std::error_code ec;
  if (fs::is_directory(dir, ec)) return {};
  if (fs::exists(dir, ec)) {
    return Error(Errc::io, dir.string() + " exists and is not a directory");
  }
  if (dir.has_parent_path()) {
    fs::create_directories(dir.parent_path(), ec);
    if (ec) return Error(Errc::io, "cannot create " + dir.parent_path().string() + ": " + ec.message());
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Error(Errc::io, "cannot create " + dir.string() + ": " + std::strerror(errno));
  }
  return {};
}

// "20260125T031500Z" for `now`, in UTC.
std::string utc_stamp(std::chrono::system_clock::time_point now) {
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// Sets the connection's pragmas: WAL, synchronous=FULL, foreign keys, page cache size.
Result<void> configure(sqlite::Database& db) {
  auto mode = db.query_text("PRAGMA journal_mode = WAL");
  if (!mode) return mode.error();
  if (*mode != "wal") {
    return Error(Errc::io, db.file().string() + ": cannot use WAL journal (got " + *mode + ")");
  }
  // Pragmas take no bound parameters; these are constants.
  // A state database is small and read a few rows at a time: a 256 KiB page cache (the
  // default is 2 MiB per connection, and gaveld holds one connection per repository).
  return db.exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -256;");
}

}  // namespace

Result<StateStore> StateStore::open(const fs::path& dir) {
  if (auto r = ensure_directory(dir); !r) return r.error();
  auto db = sqlite::Database::open(dir / k_file_name, sqlite::OpenMode::create);
  if (!db) return db.error();
  if (auto r = db->exec("PRAGMA busy_timeout = " + std::to_string(k_busy_timeout_ms)); !r) {
    return r.error();
  }
  // Nothing is written before the file has been checked: a refused database stays as it was.
  auto found = check_state_database(*db);
  if (!found) return found.error();
  if (auto r = configure(*db); !r) return r.error();
  const int current = current_state_schema_version();
  if (*found < current) {
    if (auto r = migrate_state_database(*db, current); !r) return r.error();
  }
  StateStore store(std::move(*db), current);
  auto interrupted = store.recover();
  if (!interrupted) return interrupted.error();
  store.m_recovered = std::move(*interrupted);
  return store;
}

Result<fs::path> StateStore::quarantine(const fs::path& dir,
                                        std::chrono::system_clock::time_point now) {
  const fs::path file = dir / k_file_name;
  std::error_code ec;
  if (!fs::exists(file, ec)) return Error(Errc::not_found, "no state database at " + file.string());
  const std::string base = file.string() + ".corrupt-" + utc_stamp(now);
  fs::path target = base;
  for (int n = 2; fs::exists(target, ec); ++n) target = base + "-" + std::to_string(n);
  fs::rename(file, target, ec);
  if (ec) return Error(Errc::io, "cannot move " + file.string() + " aside: " + ec.message());
  // The journal files belong to the database they were written for: they move with it.
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    const fs::path side = file.string() + suffix;
    if (!fs::exists(side, ec)) continue;
    fs::rename(side, target.string() + suffix, ec);
    if (ec) return Error(Errc::io, "cannot move " + side.string() + " aside: " + ec.message());
  }
  return target;
}

Result<void> StateStore::set_meta(const std::string& key, const std::string& value,
                                  std::int64_t now_ms) {
  auto stmt = m_db.prepare(
      "INSERT INTO kv (key, value, updated_at_ms) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
      "updated_at_ms = excluded.updated_at_ms");
  if (!stmt) return stmt.error();
  return stmt->bind(1, key).bind(2, value).bind(3, now_ms).run();
}

Result<std::optional<std::string>> StateStore::get_meta(const std::string& key) {
  auto stmt = m_db.prepare("SELECT value FROM kv WHERE key = ?1");
  if (!stmt) return stmt.error();
  auto row = stmt->bind(1, key).step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(stmt->column_text(0));
}

}  // namespace gavel::daemon
