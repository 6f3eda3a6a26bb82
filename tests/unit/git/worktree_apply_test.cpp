// Applying an implementer's patch to the developer's working tree (git/worktree_apply.hpp), on
// real repositories, with `git apply` on a copy of the repository as the reference. Every
// refusal must leave the working tree, the index and the refs exactly as they were.
#include "git/worktree_apply.hpp"

#include "git/scratch.hpp"
#include "git/snapshot.hpp"

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

review::Changeset snapshot_of(const fs::path& dir) {
  auto reader = SnapshotReader::open(dir, ReaderMode::one_shot);
  EXPECT_TRUE(reader.has_value());
  SnapshotOptions o;
  o.contents = SnapshotOptions::Contents::new_text;
  auto snap = reader->take(o);
  EXPECT_TRUE(snap.has_value()) << (snap ? "" : snap.error().message);
  return snap->changes;
}

class Apply : public testing::Test {
 protected:
  void SetUp() override {
    r.write("edit.txt", "one\ntwo\nthree\n");
    r.write("gone.txt", "bye\n");
    r.write("script.sh", "#!/bin/sh\n");
    r.write("keep.txt", "keep\n");
    r.write("old.txt", "moving\n");
    r.commit_all("base");
    r.write("edit.txt", "one\nTWO\nthree\n");
    r.write("notes.txt", "untracked\n");
    reviewed = snapshot_of(r.path());
  }
  std::string index_bytes() const { return slurp(r.path() / ".git/index"); }
  std::string undo_refs() const { return r.git({"for-each-ref", "--format=%(refname)", "refs/gavel/"}); }

  // The working tree `git apply` makes of `patch`, on a copy of the repository.
  std::map<std::string, std::string> reference(const std::string& patch) const {
    const fs::path copy = r.root() / "reference";
    fs::remove_all(copy);
    fs::copy(r.path(), copy, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    std::ofstream(r.root() / "fix.patch", std::ios::binary) << patch;
    r.git({"apply", (r.root() / "fix.patch").string()}, copy);
    return describe(copy);
  }

  // Expects `patch` to be refused with `code`, leaving everything as it was.
  void expect_refused(const std::string& patch, Errc code, const std::string& why) {
    const auto before = describe(r.path());
    const std::string index = index_bytes();
    auto out = apply_to_worktree(r.path(), patch, reviewed.fingerprint, "fix", 1000);
    ASSERT_FALSE(out.has_value()) << patch;
    EXPECT_EQ(out.error().code, code) << out.error().message;
    EXPECT_NE(out.error().message.find(why), std::string::npos) << out.error().message;
    EXPECT_EQ(describe(r.path()), before);
    EXPECT_EQ(index_bytes(), index);
    EXPECT_EQ(undo_refs(), "");
    EXPECT_FALSE(fs::exists(r.path() / ".git/index.lock"));
  }

  test::TempGitRepo r;
  review::Changeset reviewed;
};

TEST_F(Apply, AppliesAnImplementersPatchLikeGitApply) {
  fs::create_directories(r.root() / "scratch");
  auto scratch = ScratchTree::create(r.path(), reviewed, r.root() / "scratch");
  ASSERT_TRUE(scratch.has_value()) << scratch.error().message;
  const fs::path w = scratch->workdir();
  std::ofstream(w / "edit.txt") << "one\nTWO\nthree\nfour\n";
  fs::remove(w / "gone.txt");
  fs::permissions(w / "script.sh", fs::perms(0755));
  fs::create_directories(w / "dir/sub");
  std::ofstream(w / "dir/sub/new.txt") << "brand new\n";
  auto patch = scratch->changes_since_created();
  ASSERT_TRUE(patch.has_value()) << patch.error().message;

  const auto before = describe(r.path());
  const std::string index = index_bytes();
  const auto expected = reference(*patch);
  auto out = apply_to_worktree(r.path(), *patch, reviewed.fingerprint, "apply round 2", 1000);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(describe(r.path()), expected);
  EXPECT_EQ(out->changed, (std::vector<std::string>{"dir/sub/new.txt", "edit.txt", "gone.txt", "script.sh"}));
  EXPECT_EQ(r.read("notes.txt"), "untracked\n");  // untouched
  EXPECT_EQ(index_bytes(), index);
  EXPECT_FALSE(fs::exists(r.path() / ".git/index.lock"));
  EXPECT_EQ(out->undo_point.number, 1);
  EXPECT_EQ(out->undo_point.reason, "apply round 2");
  EXPECT_EQ(undo_refs(), "refs/gavel/undo/1\n");

  auto back = undo(r.path(), std::nullopt, 2000);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(describe(r.path()), before);
  EXPECT_EQ(index_bytes(), index);
}

TEST_F(Apply, RenamesAndModeChanges) {
  const std::string patch =
      "diff --git a/old.txt b/moved/new.txt\nsimilarity index 100%\nrename from old.txt\n"
      "rename to moved/new.txt\n"
      "diff --git a/script.sh b/script.sh\nold mode 100644\nnew mode 100755\n";
  const auto expected = reference(patch);
  auto out = apply_to_worktree(r.path(), patch, reviewed.fingerprint, "fix", 1000);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(describe(r.path()), expected);
  EXPECT_EQ(out->changed, (std::vector<std::string>{"moved/new.txt", "old.txt", "script.sh"}));
}

TEST_F(Apply, ReadsAndWritesThroughFiltersAndDeletesFilesWithoutFinalNewline) {
  r.write(".gitattributes", "*.crlf text eol=crlf\n");
  r.write("w.crlf", "a\r\nb\r\n");
  r.write("noeol.txt", "last");
  r.commit_all("more");
  reviewed = snapshot_of(r.path());
  const std::string patch =
      "diff --git a/w.crlf b/w.crlf\n--- a/w.crlf\n+++ b/w.crlf\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
      "diff --git a/noeol.txt b/noeol.txt\ndeleted file mode 100644\n--- a/noeol.txt\n+++ /dev/null\n"
      "@@ -1 +0,0 @@\n-last\n\\ No newline at end of file\n";
  const auto expected = reference(patch);
  auto out = apply_to_worktree(r.path(), patch, reviewed.fingerprint, "fix", 1000);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(describe(r.path()), expected);
  EXPECT_EQ(r.read("w.crlf"), "a\r\nc\r\n");
  EXPECT_FALSE(fs::exists(r.path() / "noeol.txt"));
}

TEST_F(Apply, RefusedWhenTheTreeChangedSinceItWasReviewed) {
  r.write("keep.txt", "the developer edited this meanwhile\n");
  const std::string patch =
      "diff --git a/edit.txt b/edit.txt\n--- a/edit.txt\n+++ b/edit.txt\n@@ -1,3 +1,3 @@\n"
      " one\n-TWO\n+two\n three\n";
  expect_refused(patch, Errc::conflict, "changed since it was reviewed");
}

TEST_F(Apply, RefusedWhenThePatchDoesNotApplyCleanly) {
  const std::string patch =
      "diff --git a/keep.txt b/keep.txt\n--- a/keep.txt\n+++ b/keep.txt\n@@ -1 +1 @@\n-keep\n+kept\n"
      "diff --git a/edit.txt b/edit.txt\n--- a/edit.txt\n+++ b/edit.txt\n@@ -1,3 +1,3 @@\n"
      " one\n-two\n+2\n three\n";  // the developer's tree says TWO: the second file fails
  expect_refused(patch, Errc::conflict, "does not apply");
  expect_refused("diff --git a/notes.txt b/notes.txt\nnew file mode 100644\n--- /dev/null\n"
                 "+++ b/notes.txt\n@@ -0,0 +1 @@\n+already there\n",
                 Errc::conflict, "does not apply");
  expect_refused("diff --git a/old.txt b/keep.txt\nsimilarity index 100%\nrename from old.txt\n"
                 "rename to keep.txt\n",
                 Errc::conflict, "does not apply");
  expect_refused("diff --git a/gone.txt b/gone.txt\ndeleted file mode 100644\n--- a/gone.txt\n"
                 "+++ /dev/null\n@@ -1 +0,0 @@\n-not what it holds\n",
                 Errc::conflict, "does not apply");
  expect_refused("diff --git a/missing.txt b/missing.txt\n--- a/missing.txt\n+++ b/missing.txt\n"
                 "@@ -1 +1 @@\n-a\n+b\n",
                 Errc::conflict, "does not apply");
}

TEST_F(Apply, RefusesPathsOutsideTheWorkingTree) {
  auto new_file = [](const std::string& path) {
    return "diff --git a/" + path + " b/" + path + "\nnew file mode 100644\n--- /dev/null\n+++ b/" +
           path + "\n@@ -0,0 +1 @@\n+evil\n";
  };
  expect_refused(new_file("../outside.txt"), Errc::invalid_argument, "outside");
  EXPECT_FALSE(fs::exists(r.root() / "outside.txt"));
  expect_refused(new_file(".git/hooks/pre-commit"), Errc::invalid_argument, ".git");
  expect_refused(new_file("sub/.GIT/config"), Errc::invalid_argument, ".git");
  EXPECT_FALSE(fs::exists(r.path() / ".git/hooks/pre-commit"));
}

TEST_F(Apply, RefusesPathsThroughASymlinkedDirectory) {
  const fs::path outside = r.root() / "outside";
  fs::create_directories(outside);
  std::ofstream(outside / "target.txt") << "outside\n";
  r.symlink(outside.string(), "linkdir");
  reviewed = snapshot_of(r.path());
  expect_refused("diff --git a/linkdir/evil.txt b/linkdir/evil.txt\nnew file mode 100644\n"
                 "--- /dev/null\n+++ b/linkdir/evil.txt\n@@ -0,0 +1 @@\n+evil\n",
                 Errc::invalid_argument, "symlink");
  expect_refused("diff --git a/linkdir/target.txt b/linkdir/target.txt\n--- a/linkdir/target.txt\n"
                 "+++ b/linkdir/target.txt\n@@ -1 +1 @@\n-outside\n+changed\n",
                 Errc::invalid_argument, "symlink");
  EXPECT_EQ(slurp(outside / "target.txt"), "outside\n");
  EXPECT_FALSE(fs::exists(outside / "evil.txt"));
}

TEST_F(Apply, RefusesSymlinksPointingOutsideTheTreeOrIntoGit) {
  auto link = [](const std::string& path, const std::string& target) {
    return "diff --git a/" + path + " b/" + path + "\nnew file mode 120000\n--- /dev/null\n+++ b/" +
           path + "\n@@ -0,0 +1 @@\n+" + target + "\n\\ No newline at end of file\n";
  };
  const std::string hooks = (r.path() / ".git" / "hooks").string();
  expect_refused(link("hooks", hooks), Errc::invalid_argument, "symlink pointing outside");
  expect_refused(link("githooks", ".git/hooks"), Errc::invalid_argument, "into .git");
  expect_refused(link("sub/gitdir", "../.GIT"), Errc::invalid_argument, "into .git");
  expect_refused(link("up", "../outside"), Errc::invalid_argument, "outside the working tree");
  expect_refused(link("a/b/up", "../../x/../../y"), Errc::invalid_argument, "outside the working tree");
  expect_refused(link("sub/root", ".."), Errc::invalid_argument, "at the root");
  // Two links of one patch that would combine to climb out: `esc` runs through `up`.
  expect_refused(link("sub/sub2/up", "..") + link("sub/sub2/esc", "up/../.."),
                 Errc::invalid_argument, "after a name");
  // With a legitimate change in the same patch: all or nothing.
  expect_refused("diff --git a/keep.txt b/keep.txt\n--- a/keep.txt\n+++ b/keep.txt\n@@ -1 +1 @@\n"
                 "-keep\n+kept\n" + link("githooks", ".git/hooks"), Errc::invalid_argument, ".git");
  EXPECT_EQ(r.read("keep.txt"), "keep\n");
  // A link that stays inside the tree is written like any file.
  auto out = apply_to_worktree(r.path(), link("docs/edit", "../edit.txt"), reviewed.fingerprint, "fix", 1000);
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(fs::read_symlink(r.path() / "docs/edit"), fs::path("../edit.txt"));
}

TEST_F(Apply, RefusesTextThatIsNotAPatch) {
  auto out = apply_to_worktree(r.path(), "", reviewed.fingerprint, "fix", 1000);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, Errc::invalid_argument);
  EXPECT_EQ(undo_refs(), "");
}

}  // namespace
}  // namespace gavel::git
