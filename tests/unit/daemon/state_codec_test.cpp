// The findings.data JSON column (daemon/state_codec.hpp) and the SQLite wrapper's error
// mapping (daemon/state_sqlite.hpp).
#include "daemon/state_codec.hpp"
#include "daemon/state_sqlite.hpp"

#include "tests/unit/daemon/state_test_support.hpp"

#include <gtest/gtest.h>

namespace gavel::daemon {
namespace {

TEST(StateCodec, WritesEveryFieldButHistory) {
  review::Finding f = test::full_finding("f");
  f.history.push_back({});
  const nlohmann::json j = finding_to_json(f);
  EXPECT_FALSE(j.contains("history"));
  EXPECT_EQ(j.at("raised").at("priority"), 1);
  EXPECT_EQ(j.at("raised").at("location").at("side"), "old");
  EXPECT_EQ(j.at("state"), "disputed");
  auto back = finding_from_json(j);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(finding_to_json(*back), j);
  EXPECT_TRUE(back->history.empty());
}

TEST(StateCodec, MissingKeysTakeDefaults) {
  auto f = finding_from_json(nlohmann::json{{"id", "x"}});
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->id, "x");
  EXPECT_EQ(f->state, review::FindingState::open);
  EXPECT_EQ(f->raised.priority, review::Priority::p2);
  EXPECT_FALSE(f->raised.suggested_fix);
  EXPECT_EQ(f->insists, 0);
}

TEST(StateCodec, MalformedValuesAreCorrupt) {
  const nlohmann::json bad[] = {
      nlohmann::json::array(),
      {{"id", "x"}, {"state", "pending"}},
      {{"id", "x"}, {"insists", "two"}},
      {{"id", "x"}, {"raised", {{"priority", 7}}}},
      {{"id", "x"}, {"raised", {{"location", {{"side", "left"}}}}}},
  };
  for (const auto& j : bad) {
    auto f = finding_from_json(j);
    ASSERT_FALSE(f) << j.dump();
    EXPECT_EQ(f.error().code, Errc::corrupt) << j.dump();
  }
}

TEST(StateSqlite, BindErrorsSurfaceOnStep) {
  test::StateTempDir tmp;
  auto db = sqlite::Database::open(tmp.path() / "t.db", sqlite::OpenMode::create);
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(db->exec("CREATE TABLE t (v TEXT)"));
  auto stmt = db->prepare("INSERT INTO t (v) VALUES (?1)");
  ASSERT_TRUE(stmt);
  auto r = stmt->bind(1, "a").bind(5, "out of range").run();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::internal);
  EXPECT_EQ(db->query_int("SELECT count(*) FROM t").value(), 0);
  EXPECT_FALSE(db->prepare("SELECT nope FROM t"));
}

TEST(StateSqlite, TransactionRollsBackUnlessCommitted) {
  test::StateTempDir tmp;
  auto db = sqlite::Database::open(tmp.path() / "t.db", sqlite::OpenMode::create).value();
  ASSERT_TRUE(db.exec("CREATE TABLE t (v TEXT)"));
  {
    auto tx = sqlite::Transaction::begin(db);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(db.exec("INSERT INTO t (v) VALUES ('dropped')"));
  }
  {
    auto tx = sqlite::Transaction::begin(db);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(db.exec("INSERT INTO t (v) VALUES ('kept')"));
    ASSERT_TRUE(tx->commit());
  }
  EXPECT_EQ(db.query_text("SELECT group_concat(v) FROM t").value(), "kept");
}

TEST(StateSqlite, MissingFileWithoutCreateIsIo) {
  test::StateTempDir tmp;
  auto db = sqlite::Database::open(tmp.path() / "absent.db", sqlite::OpenMode::existing_only);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, Errc::io);
}

}  // namespace
}  // namespace gavel::daemon
