// Round trips of every record type through a real SQLite file (daemon/state_store.hpp).
#include "daemon/state_store.hpp"

#include "tests/unit/daemon/state_test_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace gavel::daemon {
namespace {

using test::full_finding;
using test::StateTempDir;

SessionRecord sample_session(const std::string& repo, std::int64_t created) {
  SessionRecord s;
  s.repo = repo;
  s.created_at_ms = created;
  s.updated_at_ms = created + 1;
  s.fingerprint = "fp-1";
  s.base_commit = "abc123";
  s.intent = "Add the 'frobnicate' flag; see story #12";
  s.state = "running";
  s.verdict = "";
  s.verdict_reason = "";
  s.reviewer = "codex";
  s.implementer = "claude";
  s.policy = {{"round_limit", 8}, {"blocking_threshold", "P1"}};
  return s;
}

void expect_same_session(const SessionRecord& a, const SessionRecord& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.repo, b.repo);
  EXPECT_EQ(a.created_at_ms, b.created_at_ms);
  EXPECT_EQ(a.updated_at_ms, b.updated_at_ms);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.base_commit, b.base_commit);
  EXPECT_EQ(a.intent, b.intent);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.verdict, b.verdict);
  EXPECT_EQ(a.verdict_reason, b.verdict_reason);
  EXPECT_EQ(a.reviewer, b.reviewer);
  EXPECT_EQ(a.implementer, b.implementer);
  EXPECT_EQ(a.policy, b.policy);
}

// Every field of review::Finding, compared one by one (not through the codec under test).
void expect_same_finding(const review::Finding& a, const review::Finding& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.raised.title, b.raised.title);
  EXPECT_EQ(a.raised.body, b.raised.body);
  EXPECT_EQ(a.raised.priority, b.raised.priority);
  EXPECT_DOUBLE_EQ(a.raised.confidence, b.raised.confidence);
  EXPECT_EQ(a.raised.location.path, b.raised.location.path);
  EXPECT_EQ(a.raised.location.lines.start, b.raised.location.lines.start);
  EXPECT_EQ(a.raised.location.lines.end, b.raised.location.lines.end);
  EXPECT_EQ(a.raised.location.side, b.raised.location.side);
  EXPECT_EQ(a.raised.category, b.raised.category);
  EXPECT_EQ(a.raised.suggested_fix, b.raised.suggested_fix);
  EXPECT_EQ(a.titles, b.titles);
  EXPECT_EQ(a.raised_by, b.raised_by);
  EXPECT_EQ(a.raised_round, b.raised_round);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.adjacent, b.adjacent);
  EXPECT_EQ(a.anchor, b.anchor);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.identity_path, b.identity_path);
  EXPECT_EQ(a.current_anchor, b.current_anchor);
  EXPECT_EQ(a.reviewed_anchor, b.reviewed_anchor);
  EXPECT_EQ(a.closed_anchor, b.closed_anchor);
  EXPECT_EQ(a.insists, b.insists);
  EXPECT_EQ(a.last_raised_round, b.last_raised_round);
  EXPECT_EQ(a.awaiting_human, b.awaiting_human);
  EXPECT_EQ(a.trace_requested, b.trace_requested);
  EXPECT_EQ(a.implementer_note, b.implementer_note);
  EXPECT_EQ(a.reviewer_note, b.reviewer_note);
  ASSERT_EQ(a.history.size(), b.history.size());
  for (std::size_t i = 0; i < a.history.size(); ++i) {
    EXPECT_EQ(a.history[i].from, b.history[i].from);
    EXPECT_EQ(a.history[i].to, b.history[i].to);
    EXPECT_EQ(a.history[i].actor, b.history[i].actor);
    EXPECT_EQ(a.history[i].at_ms, b.history[i].at_ms);
    EXPECT_EQ(a.history[i].reason, b.history[i].reason);
  }
}

TEST(StateStore, CreatesOwnerOnlyDirectory) {
  StateTempDir tmp;
  auto store = StateStore::open(tmp.store_dir());
  ASSERT_TRUE(store) << store.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(tmp.store_dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_TRUE(std::filesystem::exists(tmp.store_dir() / StateStore::k_file_name));
  EXPECT_TRUE(store->recovered().empty());
}

TEST(StateStore, RefusesDirectoryPathThatIsAFile) {
  StateTempDir tmp;
  test::write_bytes(tmp.path() / "file", "x");
  auto store = StateStore::open(tmp.path() / "file");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::io);
}

TEST(StateStore, SessionRoundTrip) {
  StateTempDir tmp;
  auto store = StateStore::open(tmp.store_dir());
  ASSERT_TRUE(store) << store.error().message;
  SessionRecord first = sample_session("/repo", 1000);
  auto id = store->create_session(first);
  ASSERT_TRUE(id) << id.error().message;
  first.id = *id;
  SessionRecord second = sample_session("/repo", 2000);
  second.id = store->create_session(second).value();
  store->create_session(sample_session("/other", 3000)).value();

  expect_same_session(store->session(first.id).value(), first);
  second.state = "converged";
  second.verdict = "approved";
  second.verdict_reason = "no blocking finding";
  second.updated_at_ms = 9000;
  second.created_at_ms = 1;  // not updatable: kept as created
  ASSERT_TRUE(store->update_session(second));
  second.created_at_ms = 2000;
  expect_same_session(store->session(second.id).value(), second);

  auto all = store->sessions_for_repo("/repo").value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, first.id);
  EXPECT_EQ(all[1].id, second.id);
  auto latest = store->latest_session("/repo").value();
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->id, second.id);
  EXPECT_FALSE(store->latest_session("/none").value());
  EXPECT_EQ(store->session(999).error().code, Errc::not_found);
  SessionRecord missing = first;
  missing.id = 999;
  EXPECT_EQ(store->update_session(missing).error().code, Errc::not_found);
}

TEST(StateStore, RoundRoundTripAndStateChanges) {
  StateTempDir tmp;
  auto store = StateStore::open(tmp.store_dir());
  ASSERT_TRUE(store) << store.error().message;
  const auto session = store->create_session(sample_session("/repo", 1)).value();
  RoundStart start{session, 1, RoundRole::reviewer, "codex", "fp-1", 100, "sha256:ab", 42,
                   std::string("the prompt")};
  const auto r1 = store->begin_round(start).value();
  RoundStart second = start;
  second.number = 2;
  second.role = RoundRole::implementer;
  second.agent = "claude";
  second.input_text.reset();
  const auto r2 = store->begin_round(second).value();
  const auto r3 = store->begin_round(RoundStart{session, 3, RoundRole::reviewer, "codex", "fp-2",
                                                300, "", 0, std::nullopt})
                      .value();

  RoundRecord running = store->round(r1).value();
  EXPECT_EQ(running.state, RoundState::running);
  EXPECT_EQ(running.start.input_text, "the prompt");
  EXPECT_FALSE(running.finished_at_ms);

  ASSERT_TRUE(store->finish_round(r1, {150, 50, "{\"findings\":[]}", {10, 20, 5, 0.25}, 2}));
  ASSERT_TRUE(store->fail_round(r2, {260, 60, "timeout", "no answer in 60 s", "partial",
                                     {1, 2, 3, 0.5}, 4}));
  ASSERT_TRUE(store->mark_stale(r1));

  auto rounds = store->rounds(session).value();
  ASSERT_EQ(rounds.size(), 3u);
  const RoundRecord& done = rounds[0];
  EXPECT_EQ(done.id, r1);
  EXPECT_EQ(done.state, RoundState::stale);
  EXPECT_EQ(done.start.session_id, session);
  EXPECT_EQ(done.start.number, 1);
  EXPECT_EQ(done.start.role, RoundRole::reviewer);
  EXPECT_EQ(done.start.agent, "codex");
  EXPECT_EQ(done.start.snapshot, "fp-1");
  EXPECT_EQ(done.start.started_at_ms, 100);
  EXPECT_EQ(done.start.input_digest, "sha256:ab");
  EXPECT_EQ(done.start.input_bytes, 42);
  EXPECT_EQ(done.finished_at_ms, 150);
  EXPECT_EQ(done.duration_ms, 50);
  EXPECT_EQ(done.output, "{\"findings\":[]}");
  EXPECT_EQ(done.usage.tokens_in, 10);
  EXPECT_EQ(done.usage.tokens_out, 20);
  EXPECT_EQ(done.usage.tokens_cached, 5);
  EXPECT_DOUBLE_EQ(done.usage.cost_usd, 0.25);
  EXPECT_EQ(done.attempts, 2);

  const RoundRecord& failed = rounds[1];
  EXPECT_EQ(failed.state, RoundState::failed);
  EXPECT_EQ(failed.start.role, RoundRole::implementer);
  EXPECT_FALSE(failed.start.input_text);
  EXPECT_EQ(failed.failure_kind, "timeout");
  EXPECT_EQ(failed.failure_message, "no answer in 60 s");
  EXPECT_EQ(failed.output, "partial");
  EXPECT_EQ(failed.attempts, 4);
  EXPECT_EQ(rounds[2].id, r3);
  EXPECT_EQ(rounds[2].state, RoundState::running);

  EXPECT_EQ(store->finish_round(r2, {}).error().code, Errc::conflict);
  EXPECT_EQ(store->fail_round(r1, {}).error().code, Errc::conflict);
  EXPECT_EQ(store->mark_stale(r2).error().code, Errc::conflict);
  EXPECT_EQ(store->finish_round(999, {}).error().code, Errc::not_found);
  EXPECT_EQ(store->round(999).error().code, Errc::not_found);
  start.session_id = 999;
  EXPECT_EQ(store->begin_round(start).error().code, Errc::not_found);
}

TEST(StateStore, UsageSinceSumsRoundsStartedSinceThenExceptOneSession) {
  StateTempDir tmp;
  auto store = StateStore::open(tmp.store_dir());
  ASSERT_TRUE(store) << store.error().message;
  const auto a = store->create_session(sample_session("/repo", 1)).value();
  const auto b = store->create_session(sample_session("/repo", 2)).value();
  auto round = [&](std::int64_t session, std::int64_t started, RoundUsage usage) {
    auto id = store->begin_round(RoundStart{session, 1, RoundRole::reviewer, "codex", "fp",
                                            started, "", 0, std::nullopt}).value();
    ASSERT_TRUE(store->finish_round(id, {started + 1, 1, "", usage, 1}));
  };
  round(a, 100, {10, 5, 0, 0.5});   // before `since`
  round(a, 1000, {20, 10, 0, 1.0});
  round(b, 2000, {40, 0, 0, 2.0});
  auto all = store->usage_since(1000).value();
  EXPECT_EQ(all.tokens_in, 70);
  EXPECT_DOUBLE_EQ(all.cost_usd, 3.0);
  auto others = store->usage_since(1000, b).value();
  EXPECT_EQ(others.tokens_in, 30);
  EXPECT_DOUBLE_EQ(others.cost_usd, 1.0);
}

TEST(StateStore, FindingRoundTripWithHistory) {
  StateTempDir tmp;
  auto store = StateStore::open(tmp.store_dir());
  ASSERT_TRUE(store) << store.error().message;
  const auto session = store->create_session(sample_session("/repo", 1)).value();
  review::Finding a = full_finding("f-a");
  review::Finding b;  // defaults only
  b.id = "f-b";
  a.history.push_back({review::FindingState::open, review::FindingState::fixed, "x", 1, "ignored"});
  const std::vector<review::Finding> batch{a, b};
  ASSERT_TRUE(store->upsert_findings(session, batch, 10));
  a.history.clear();  // upsert ignores history: the log is the only source

  expect_same_finding(store->finding(session, "f-a").value(), a);
  expect_same_finding(store->finding(session, "f-b").value(), b);

  const review::Transition t1{review::FindingState::open, review::FindingState::disputed,
                              "claude", 20, "it is checked by the caller"};
  const review::Transition t2{review::FindingState::disputed, review::FindingState::dismissed,
                              "human:ann", 30, "false positive"};
  const auto s1 = store->append_transition(session, "f-a", t1).value();
  a.state = review::FindingState::dismissed;
  const auto s2 = store->record_decision(session, a, t2, 31).value();
  EXPECT_LT(s1, s2);
  a.history = {t1, t2};

  auto all = store->findings(session).value();
  ASSERT_EQ(all.size(), 2u);
  expect_same_finding(all[0], a);
  expect_same_finding(all[1], b);
  expect_same_finding(store->finding(session, "f-a").value(), a);

  auto log = store->decision_log(session, "f-a").value();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].seq, s1);
  EXPECT_EQ(log[1].seq, s2);
  EXPECT_EQ(log[1].session_id, session);
  EXPECT_EQ(log[1].finding_id, "f-a");
  EXPECT_EQ(log[1].transition.actor, "human:ann");

  EXPECT_EQ(store->finding(session, "nope").error().code, Errc::not_found);
  EXPECT_EQ(store->append_transition(session, "nope", t1).error().code, Errc::not_found);
  review::Finding unnamed;
  EXPECT_EQ(store->upsert_findings(session, std::span(&unnamed, 1), 1).error().code,
            Errc::invalid_argument);
  EXPECT_EQ(store->upsert_findings(999, batch, 1).error().code, Errc::not_found);
}

TEST(StateStore, FailedDecisionWritesNothing) {
  StateTempDir tmp;
  auto store = StateStore::open(tmp.store_dir());
  ASSERT_TRUE(store) << store.error().message;
  const auto session = store->create_session(sample_session("/repo", 1)).value();
  review::Finding f = full_finding("f");
  f.id = "";  // refused: the upsert fails, so the transition must not be logged either
  auto r = store->record_decision(session, f, {}, 1);
  ASSERT_FALSE(r);
  EXPECT_TRUE(store->findings(session).value().empty());
}

TEST(StateStore, SuppressionRoundTripAndLapse) {
  StateTempDir tmp;
  auto store = StateStore::open(tmp.store_dir());
  ASSERT_TRUE(store) << store.error().message;
  const auto session = store->create_session(sample_session("/repo", 1)).value();
  SuppressionRecord s{0,  "fp-x", "if (p) {", "src/a.cpp", "checked upstream", "human:ann",
                      session, "f-1", 100, std::nullopt, ""};
  s.id = store->add_suppression(s).value();
  SuppressionRecord other = s;
  other.fingerprint = "fp-y";
  other.session_id.reset();
  other.id = store->add_suppression(other).value();

  auto active = store->active_suppressions().value();
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[0].id, s.id);
  EXPECT_EQ(active[0].fingerprint, "fp-x");
  EXPECT_EQ(active[0].anchor, "if (p) {");
  EXPECT_EQ(active[0].path, "src/a.cpp");
  EXPECT_EQ(active[0].reason, "checked upstream");
  EXPECT_EQ(active[0].actor, "human:ann");
  EXPECT_EQ(active[0].session_id, session);
  EXPECT_EQ(active[0].finding_id, "f-1");
  EXPECT_EQ(active[0].created_at_ms, 100);
  EXPECT_FALSE(active[0].lapsed_at_ms);
  EXPECT_FALSE(active[1].session_id);

  ASSERT_TRUE(store->lapse_suppression(s.id, 200, "anchored code changed"));
  EXPECT_EQ(store->lapse_suppression(s.id, 300, "again").error().code, Errc::conflict);
  EXPECT_EQ(store->lapse_suppression(999, 300, "none").error().code, Errc::not_found);
  active = store->active_suppressions().value();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].id, other.id);
  auto all = store->all_suppressions().value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].lapsed_at_ms, 200);
  EXPECT_EQ(all[0].lapse_reason, "anchored code changed");
}

TEST(StateStore, MetaRoundTrip) {
  StateTempDir tmp;
  auto store = StateStore::open(tmp.store_dir());
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_FALSE(store->get_meta("k").value());
  ASSERT_TRUE(store->set_meta("k", "v1", 1));
  ASSERT_TRUE(store->set_meta("k", "v2", 2));
  EXPECT_EQ(store->get_meta("k").value(), "v2");
}

TEST(StateStore, EverythingSurvivesReopen) {
  StateTempDir tmp;
  std::int64_t session = 0;
  {
    auto store = StateStore::open(tmp.store_dir());
    ASSERT_TRUE(store) << store.error().message;
    session = store->create_session(sample_session("/repo", 1)).value();
    const review::Finding f = full_finding("f");
    ASSERT_TRUE(store->record_decision(session, f, {review::FindingState::open, f.state, "c", 1,
                                                    "r"}, 1));
    ASSERT_TRUE(store->set_meta("k", "v", 1));
  }
  auto store = StateStore::open(tmp.store_dir());
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(store->session(session).value().repo, "/repo");
  EXPECT_EQ(store->finding(session, "f").value().history.size(), 1u);
  EXPECT_EQ(store->get_meta("k").value(), "v");
}

}  // namespace
}  // namespace gavel::daemon
