#include "git/scratch.hpp"
#include "git/snapshot.hpp"

#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gavel::git {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

review::Changeset snapshot_of(const fs::path& dir) {
  auto reader = SnapshotReader::open(dir, ReaderMode::one_shot);
  EXPECT_TRUE(reader.has_value());
  SnapshotOptions o;
  o.contents = SnapshotOptions::Contents::new_text;
  auto snap = reader->take(o);
  EXPECT_TRUE(snap.has_value()) << (snap ? "" : snap.error().message);
  return snap->changes;
}

class Scratch : public testing::Test {
 protected:
  void SetUp() override {
    m_repo.write("keep.txt", "same\n");
    m_repo.write("edit.txt", "one\ntwo\nthree\n");
    m_repo.write("gone.txt", "bye\n");
    m_repo.commit_all("base");
    m_repo.write("edit.txt", "one\nTWO\nthree\n");
    m_repo.remove("gone.txt");
    m_repo.write("dir/new.txt", "brand new\n");
    m_parent = m_repo.root() / "scratch-parent";
    fs::create_directories(m_parent);
  }
  test::TempGitRepo m_repo;
  fs::path m_parent;
};

TEST_F(Scratch, HoldsTheSnapshotAndHasTheSameFingerprint) {
  const std::string index_before = slurp(m_repo.path() / ".git" / "index");
  const review::Changeset snap = snapshot_of(m_repo.path());
  auto scratch = ScratchTree::create(m_repo.path(), snap, m_parent);
  ASSERT_TRUE(scratch.has_value()) << scratch.error().message;
  const fs::path w = scratch->workdir();
  EXPECT_EQ(slurp(w / "edit.txt"), "one\nTWO\nthree\n");
  EXPECT_EQ(slurp(w / "keep.txt"), "same\n");
  EXPECT_EQ(slurp(w / "dir/new.txt"), "brand new\n");
  EXPECT_FALSE(fs::exists(w / "gone.txt"));
  EXPECT_EQ(snapshot_of(w).fingerprint, snap.fingerprint);
  auto changes = scratch->changes_since_created();
  ASSERT_TRUE(changes.has_value());
  EXPECT_EQ(*changes, "");
  // The developer's repository is untouched.
  EXPECT_EQ(slurp(m_repo.path() / ".git" / "index"), index_before);
  EXPECT_EQ(m_repo.read("edit.txt"), "one\nTWO\nthree\n");
}

TEST_F(Scratch, AppliesPatchesAndReportsTheChange) {
  auto scratch = ScratchTree::create(m_repo.path(), snapshot_of(m_repo.path()), m_parent);
  ASSERT_TRUE(scratch.has_value()) << scratch.error().message;
  const std::string patch =
      "diff --git a/edit.txt b/edit.txt\n--- a/edit.txt\n+++ b/edit.txt\n@@ -1,3 +1,3 @@\n"
      " one\n-TWO\n+two\n three\n";
  ASSERT_TRUE(scratch->apply_patch(patch, ScratchTree::ApplyMode::check_only).has_value());
  EXPECT_EQ(slurp(scratch->workdir() / "edit.txt"), "one\nTWO\nthree\n");  // check wrote nothing
  auto applied = scratch->apply_patch(patch, ScratchTree::ApplyMode::apply);
  ASSERT_TRUE(applied.has_value()) << applied.error().message;
  EXPECT_EQ(slurp(scratch->workdir() / "edit.txt"), "one\ntwo\nthree\n");
  EXPECT_EQ(m_repo.read("edit.txt"), "one\nTWO\nthree\n");  // developer's file untouched
  auto changes = scratch->changes_since_created();
  ASSERT_TRUE(changes.has_value());
  EXPECT_NE(changes->find("-TWO\n+two\n"), std::string::npos) << *changes;
  // A patch that no longer applies is refused.
  EXPECT_FALSE(scratch->apply_patch(patch, ScratchTree::ApplyMode::apply).has_value());
}

TEST_F(Scratch, RefusesPatchesOutsideTheRepository) {
  auto scratch = ScratchTree::create(m_repo.path(), snapshot_of(m_repo.path()), m_parent);
  ASSERT_TRUE(scratch.has_value());
  for (const char* path : {".git/hooks/pre-commit", "../escape.txt", "a/../../x", "sub/.GIT/config"}) {
    const std::string p = std::string("diff --git a/") + path + " b/" + path +
                          "\nnew file mode 100755\n--- /dev/null\n+++ b/" + path +
                          "\n@@ -0,0 +1 @@\n+echo pwned\n";
    auto r = scratch->apply_patch(p, ScratchTree::ApplyMode::apply);
    ASSERT_FALSE(r.has_value()) << path;
    EXPECT_NE(r.error().message.find("outside the repository or under .git"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(scratch->workdir() / ".git/hooks/pre-commit"));
}

TEST_F(Scratch, RefusesPatchesThroughSymlinks) {
  const fs::path outside = m_repo.root() / "outside";
  fs::create_directories(outside);
  {
    std::ofstream(outside / "secret.txt") << "private\n";
  }
  m_repo.symlink(outside.string(), "linkdir");
  m_repo.symlink((outside / "secret.txt").string(), "linkfile");
  auto scratch = ScratchTree::create(m_repo.path(), snapshot_of(m_repo.path()), m_parent);
  ASSERT_TRUE(scratch.has_value()) << scratch.error().message;
  for (const char* path : {"linkdir/secret.txt", "linkfile"}) {
    const std::string p = std::string("diff --git a/") + path + " b/" + path + "\n--- a/" + path +
                          "\n+++ b/" + path + "\n@@ -1 +1 @@\n-private\n+overwritten\n";
    auto r = scratch->apply_patch(p, ScratchTree::ApplyMode::apply);
    ASSERT_FALSE(r.has_value()) << path;
    EXPECT_NE(r.error().message.find("through a symlink"), std::string::npos) << r.error().message;
  }
  EXPECT_EQ(slurp(outside / "secret.txt"), "private\n");
}

// An agent may edit the scratch's .git with its own tools: a reader that would read another
// tree (so one tree is reviewed and another offered as the patch) is refused.
TEST_F(Scratch, OpenReaderRefusesARedirectedRepository) {
  const review::Changeset snap = snapshot_of(m_repo.path());
  auto expect_redirected = [](const ScratchTree& s) {
    auto reader = s.open_reader();
    ASSERT_FALSE(reader.has_value());
    EXPECT_EQ(reader.error().code, Errc::invalid_argument);
    EXPECT_NE(reader.error().message.find("redirected"), std::string::npos) << reader.error().message;
  };
  auto scratch = ScratchTree::create(m_repo.path(), snap, m_parent);
  ASSERT_TRUE(scratch.has_value()) << scratch.error().message;
  const fs::path w = scratch->workdir();
  auto reader = scratch->open_reader();
  ASSERT_TRUE(reader.has_value()) << reader.error().message;
  EXPECT_EQ(reader->take()->changes.fingerprint, snap.fingerprint);
  const fs::path decoy = m_repo.root() / "decoy";
  fs::create_directories(decoy);
  std::ofstream(w / ".git/config", std::ios::app) << "[core]\n\tworktree = " << decoy.string() << "\n";
  expect_redirected(*scratch);
  fs::rename(w / ".git", m_repo.root() / "moved.git");
  fs::create_directory_symlink(m_repo.root() / "moved.git", w / ".git");
  expect_redirected(*scratch);
  fs::remove(w / ".git");
  std::ofstream(w / ".git") << "gitdir: " << (m_repo.path() / ".git").string() << "\n";
  expect_redirected(*scratch);
}

TEST_F(Scratch, OpenReaderRefusesAMovedHead) {
  // An agent that commits, resets or checks out in the scratch would hide its changes from the
  // snapshot the reviewer sees while changes_since_created() still offers them.
  const review::Changeset snap = snapshot_of(m_repo.path());
  ASSERT_FALSE(snap.base_commit.empty());
  auto scratch = ScratchTree::create(m_repo.path(), snap, m_parent);
  ASSERT_TRUE(scratch.has_value()) << scratch.error().message;
  const fs::path head = scratch->workdir() / ".git/HEAD";
  ASSERT_TRUE(scratch->open_reader().has_value());
  auto expect_moved = [&] {
    auto reader = scratch->open_reader();
    ASSERT_FALSE(reader.has_value());
    EXPECT_NE(reader.error().message.find("HEAD was moved"), std::string::npos)
        << reader.error().message;
  };
  std::ofstream(head, std::ios::trunc) << "ref: refs/heads/elsewhere\n";
  expect_moved();
  std::ofstream(head, std::ios::trunc) << std::string(40, '1') << "\n";
  expect_moved();
  std::ofstream(head, std::ios::trunc) << snap.base_commit << "\n";
  EXPECT_TRUE(scratch->open_reader().has_value());
}

TEST_F(Scratch, DirectoryIsRemovedWithTheObject) {
  fs::path dir;
  {
    auto scratch = ScratchTree::create(m_repo.path(), snapshot_of(m_repo.path()), m_parent);
    ASSERT_TRUE(scratch.has_value());
    dir = scratch->workdir();
    EXPECT_TRUE(fs::exists(dir));
  }
  EXPECT_FALSE(fs::exists(dir));
}

TEST(ScratchPaths, ConfinedPathRules) {
  EXPECT_TRUE(is_confined_path("src/a.c"));
  EXPECT_TRUE(is_confined_path("a..b/c"));
  EXPECT_FALSE(is_confined_path("/etc/passwd"));
  EXPECT_FALSE(is_confined_path("../x"));
  EXPECT_FALSE(is_confined_path(".git/config"));
  EXPECT_FALSE(is_confined_path("x/.Git/config"));
  EXPECT_FALSE(is_confined_path(""));
}

TEST(ScratchUnborn, WorksWithoutABaseCommit) {
  test::TempGitRepo repo;
  repo.write("first.txt", "hello\n");
  const fs::path parent = repo.root() / "p";
  fs::create_directories(parent);
  const review::Changeset snap = snapshot_of(repo.path());
  ASSERT_TRUE(snap.base_commit.empty());
  auto scratch = ScratchTree::create(repo.path(), snap, parent);
  ASSERT_TRUE(scratch.has_value()) << scratch.error().message;
  EXPECT_EQ(slurp(scratch->workdir() / "first.txt"), "hello\n");
  EXPECT_EQ(snapshot_of(scratch->workdir()).fingerprint, snap.fingerprint);
}

}  // namespace
}  // namespace gavel::git
