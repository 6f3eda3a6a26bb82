// Undo points (git/undo.hpp) on real repositories, with the git CLI as the reference: a
// restore is byte-exact (contents, modes, symlinks, untracked and deleted files, directories),
// leaves ignored files, HEAD and the index alone, and saving never writes the index.
#include "git/undo.hpp"

#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <sys/stat.h>

namespace gavel::git {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Everything in the working tree but .git: path -> kind, permission bits and content.
std::map<std::string, std::string> describe(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const std::string rel = fs::relative(it->path(), root).string();
    if (rel == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    struct stat st {};
    ::lstat(it->path().c_str(), &st);
    std::ostringstream d;
    if (S_ISLNK(st.st_mode)) {
      d << "link " << fs::read_symlink(it->path()).string();
    } else if (S_ISDIR(st.st_mode)) {
      d << "dir";
    } else {
      d << "file " << std::oct << (st.st_mode & 0777) << " " << slurp(it->path());
    }
    out[rel] = d.str();
  }
  return out;
}

class Undo : public testing::Test {
 protected:
  void SetUp() override {
    r.write(".gitignore", "*.log\n");
    r.write("a.txt", "alpha\n");
    r.write("c.txt", "charlie\n");
    r.write("gone.txt", "bye\n");
    r.write("tool.sh", "#!/bin/sh\n");
    r.set_executable("tool.sh", true);
    r.symlink("a.txt", "link");
    r.write("dir/keep.txt", "keep\n");
    r.commit_all("base");
    // The developer's uncommitted state: every kind of change.
    r.write("a.txt", "alpha changed\n");
    r.write("c.txt", "charlie staged\n");
    r.git({"add", "c.txt"});
    r.write("c.txt", "charlie staged then edited\n");
    r.remove("gone.txt");
    r.set_executable("tool.sh", false);
    r.symlink("dir/keep.txt", "link");
    r.write("nested/deep/new.txt", "new\n");
    r.write("run.sh", "#!/bin/sh\necho\n");
    r.set_executable("run.sh", true);
    r.symlink("nested", "newlink");
    r.write("build.log", "ignored\n");
  }
  std::string index_bytes() const { return slurp(r.path() / ".git/index"); }
  std::string status() const { return r.git({"status", "--porcelain=v1", "-uall"}); }
  bool index_locked() const { return fs::exists(r.path() / ".git/index.lock"); }

  test::TempGitRepo r;
};

TEST_F(Undo, SaveRecordsTheWorkingTreeWithoutTouchingTheIndex) {
  const std::string index = index_bytes();
  const auto mtime = fs::last_write_time(r.path() / ".git/index");
  auto p = save_undo_point(r.path(), "before applying fix", 1700000000123);
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->number, 1);
  EXPECT_EQ(p->ref, "refs/gavel/undo/1");
  EXPECT_EQ(p->reason, "before applying fix");
  EXPECT_EQ(p->time_ms, 1700000000123);
  EXPECT_EQ(p->head, r.git({"rev-parse", "HEAD"}).substr(0, 40));
  EXPECT_EQ(r.git({"rev-parse", "refs/gavel/undo/1"}).substr(0, 40), p->commit);
  EXPECT_EQ(r.git({"rev-parse", "refs/gavel/undo/1^"}).substr(0, 40), p->head);
  // The tree is the disk: unstaged edits, untracked files with modes, no deleted or ignored file.
  EXPECT_EQ(r.git({"ls-tree", "-r", "--format=%(objectmode) %(path)", "refs/gavel/undo/1"}),
            "100644 .gitignore\n100644 a.txt\n100644 c.txt\n100644 dir/keep.txt\n120000 link\n"
            "100644 nested/deep/new.txt\n120000 newlink\n100755 run.sh\n100644 tool.sh\n");
  EXPECT_EQ(r.git({"show", "refs/gavel/undo/1:c.txt"}), "charlie staged then edited\n");
  EXPECT_EQ(r.git({"show", "refs/gavel/undo/1:link"}), "dir/keep.txt");
  EXPECT_NE(r.git({"log", "-1", "--format=%B", "refs/gavel/undo/1"}).find("before applying fix"),
            std::string::npos);
  EXPECT_EQ(index_bytes(), index);
  EXPECT_EQ(fs::last_write_time(r.path() / ".git/index"), mtime);
  EXPECT_FALSE(index_locked());
  EXPECT_EQ(r.git({"symbolic-ref", "HEAD"}), "refs/heads/main\n");
}

TEST_F(Undo, RestoresTheExactPriorTree) {
  const auto before = describe(r.path());
  const std::string st = status();
  const std::string index = index_bytes();
  ASSERT_TRUE(save_undo_point(r.path(), "save", 1000).has_value());
  // Everything changes afterwards, ignored file included.
  r.write("a.txt", "alpha rewritten\n");
  r.write("gone.txt", "back\n");
  r.remove("nested/deep/new.txt");
  r.write("extra/more/x.txt", "x\n");
  r.write("c.txt", "charlie again\n");
  r.set_executable("run.sh", false);
  r.set_executable("tool.sh", true);
  r.symlink("c.txt", "link");
  r.remove("newlink");
  r.write("newlink", "now a file\n");
  r.write("build.log", "ignored, changed\n");

  auto out = undo(r.path(), std::nullopt, 2000);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(out->restored.number, 1);
  EXPECT_EQ(out->saved.number, 2);
  auto expected = before;
  expected["build.log"] = "file 644 ignored, changed\n";  // ignored: never touched
  EXPECT_EQ(describe(r.path()), expected);
  EXPECT_FALSE(fs::exists(r.path() / "extra"));  // emptied directories go too
  EXPECT_EQ(status(), st);
  EXPECT_EQ(index_bytes(), index);
  EXPECT_FALSE(index_locked());
  EXPECT_EQ(out->changed,
            (std::vector<std::string>{"a.txt", "c.txt", "extra/more/x.txt", "gone.txt", "link",
                                      "nested/deep/new.txt", "newlink", "run.sh", "tool.sh"}));
}

TEST_F(Undo, AnUndoCanBeUndoneAndPointsAreNumbered) {
  ASSERT_TRUE(save_undo_point(r.path(), "first", 1000).has_value());
  const auto first = describe(r.path());
  r.write("a.txt", "second state\n");
  r.write("only-in-second.txt", "2\n");
  const auto second = describe(r.path());
  auto u1 = undo(r.path(), 1, 2000);
  ASSERT_TRUE(u1.has_value()) << u1.error().message;
  EXPECT_EQ(describe(r.path()), first);
  auto u2 = undo(r.path(), std::nullopt, 3000);  // the latest: the state before the undo
  ASSERT_TRUE(u2.has_value()) << u2.error().message;
  EXPECT_EQ(u2->restored.number, 2);
  EXPECT_EQ(describe(r.path()), second);

  auto points = list_undo_points(r.path());
  ASSERT_TRUE(points.has_value()) << points.error().message;
  ASSERT_EQ(points->size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ((*points)[i].number, i + 1);
  EXPECT_EQ((*points)[0].reason, "first");
  EXPECT_EQ((*points)[1].reason, "before undo to 1");
  EXPECT_EQ((*points)[2].reason, "before undo to 2");
  EXPECT_EQ((*points)[2].time_ms, 3000);
  EXPECT_EQ(r.git({"for-each-ref", "--format=%(refname)", "refs/gavel/undo/"}),
            "refs/gavel/undo/1\nrefs/gavel/undo/2\nrefs/gavel/undo/3\n");
}

TEST_F(Undo, RefusesWhenHeadMovedUnlessForced) {
  ASSERT_TRUE(save_undo_point(r.path(), "save", 1000).has_value());
  r.commit_all("developer committed");
  r.write("a.txt", "after commit\n");
  const auto now = describe(r.path());
  auto refused = undo(r.path(), std::nullopt, 2000);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, Errc::conflict);
  EXPECT_NE(refused.error().message.find("HEAD moved"), std::string::npos) << refused.error().message;
  EXPECT_EQ(describe(r.path()), now);
  EXPECT_EQ(list_undo_points(r.path())->size(), 1u);  // nothing saved either

  auto forced = undo(r.path(), 1, 3000, UndoHead::any);
  ASSERT_TRUE(forced.has_value()) << forced.error().message;
  EXPECT_EQ(r.read("a.txt"), "alpha changed\n");
}

TEST_F(Undo, RefusesDuringAMerge) {
  ASSERT_TRUE(save_undo_point(r.path(), "save", 1000).has_value());
  std::ofstream(r.path() / ".git/MERGE_HEAD") << r.git({"rev-parse", "HEAD"});
  auto refused = undo(r.path(), 1, 2000);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, Errc::conflict);
  EXPECT_NE(refused.error().message.find("merge"), std::string::npos) << refused.error().message;
}

TEST_F(Undo, RefusesWhenAnIgnoredFileIsInTheWay) {
  r.write("out", "a file\n");
  ASSERT_TRUE(save_undo_point(r.path(), "save", 1000).has_value());
  r.remove("out");
  r.write("out/cache.log", "ignored\n");
  const auto now = describe(r.path());
  auto refused = undo(r.path(), 1, 2000);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, Errc::conflict);
  EXPECT_EQ(describe(r.path()), now);
  EXPECT_EQ(list_undo_points(r.path())->size(), 1u);
}

TEST_F(Undo, NeverOverwritesAFileThatBecameIgnored) {
  r.write("notes.txt", "old notes\n");  // untracked, so saved in the point
  ASSERT_TRUE(save_undo_point(r.path(), "save", 1000).has_value());
  std::ofstream(r.path() / ".git/info/exclude", std::ios::app) << "notes.txt\n";
  r.write("notes.txt", "precious new work\n");  // now ignored: in no undo point
  auto refused = undo(r.path(), 1, 2000);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, Errc::conflict);
  EXPECT_NE(refused.error().message.find("notes.txt"), std::string::npos) << refused.error().message;
  EXPECT_EQ(r.read("notes.txt"), "precious new work\n");
  EXPECT_EQ(list_undo_points(r.path())->size(), 1u);
}

TEST_F(Undo, NumbersOrMissingPoints) {
  auto none = undo(r.path(), std::nullopt, 1000);
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, Errc::not_found);
  ASSERT_TRUE(save_undo_point(r.path(), "save", 1000).has_value());
  auto missing = undo(r.path(), 7, 1000);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Errc::not_found);
  EXPECT_EQ(save_undo_point(r.path(), "multi\nline", 1000)->reason, "multi line");
}

TEST(UndoUnborn, SavesWithoutParentAndRestores) {
  test::TempGitRepo r;
  r.write("first.txt", "1\n");
  r.write("sub/second.txt", "2\n");
  const auto before = describe(r.path());
  auto p = save_undo_point(r.path(), "unborn", 1000);
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->head, "");
  EXPECT_NE(r.run_git({"rev-parse", "--verify", "-q", "refs/gavel/undo/1^"}).status, 0);
  EXPECT_FALSE(fs::exists(r.path() / ".git/index"));
  r.remove("sub/second.txt");
  r.write("first.txt", "changed\n");
  auto out = undo(r.path(), std::nullopt, 2000);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(describe(r.path()), before);
  EXPECT_FALSE(fs::exists(r.path() / ".git/index"));
  EXPECT_NE(r.run_git({"rev-parse", "--verify", "-q", "HEAD"}).status, 0);  // still unborn
}

}  // namespace
}  // namespace gavel::git
