#include "daemon/state_sqlite.hpp"

#include <sqlite3.h>

#include <utility>

namespace gavel::daemon::sqlite {

Errc map_sqlite_error(int code) noexcept {
  switch (code) {
    case SQLITE_CONSTRAINT_FOREIGNKEY: return Errc::not_found;
    case SQLITE_CONSTRAINT_NOTNULL:
    case SQLITE_CONSTRAINT_CHECK: return Errc::invalid_argument;
    default: break;
  }
  switch (code & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: return Errc::corrupt;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CONSTRAINT: return Errc::conflict;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM: return Errc::io;
    default: return Errc::internal;
  }
}

// --- Database ----------------------------------------------------------------------------------

Result<Database> Database::open(const std::filesystem::path& file, OpenMode mode) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (mode == OpenMode::create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(file.c_str(), &raw, flags, nullptr);
  Database db(raw, file);  // owns `raw` even on failure: sqlite3_close_v2 accepts it
  if (rc != SQLITE_OK) {
    return db.last_error("cannot open " + file.string());
  }
  sqlite3_extended_result_codes(raw, 1);
  // gaveld keeps one idle connection per registered repository: no lookaside pool (120 KB
  // each by default) for a connection that runs a few statements a minute.
  sqlite3_db_config(raw, SQLITE_DBCONFIG_LOOKASIDE, nullptr, 0, 0);
  return db;
}

Database::Database(Database&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_file(std::move(other.m_file)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    if (m_db != nullptr) sqlite3_close_v2(m_db);
    m_db = std::exchange(other.m_db, nullptr);
    m_file = std::move(other.m_file);
  }
  return *this;
}

Database::~Database() {
  if (m_db != nullptr) sqlite3_close_v2(m_db);
}

Error Database::last_error(std::string_view what) const {
  if (m_db == nullptr) return Error(Errc::internal, std::string(what) + ": no connection");
  const int code = sqlite3_extended_errcode(m_db);
  return Error(map_sqlite_error(code), std::string(what) + ": " + sqlite3_errmsg(m_db));
}

Result<void> Database::exec(std::string_view sql) {
  const std::string text(sql);
  if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return last_error(m_file.string());
  }
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc =
      sqlite3_prepare_v2(m_db, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return last_error(m_file.string());
  return Statement(m_db, stmt);
}

Result<std::string> Database::query_text(std::string_view sql) {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return Error(Errc::internal, "no row from: " + std::string(sql));
  return stmt->column_text(0);
}

Result<std::int64_t> Database::query_int(std::string_view sql) {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return Error(Errc::internal, "no row from: " + std::string(sql));
  return stmt->column_int(0);
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }

int Database::changes() const { return sqlite3_changes(m_db); }

// --- Statement ---------------------------------------------------------------------------------

Statement::Statement(Statement&& other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)),
      m_stmt(std::exchange(other.m_stmt, nullptr)),
      m_bind_error(std::move(other.m_bind_error)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (m_stmt != nullptr) sqlite3_finalize(m_stmt);
    m_db = std::exchange(other.m_db, nullptr);
    m_stmt = std::exchange(other.m_stmt, nullptr);
    m_bind_error = std::move(other.m_bind_error);
  }
  return *this;
}

Statement::~Statement() {
  if (m_stmt != nullptr) sqlite3_finalize(m_stmt);
}

void Statement::note_bind(int rc, int index) {
  if (rc == SQLITE_OK || m_bind_error) return;
  m_bind_error = Error(Errc::internal, "cannot bind parameter " + std::to_string(index) + ": " +
                                           sqlite3_errstr(rc));
}

Statement& Statement::bind(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(m_stmt, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  note_bind(sqlite3_bind_double(m_stmt, index, value), index);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  note_bind(sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), SQLITE_TRANSIENT,
                                SQLITE_UTF8),
            index);
  return *this;
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(m_stmt, index), index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Result<bool> Statement::step() {
  if (m_bind_error) return *m_bind_error;
  const int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const int code = sqlite3_extended_errcode(m_db);
  return Error(map_sqlite_error(code), sqlite3_errmsg(m_db));
}

Result<void> Statement::run() {
  auto row = step();
  if (!row) return row.error();
  return {};
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(m_stmt, column);
}

double Statement::column_double(int column) const { return sqlite3_column_double(m_stmt, column); }

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(m_stmt, column);
  const int size = sqlite3_column_bytes(m_stmt, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::optional<std::int64_t> Statement::column_opt_int(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_int(column);
}

std::optional<std::string> Statement::column_opt_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_text(column);
}

// --- Transaction -------------------------------------------------------------------------------

Result<Transaction> Transaction::begin(Database& db) {
  if (auto r = db.exec("BEGIN IMMEDIATE"); !r) return r.error();
  return Transaction(&db);
}

Transaction::~Transaction() {
  if (m_db != nullptr) (void)m_db->exec("ROLLBACK");
}

Result<void> Transaction::commit() {
  if (m_db == nullptr) return Error(Errc::internal, "transaction already finished");
  auto r = m_db->exec("COMMIT");
  if (!r) return r;  // the destructor rolls back
  m_db = nullptr;
  return {};
}

RelaxedSync::RelaxedSync(Database& db) : m_db(db) {
  (void)m_db.exec("PRAGMA synchronous = NORMAL");  // on failure the commit is just synced
}

RelaxedSync::~RelaxedSync() {
  // A pragma on an open connection does not fail short of memory exhaustion; if it did, the
  // connection would stay relaxed, so it is tried twice.
  if (!m_db.exec("PRAGMA synchronous = FULL")) (void)m_db.exec("PRAGMA synchronous = FULL");
}

}  // namespace gavel::daemon::sqlite
