// gaveld end to end: the watcher's settled changes become exactly one session, edits during a
// review make the running round stale, no review runs during a merge, and a converged patch is
// applied (review.apply=auto, then `undo` over the socket) or left alone (never).
#include "tests/integration/daemon_fixture.hpp"

#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

namespace gavel::test {
namespace {

namespace pr = protocol;
using namespace std::chrono_literals;
using DaemonReview = DaemonFixture;

TEST_F(DaemonReview, TenQuickEditsMakeOneSessionAfterSettling) {
  use_scripted_agents(0);
  start_daemon();
  add_repo();
  for (int i = 0; i < 10; ++i) {
    m_repo->write("a.txt", "BUG edit " + std::to_string(i) + "\n");
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(wait_for([&] {
    auto s = sessions();
    return s.size() == 1 && final_state(s[0]);
  })) << sessions().size();
  std::this_thread::sleep_for(1500ms);  // well past the settle period: nothing more starts
  auto all = sessions();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state, pr::SessionState::converged);
}

// After the first snapshot gaveld reads only the paths the watcher named and the ones already
// changed (SnapshotSource); each session must still review the whole change: its fingerprint
// is the one `gavel snapshot` computes reading the whole tree.
TEST_F(DaemonReview, EachSessionReviewsTheWholeChangeNotJustTheLastEdit) {
  use_scripted_agents(0);
  start_daemon({"review.apply=never"});
  add_repo();
  const std::string gavel = std::string(GAVEL_BINARY_DIR) + "/cli/gavel";
  auto whole_fingerprint = [&] {
    const auto r = run_process({gavel, "snapshot"}, m_repo->path(), m_repo->env());
    const auto at = r.out.find("fingerprint ");
    return at == std::string::npos ? r.out : r.out.substr(at + 12, 40);
  };
  const std::vector<std::function<void()>> edits = {
      [&] { m_repo->write("b.txt", "first\n"); },
      [&] { m_repo->write("c.txt", "second\n"); },                     // b.txt stays changed
      [&] { m_repo->write("new/dir/d.txt", "in a new directory\n"); },  // a directory appears
      [&] { std::filesystem::remove(m_repo->path() / "b.txt"); },       // back to HEAD
      [&] { std::filesystem::remove(m_repo->path() / "README"); },     // a tracked file deleted
  };
  for (std::size_t i = 0; i < edits.size(); ++i) {
    edits[i]();
    ASSERT_TRUE(wait_for([&] {
      auto s = sessions();
      return s.size() == i + 1 && final_state(s.back());
    })) << "edit " << i << ": " << sessions().size() << " sessions";
    EXPECT_EQ(sessions().back().fingerprint, whole_fingerprint()) << "edit " << i;
  }
}

// A file force-added under an ignored directory is tracked but unwatched: its edits raise no
// event. The quiet read (daemon.quiet_read_ms after the repository's last change) reads the
// whole tree once and finds it.
TEST_F(DaemonReview, TheQuietReadFindsWhatTheWatcherCannotSee) {
  use_scripted_agents(0, "[daemon]\nquiet_read_ms = 3000\n");
  m_repo->write(".gitignore", "build/\n");
  m_repo->commit_all("ignore build");
  start_daemon({"review.apply=never"});
  add_repo();
  m_repo->write("build/gen.txt", "v1\n");
  m_repo->git({"add", "-f", "build/gen.txt"});
  m_repo->git({"commit", "-q", "-m", "track a generated file"});
  // Past the commit's settle period and its whole read; before the quiet read.
  std::this_thread::sleep_for(1500ms);
  m_repo->write("build/gen.txt", "v2\n");
  ASSERT_TRUE(wait_for([&] {
    auto s = sessions();
    return s.size() == 1 && final_state(s[0]);
  }, 30s)) << sessions().size() << " sessions";
  const std::string gavel = std::string(GAVEL_BINARY_DIR) + "/cli/gavel";
  const auto r = run_process({gavel, "snapshot"}, m_repo->path(), m_repo->env());
  EXPECT_NE(r.out.find("build/gen.txt"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(sessions()[0].fingerprint), std::string::npos) << r.out;
}

TEST_F(DaemonReview, EditDuringReviewMarksTheRoundStaleAndReviewsTheNewSnapshot) {
  use_scripted_agents(3);
  start_daemon({"review.apply=never"});
  add_repo();
  m_repo->write("a.txt", "BUG one\n");
  ASSERT_TRUE(wait_for([&] { return !reviewer_pids().empty(); }));
  m_repo->write("a.txt", "clean now\n");
  ASSERT_TRUE(wait_for([&] {
    auto s = sessions();
    return s.size() == 1 && final_state(s[0]);
  }));
  auto shown = call(pr::SessionShowRequest{sessions()[0].id});
  ASSERT_GE(shown.rounds.size(), 2u);
  EXPECT_NE(shown.rounds[0].outcome.find("stale"), std::string::npos) << shown.rounds[0].outcome;
  EXPECT_EQ(shown.rounds.back().outcome, "done");
  EXPECT_EQ(shown.session.state, pr::SessionState::converged);
  EXPECT_EQ(m_repo->read("a.txt"), "clean now\n");
}

TEST_F(DaemonReview, NoReviewWhileAMergeIsInProgress) {
  use_scripted_agents(0);
  start_daemon();
  const std::string head = m_repo->git({"rev-parse", "HEAD"});
  m_repo->write(".git/MERGE_HEAD", head);
  add_repo();
  m_repo->write("a.txt", "BUG during merge\n");
  std::this_thread::sleep_for(2s);
  EXPECT_TRUE(sessions().empty());
  std::filesystem::remove(m_repo->path() / ".git" / "MERGE_HEAD");
  ASSERT_TRUE(wait_for([&] { return sessions().size() == 1; }));
}

TEST_F(DaemonReview, ApplyAutoWritesTheFixAndUndoRestoresTheTree) {
  use_scripted_agents(0);
  start_daemon({"review.apply=auto"});
  add_repo();
  m_repo->write("notes/untracked.txt", "keep me\n");
  m_repo->write("a.txt", "BUG line\n");
  ASSERT_TRUE(wait_for([&] { return m_repo->read("a.txt") == "FIXED line\n"; }))
      << m_repo->read("a.txt");
  auto undone = call(pr::UndoRequest{repo_path()});
  EXPECT_NE(undone.restored.find("refs/gavel/undo/"), std::string::npos);
  EXPECT_EQ(m_repo->read("a.txt"), "BUG line\n");
  EXPECT_EQ(m_repo->read("notes/untracked.txt"), "keep me\n");
  EXPECT_EQ(m_repo->git({"status", "--porcelain", "-uall"}), "?? a.txt\n?? notes/untracked.txt\n");
}

TEST_F(DaemonReview, ApplyNeverLeavesTheTreeAndKeepsThePatch) {
  use_scripted_agents(0);
  start_daemon({"review.apply=never"});
  add_repo();
  m_repo->write("a.txt", "BUG line\n");
  ASSERT_TRUE(wait_for([&] {
    auto s = sessions();
    return s.size() == 1 && final_state(s[0]);
  }));
  EXPECT_EQ(sessions()[0].state, pr::SessionState::converged);
  // The verdict is stored before the runner returns the patch: wait for the file.
  const auto patch = m_repo->path() / ".git" / "gavel" / "patches" / (sessions()[0].id + ".patch");
  EXPECT_TRUE(wait_for([&] { return std::filesystem::exists(patch); }));
  EXPECT_EQ(m_repo->read("a.txt"), "BUG line\n");
}

}  // namespace
}  // namespace gavel::test
