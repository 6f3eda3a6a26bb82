// GitSnapshotFiles: what review/ may ask about the files of a snapshot, and what it may not.
#include "git/snapshot_files.hpp"

#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>

namespace gavel::git {
namespace {

// Option sets used below (designated initializers would warn about the fields left out).
inline SnapshotOptions staged_opts() {
  SnapshotOptions o;
  o.kind = review::DiffKind::staged;
  return o;
}
inline SnapshotOptions paths_opts(std::vector<std::string> paths) {
  SnapshotOptions o;
  o.paths = std::move(paths);
  return o;
}
inline SnapshotOptions text_opts(std::vector<std::string> paths = {}) {
  SnapshotOptions o = paths_opts(std::move(paths));
  o.contents = SnapshotOptions::Contents::new_text;
  return o;
}


using test::TempGitRepo;
using Kind = review::SnapshotFiles::Kind;

class SnapshotFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_repo.write("src/main.c", "int main() {\n  return 0;\n}\n");
    m_repo.write("src/gone.c", "x\n");
    m_repo.write("old/name.txt", "renamed content\nline 2\nline 3\n");
    m_repo.write("bin.dat", std::string("\0\1\2", 3));
    m_repo.write("no-eol.txt", "a\nb");
    m_repo.symlink("src", "link-to-src");
    m_repo.symlink("/etc", "link-out");
    m_repo.commit_all();
    m_repo.write("src/main.c", "int main() {\n  return 1;\n}\n// end\n");
    m_repo.remove("src/gone.c");
    m_repo.git({"mv", "old/name.txt", "moved-name.txt"});
    m_repo.write("added/untracked.txt", "u1\nu2\n");
    m_repo.write(".gitignore", "*.log\n");
    m_repo.write("ignored.log", "secret\n");
  }

  GitSnapshotFiles files() {
    auto reader = SnapshotReader::open(m_repo.path());
    EXPECT_TRUE(reader) << reader.error().message;
    m_reader = std::make_unique<SnapshotReader>(std::move(*reader));
    auto snap = m_reader->take(text_opts());
    EXPECT_TRUE(snap) << snap.error().message;
    m_snapshot = std::move(*snap);
    return GitSnapshotFiles(*m_reader, m_snapshot);
  }

  TempGitRepo m_repo;
  std::unique_ptr<SnapshotReader> m_reader;
  Snapshot m_snapshot;
};

TEST_F(SnapshotFilesTest, ChangedFileShowsItsNewContent) {
  auto f = files();
  const auto info = f.stat("src/main.c");
  EXPECT_EQ(info.kind, Kind::regular);
  EXPECT_EQ(info.line_count, 4u);
  EXPECT_FALSE(info.binary);
  EXPECT_EQ(f.text("src/main.c"), "int main() {\n  return 1;\n}\n// end\n");
}

TEST_F(SnapshotFilesTest, UnchangedFileIsReadFromTheBase) {
  auto f = files();
  EXPECT_EQ(f.stat("no-eol.txt").kind, Kind::regular);
  EXPECT_EQ(f.stat("no-eol.txt").line_count, 2u);
  EXPECT_EQ(f.text("no-eol.txt"), "a\nb");
}

TEST_F(SnapshotFilesTest, DeletedAndRenamedAwayFilesAreMissing) {
  auto f = files();
  EXPECT_EQ(f.stat("src/gone.c").kind, Kind::missing);
  EXPECT_EQ(f.stat("old/name.txt").kind, Kind::missing);
  EXPECT_EQ(f.stat("moved-name.txt").kind, Kind::regular);
  EXPECT_EQ(f.stat("moved-name.txt").line_count, 3u);
  EXPECT_FALSE(f.text("src/gone.c"));
}

TEST_F(SnapshotFilesTest, UntrackedFilesAreInIgnoredOnesAreNot) {
  auto f = files();
  EXPECT_EQ(f.stat("added/untracked.txt").kind, Kind::regular);
  EXPECT_EQ(f.stat("added").kind, Kind::directory);
  EXPECT_EQ(f.text("added/untracked.txt"), "u1\nu2\n");
  EXPECT_EQ(f.stat("ignored.log").kind, Kind::missing);
  EXPECT_FALSE(f.text("ignored.log"));
}

TEST_F(SnapshotFilesTest, BinaryFilesHaveNoText) {
  auto f = files();
  EXPECT_EQ(f.stat("bin.dat").kind, Kind::regular);
  EXPECT_TRUE(f.stat("bin.dat").binary);
  EXPECT_FALSE(f.text("bin.dat"));
}

TEST_F(SnapshotFilesTest, DirectoriesAndSymlinks) {
  auto f = files();
  EXPECT_EQ(f.stat("src").kind, Kind::directory);
  EXPECT_EQ(f.stat("link-to-src").kind, Kind::symlink);
  EXPECT_FALSE(f.text("link-to-src"));
}

TEST_F(SnapshotFilesTest, PathsThroughASymlinkAreNeverRead) {
  auto f = files();
  const auto inside = f.stat("link-to-src/main.c");
  EXPECT_TRUE(inside.through_symlink);
  EXPECT_NE(inside.kind, Kind::regular);
  EXPECT_FALSE(f.text("link-to-src/main.c"));
  EXPECT_TRUE(f.stat("link-out/passwd").through_symlink);
  EXPECT_FALSE(f.text("link-out/passwd"));
}

TEST_F(SnapshotFilesTest, PathsLeavingTheRepositoryOrEnteringGitAreMissing) {
  auto f = files();
  for (const char* p : {"../outside.txt", "/etc/passwd", "src/../src/main.c", "./src/main.c",
                        ".git/config", ".git/HEAD", "src/.git/x", ".GIT/config", "src//main.c",
                        "", "src/"}) {
    EXPECT_EQ(f.stat(p).kind, Kind::missing) << p;
    EXPECT_FALSE(f.text(p)) << p;
  }
}

TEST_F(SnapshotFilesTest, SubmoduleEntryIsASubmodule) {
  TempGitRepo sub;
  sub.write("inner.txt", "inner\n");
  sub.commit_all();
  m_repo.git({"submodule", "add", "-q", sub.path().string(), "vendor/sub"});
  auto f = files();
  EXPECT_EQ(f.stat("vendor/sub").kind, Kind::submodule);
  EXPECT_EQ(f.stat("vendor/sub/inner.txt").kind, Kind::missing);
  EXPECT_FALSE(f.text("vendor/sub/inner.txt"));
}

TEST(SafeRepoPath, Rules) {
  EXPECT_TRUE(is_safe_repo_path("a/b.txt"));
  EXPECT_TRUE(is_safe_repo_path(".github/workflows/x.yml"));
  EXPECT_TRUE(is_safe_repo_path("a/.gitignore"));
  EXPECT_FALSE(is_safe_repo_path("a/.git"));
  EXPECT_FALSE(is_safe_repo_path(".Git/config"));
  EXPECT_FALSE(is_safe_repo_path("a/../b"));
  EXPECT_FALSE(is_safe_repo_path(std::string_view("a\0b", 3)));
}

}  // namespace
}  // namespace gavel::git
