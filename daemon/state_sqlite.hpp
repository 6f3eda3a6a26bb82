#pragma once
// A small RAII layer over the SQLite C API, used only by the state store (daemon/state_*.cpp).
//
// Database owns one sqlite3 connection; Statement owns one prepared statement; Transaction is a
// scope guard that rolls back unless committed. Values always travel as bound parameters: SQL
// text is built only from constants in our own source, never from a value. Every SQLite failure
// becomes a gavel::Error here (see map_sqlite_error) and goes no further as a return code.
//
// Threading: a Database and its Statements are used by one thread at a time (the connection is
// opened with SQLITE_OPEN_NOMUTEX). A Statement must not outlive the Database it came from.

#include "base/error.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace gavel::daemon::sqlite {

// Maps an SQLite (extended) result code to our error kinds: NOTADB/CORRUPT -> corrupt,
// BUSY/LOCKED and unique/trigger constraints -> conflict, foreign key -> not_found,
// CANTOPEN/IOERR/FULL/READONLY/PERM -> io, anything else -> internal.
Errc map_sqlite_error(int code) noexcept;

class Statement;

// Whether Database::open may create the file.
enum class OpenMode { create, existing_only };

class Database {
 public:
  // Opens (and with OpenMode::create, creates) `file`. Touches no page of it: a garbage file
  // opens here and fails on the first read.
  static Result<Database> open(const std::filesystem::path& file, OpenMode mode);

  Database() = default;
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements of constant SQL (schema scripts, pragmas). Never pass a value
  // inside `sql`: use prepare() and bind() for that.
  Result<void> exec(std::string_view sql);

  // Compiles one statement of constant SQL; parameters are bound on the Statement.
  Result<Statement> prepare(std::string_view sql);

  // Runs a constant query that yields one row with one column, as text / integer.
  Result<std::string> query_text(std::string_view sql);
  Result<std::int64_t> query_int(std::string_view sql);

  // An Error for the connection's last failure: "`what`: <sqlite message>".
  Error last_error(std::string_view what) const;

  std::int64_t last_insert_rowid() const;
  int changes() const;  // rows changed by the last INSERT/UPDATE/DELETE
  bool is_open() const { return m_db != nullptr; }
  const std::filesystem::path& file() const { return m_file; }

 private:
  explicit Database(sqlite3* db, std::filesystem::path file) : m_db(db), m_file(std::move(file)) {}

  sqlite3* m_db = nullptr;
  std::filesystem::path m_file;
};

// A prepared statement with bound parameters (1-based indexes, as in SQLite). A bind failure is
// remembered and reported by the next step(), so binds can be chained.
class Statement {
 public:
  Statement() = default;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);  // copied by SQLite (SQLITE_TRANSIENT)
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<std::int64_t>& value);
  Statement& bind(int index, const std::optional<std::string>& value);

  // Advances: true when a row is available, false when the statement is done.
  Result<bool> step();
  // Steps a statement that returns no rows (INSERT/UPDATE/DELETE) to completion.
  Result<void> run();

  bool is_null(int column) const;
  std::int64_t column_int(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;
  std::optional<std::int64_t> column_opt_int(int column) const;
  std::optional<std::string> column_opt_text(int column) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
  void note_bind(int rc, int index);

  sqlite3* m_db = nullptr;
  sqlite3_stmt* m_stmt = nullptr;
  std::optional<Error> m_bind_error;
};

// BEGIN IMMEDIATE on construction (via begin()); ROLLBACK on destruction unless commit()
// succeeded. IMMEDIATE takes the write lock up front, so a transaction never fails half-way
// with SQLITE_BUSY on its first write.
class Transaction {
 public:
  static Result<Transaction> begin(Database& db);

  Transaction(Transaction&& other) noexcept : m_db(other.m_db) { other.m_db = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  // COMMIT; returns once SQLite reports it durable (per the connection's synchronous mode).
  Result<void> commit();

 private:
  explicit Transaction(Database* db) : m_db(db) {}
  Database* m_db = nullptr;
};

// For its lifetime the connection commits with synchronous=NORMAL (no fsync per commit), then
// FULL again. In WAL mode such a commit survives any crash of the process; a power loss can
// drop it only together with every commit after it, since the next FULL commit syncs the
// whole log first. For bookkeeping that is not acknowledged to anyone (docs/daemon.md
// "Sessions and persistence"). Use outside a transaction.
class RelaxedSync {
 public:
  explicit RelaxedSync(Database& db);
  RelaxedSync(const RelaxedSync&) = delete;
  RelaxedSync& operator=(const RelaxedSync&) = delete;
  ~RelaxedSync();

 private:
  Database& m_db;
};

}  // namespace gavel::daemon::sqlite
