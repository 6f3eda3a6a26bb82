// Schema versions, migrations, refusing newer/corrupt/foreign files, quarantine, and the
// triggers that keep the decision log append-only (daemon/state_schema.hpp).
#include "daemon/state_schema.hpp"
#include "daemon/state_store.hpp"

#include "tests/unit/daemon/state_test_support.hpp"

#include <gtest/gtest.h>

#include <random>

namespace gavel::daemon {
namespace {

namespace fs = std::filesystem;
using test::StateTempDir;

fs::path db_file(const StateTempDir& tmp) { return tmp.store_dir() / StateStore::k_file_name; }

sqlite::Database raw_open(const fs::path& file) {
  return sqlite::Database::open(file, sqlite::OpenMode::existing_only).value();
}

TEST(StateSchema, MigrationsAreContiguousFromOne) {
  auto migrations = state_migrations();
  ASSERT_GE(migrations.size(), 2u);
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1);
  }
  EXPECT_EQ(current_state_schema_version(), migrations.back().version);
}

TEST(StateSchema, NewStoreIsCurrentWalAndTagged) {
  StateTempDir tmp;
  {
    auto store = StateStore::open(tmp.store_dir());
    ASSERT_TRUE(store) << store.error().message;
    EXPECT_EQ(store->schema_version(), current_state_schema_version());
  }
  auto db = raw_open(db_file(tmp));
  EXPECT_EQ(db.query_int("PRAGMA user_version").value(), current_state_schema_version());
  EXPECT_EQ(db.query_int("PRAGMA application_id").value(), k_state_application_id);
  EXPECT_EQ(db.query_text("PRAGMA journal_mode").value(), "wal");
}

TEST(StateSchema, MigratesFromV1KeepingRows) {
  StateTempDir tmp;
  fs::create_directories(tmp.store_dir());
  {
    auto db = sqlite::Database::open(db_file(tmp), sqlite::OpenMode::create).value();
    ASSERT_TRUE(migrate_state_database(db, 1));
    ASSERT_EQ(db.query_int("PRAGMA user_version").value(), 1);
    auto s = db.prepare("INSERT INTO sessions (repo, created_at_ms, updated_at_ms) "
                        "VALUES (?1, ?2, ?2)").value();
    ASSERT_TRUE(s.bind(1, "/repo").bind(2, std::int64_t{5}).run());
    auto r = db.prepare("INSERT INTO rounds (session_id, number, role, agent, snapshot, state, "
                        "started_at_ms) VALUES (1, 1, 'reviewer', ?1, 'fp', 'done', 7)").value();
    ASSERT_TRUE(r.bind(1, "codex").run());
    // v2's column does not exist yet.
    EXPECT_FALSE(db.prepare("SELECT attempts FROM rounds"));
  }
  auto store = StateStore::open(tmp.store_dir());
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(store->schema_version(), 2);
  auto rounds = store->rounds(1).value();
  ASSERT_EQ(rounds.size(), 1u);
  EXPECT_EQ(rounds[0].start.agent, "codex");
  EXPECT_EQ(rounds[0].attempts, 1);  // v2's default for old rows
  EXPECT_EQ(store->session(1).value().repo, "/repo");
  auto db = raw_open(db_file(tmp));
  EXPECT_EQ(db.query_int("PRAGMA user_version").value(), 2);
  EXPECT_EQ(db.query_int("SELECT count(*) FROM sqlite_schema WHERE name = 'rounds_running'")
                .value(),
            1);
}

TEST(StateSchema, RefusesNewerVersionUntouched) {
  StateTempDir tmp;
  ASSERT_TRUE(StateStore::open(tmp.store_dir()));
  {
    auto db = raw_open(db_file(tmp));
    ASSERT_TRUE(db.exec("PRAGMA user_version = 99"));
  }
  const std::string before = test::read_bytes(db_file(tmp));
  auto store = StateStore::open(tmp.store_dir());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::conflict);
  EXPECT_NE(store.error().message.find("newer gavel"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find("v99"), std::string::npos);
  EXPECT_EQ(test::read_bytes(db_file(tmp)), before);
}

void expect_corrupt_refused_then_quarantined(const StateTempDir& tmp, const std::string& bytes) {
  test::write_bytes(db_file(tmp), bytes);
  auto store = StateStore::open(tmp.store_dir());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::corrupt) << store.error().message;
  EXPECT_NE(store.error().message.find("left untouched"), std::string::npos);
  EXPECT_EQ(test::read_bytes(db_file(tmp)), bytes);  // never overwritten

  using namespace std::chrono;
  const sys_seconds when = sys_days{year{2026} / 1 / 25} + hours{3} + minutes{15};
  auto moved = StateStore::quarantine(tmp.store_dir(), when);
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->filename(), "state.db.corrupt-20260125T031500Z");
  EXPECT_EQ(test::read_bytes(*moved), bytes);
  EXPECT_FALSE(fs::exists(db_file(tmp)));
  auto fresh = StateStore::open(tmp.store_dir());
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_TRUE(fresh->sessions_for_repo("/repo").value().empty());
}

TEST(StateSchema, RefusesGarbageFileAndQuarantines) {
  StateTempDir tmp;
  fs::create_directories(tmp.store_dir());
  std::mt19937 rng(42);
  std::string bytes(8192, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  expect_corrupt_refused_then_quarantined(tmp, bytes);
}

TEST(StateSchema, RefusesShortGarbageFile) {
  StateTempDir tmp;
  fs::create_directories(tmp.store_dir());
  expect_corrupt_refused_then_quarantined(tmp, "not a database\n");
}

TEST(StateSchema, RefusesDamagedPages) {
  StateTempDir tmp;
  {
    auto store = StateStore::open(tmp.store_dir());
    ASSERT_TRUE(store);
    SessionRecord s;
    s.repo = "/repo";
    ASSERT_TRUE(store->create_session(s));
  }
  std::string bytes = test::read_bytes(db_file(tmp));
  ASSERT_GT(bytes.size(), 4096u);
  for (std::size_t i = 100; i < bytes.size(); ++i) bytes[i] = static_cast<char>(0xA5 ^ i);
  expect_corrupt_refused_then_quarantined(tmp, bytes);
}

TEST(StateSchema, RefusesAnotherApplicationsDatabase) {
  StateTempDir tmp;
  fs::create_directories(tmp.store_dir());
  {
    auto db = sqlite::Database::open(db_file(tmp), sqlite::OpenMode::create).value();
    ASSERT_TRUE(db.exec("CREATE TABLE photos (id INTEGER PRIMARY KEY)"));
  }
  const std::string before = test::read_bytes(db_file(tmp));
  auto store = StateStore::open(tmp.store_dir());
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::corrupt);
  EXPECT_EQ(test::read_bytes(db_file(tmp)), before);
}

TEST(StateSchema, QuarantineWithoutDatabaseIsNotFound) {
  StateTempDir tmp;
  EXPECT_EQ(StateStore::quarantine(tmp.path(), std::chrono::system_clock::now()).error().code,
            Errc::not_found);
}

TEST(StateSchema, DecisionLogIsAppendOnly) {
  StateTempDir tmp;
  {
    auto store = StateStore::open(tmp.store_dir());
    ASSERT_TRUE(store);
    SessionRecord s;
    s.repo = "/repo";
    const auto session = store->create_session(s).value();
    const review::Finding f = test::full_finding("f");
    ASSERT_TRUE(store->record_decision(session, f, {review::FindingState::open,
                                                    review::FindingState::disputed, "a", 1, "r"},
                                       1));
  }
  auto db = raw_open(db_file(tmp));
  ASSERT_TRUE(db.exec("PRAGMA foreign_keys = ON"));
  auto update = db.exec("UPDATE decisions SET reason = 'rewritten'");
  ASSERT_FALSE(update);
  EXPECT_EQ(update.error().code, Errc::conflict);
  EXPECT_NE(update.error().message.find("append-only"), std::string::npos);
  auto remove = db.exec("DELETE FROM decisions");
  ASSERT_FALSE(remove);
  EXPECT_NE(remove.error().message.find("append-only"), std::string::npos);
  EXPECT_FALSE(db.exec("DELETE FROM findings"));  // the log still refers to it
  EXPECT_EQ(db.query_text("SELECT reason FROM decisions").value(), "r");
  EXPECT_EQ(db.query_int("SELECT count(*) FROM decisions").value(), 1);
}

TEST(StateSchema, SuppressionsAreNeverDeletedOnlyLapsedOnce) {
  StateTempDir tmp;
  {
    auto store = StateStore::open(tmp.store_dir());
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->add_suppression({0, "fp", "a", "p", "why", "human:ann", std::nullopt, "",
                                        1, std::nullopt, ""}));
  }
  auto db = raw_open(db_file(tmp));
  EXPECT_FALSE(db.exec("DELETE FROM suppressions"));
  EXPECT_FALSE(db.exec("UPDATE suppressions SET reason = 'other'"));
  EXPECT_FALSE(db.exec("UPDATE suppressions SET lapsed_at_ms = 5, reason = 'other'"));
  ASSERT_TRUE(db.exec("UPDATE suppressions SET lapsed_at_ms = 5, lapse_reason = 'code changed'"));
  EXPECT_FALSE(db.exec("UPDATE suppressions SET lapsed_at_ms = NULL"));
  EXPECT_FALSE(db.exec("UPDATE suppressions SET lapsed_at_ms = 6"));
  EXPECT_EQ(db.query_int("SELECT lapsed_at_ms FROM suppressions").value(), 5);
}

}  // namespace
}  // namespace gavel::daemon
