// Snapshots: both diffs, fingerprints, the stat cache, path limits, submodules, and the proof
// that reading never writes.
#include "git/snapshot.hpp"

#include "tests/support/temp_git_repo.hpp"
#include "tests/unit/git/submodule_repo.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <sys/stat.h>

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
namespace fs = std::filesystem;

SnapshotReader open_reader(const TempGitRepo& repo) {
  auto reader = SnapshotReader::open(repo.path());
  EXPECT_TRUE(reader) << reader.error().message;
  return std::move(*reader);
}

Snapshot take(SnapshotReader& reader, SnapshotOptions options = {}) {
  auto snap = reader.take(options);
  EXPECT_TRUE(snap) << snap.error().message;
  return snap ? std::move(*snap) : Snapshot{};
}

std::vector<std::string> paths_of(const Snapshot& s) {
  std::vector<std::string> out;
  for (const auto& f : s.changes.files) out.push_back(f.path());
  return out;
}

// Stamps stop being racy once they are older than the reader's margin (100 ms).
void let_stamps_settle() { std::this_thread::sleep_for(std::chrono::milliseconds(250)); }

TEST(Snapshot, UnbornBranchDiffsAgainstTheEmptyTree) {
  TempGitRepo repo;
  repo.write("staged.txt", "s\n");
  repo.git({"add", "staged.txt"});
  repo.write("untracked.txt", "u\n");
  auto reader = open_reader(repo);
  const Snapshot wt = take(reader);
  EXPECT_TRUE(wt.changes.base_commit.empty());
  EXPECT_TRUE(wt.state.unborn);
  EXPECT_EQ(paths_of(wt), (std::vector<std::string>{"staged.txt", "untracked.txt"}));
  EXPECT_FALSE(wt.changes.files[0].untracked);
  EXPECT_TRUE(wt.changes.files[1].untracked);
  const Snapshot staged = take(reader, staged_opts());
  EXPECT_EQ(paths_of(staged), (std::vector<std::string>{"staged.txt"}));
}

TEST(Snapshot, WorktreeAndStagedDiffsDiffer) {
  TempGitRepo repo;
  repo.write("f.txt", "1\n2\n3\n");
  const std::string head = repo.commit_all();
  repo.write("f.txt", "1\nstaged\n3\n");
  repo.git({"add", "f.txt"});
  repo.write("f.txt", "1\nstaged\n3\nunstaged\n");
  repo.write("ignored.log", "x\n");
  repo.write(".gitignore", "*.log\n");
  auto reader = open_reader(repo);
  const Snapshot wt = take(reader);
  const Snapshot staged = take(reader, staged_opts());
  EXPECT_EQ(wt.changes.base_commit, head);
  EXPECT_EQ(paths_of(wt), (std::vector<std::string>{".gitignore", "f.txt"}));  // not ignored.log
  EXPECT_EQ(paths_of(staged), (std::vector<std::string>{"f.txt"}));
  EXPECT_NE(wt.patch().find("+unstaged"), std::string::npos);
  EXPECT_EQ(staged.patch().find("+unstaged"), std::string::npos);
  EXPECT_NE(staged.patch().find("+staged"), std::string::npos);
  EXPECT_NE(wt.changes.fingerprint, staged.changes.fingerprint);

  const auto& hunk = wt.changes.files[1].hunks.at(0);
  EXPECT_EQ(hunk.header.rfind("@@ -1,3 +1,4 @@", 0), 0u);
  ASSERT_EQ(hunk.lines.size(), 5u);  // " 1", "-2", "+staged", " 3", "+unstaged"
  EXPECT_EQ(hunk.lines[1].origin, review::LineOrigin::removed);
  EXPECT_EQ(hunk.lines[1].old_line, 2);
  EXPECT_EQ(hunk.lines[1].new_line, 0);
  EXPECT_EQ(hunk.lines[2].origin, review::LineOrigin::added);
  EXPECT_EQ(hunk.lines[2].new_line, 2);
  EXPECT_EQ(hunk.lines[2].text, "staged");
}

TEST(Snapshot, NewTextWhenAskedFor) {
  TempGitRepo repo;
  repo.write("f.txt", "a\n");
  repo.write("bin.dat", std::string("\0\1\2", 3));
  repo.commit_all();
  repo.write("f.txt", "a\r\nb\n");
  repo.write("bin.dat", std::string("\0\1\3", 3));
  repo.write("new.txt", "n");
  auto reader = open_reader(repo);
  const Snapshot plain = take(reader);
  for (const auto& f : plain.changes.files) EXPECT_FALSE(f.new_text) << f.path();
  const Snapshot full = take(reader, text_opts());
  ASSERT_EQ(paths_of(full), (std::vector<std::string>{"bin.dat", "f.txt", "new.txt"}));
  EXPECT_TRUE(full.changes.files[0].binary);
  EXPECT_FALSE(full.changes.files[0].new_text);
  EXPECT_EQ(full.changes.files[1].new_text, "a\r\nb\n");
  EXPECT_EQ(full.changes.files[1].hunks.at(0).lines.at(1).text, "a\r");  // CR kept
  EXPECT_EQ(full.changes.files[2].new_text, "n");
  EXPECT_TRUE(full.changes.files[2].hunks.at(0).lines.at(0).no_newline_at_eof);
  EXPECT_EQ(full.changes.fingerprint, plain.changes.fingerprint);
}

TEST(Fingerprint, EqualForEqualContentInDifferentRepositories) {
  // TempGitRepo fixes author and dates, so equal trees give equal commits.
  TempGitRepo a, b;
  for (const TempGitRepo* r : {&a, &b}) {
    r->write("f.txt", "one\n");
    r->commit_all();
    r->write("f.txt", "two\n");
    r->write("u.txt", "untracked\n");
  }
  auto ra = open_reader(a);
  auto rb = open_reader(b);
  EXPECT_EQ(take(ra).changes.fingerprint, take(rb).changes.fingerprint);
}

TEST(Fingerprint, ChangesWithAnyByteOfTheDiff) {
  TempGitRepo repo;
  repo.write("f.txt", "one\n");
  repo.write("bin.dat", std::string("\0abc", 4));
  repo.commit_all();
  auto reader = open_reader(repo);
  const std::string clean = take(reader).changes.fingerprint;
  repo.write("bin.dat", std::string("\0abd", 4));  // one byte of a binary file
  const std::string binary = take(reader).changes.fingerprint;
  repo.write("bin.dat", std::string("\0abc", 4));
  EXPECT_EQ(take(reader).changes.fingerprint, clean);  // back to the same content
  repo.write("f.txt", "one \n");  // one space
  const std::string space = take(reader).changes.fingerprint;
  repo.write("f.txt", "one\n");
  repo.set_executable("f.txt", true);  // mode only
  const std::string mode = take(reader).changes.fingerprint;
  repo.set_executable("f.txt", false);
  repo.write("new.txt", "");  // an empty untracked file
  const std::string empty_file = take(reader).changes.fingerprint;
  const std::set<std::string> all{clean, binary, space, mode, empty_file};
  EXPECT_EQ(all.size(), 5u);
}

TEST(Fingerprint, ChangesWithTheBase) {
  TempGitRepo repo;
  repo.write("f.txt", "one\n");
  repo.commit_all("first");
  repo.write("g.txt", "x\n");
  auto reader = open_reader(repo);
  const std::string before = take(reader).changes.fingerprint;
  repo.git({"commit", "-q", "--allow-empty", "-m", "empty commit: same tree, new base"});
  EXPECT_NE(take(reader).changes.fingerprint, before);
}

TEST(Fingerprint, TouchNeverChangesItAndCostsNothingAfterTheFirstLook) {
  TempGitRepo repo;
  for (int i = 0; i < 50; ++i) repo.write("d/f" + std::to_string(i) + ".txt", "content\n");
  repo.commit_all();
  repo.write("d/f0.txt", "changed\n");
  let_stamps_settle();
  auto reader = open_reader(repo);
  const Snapshot before = take(reader);
  for (int i = 0; i < 50; ++i) repo.touch("d/f" + std::to_string(i) + ".txt");
  let_stamps_settle();

  const std::size_t hashed_before = reader.stats().files_hashed;
  const Snapshot first = take(reader);
  const std::size_t first_look = reader.stats().files_hashed - hashed_before;
  EXPECT_EQ(first.changes.fingerprint, before.changes.fingerprint);
  EXPECT_GE(first_look, 49u);  // every touched file is looked at once...

  const std::size_t hashed_mid = reader.stats().files_hashed;
  const Snapshot second = take(reader);
  EXPECT_EQ(second.changes.fingerprint, before.changes.fingerprint);
  EXPECT_LE(reader.stats().files_hashed - hashed_mid, 1u);  // ...and never again (the changed
                                                            // file may be re-checked)
}

// libgit2's pathspec parsing trims trailing whitespace; such a name is matched literally.
TEST(PathLimited, NamesWithTrailingOrLeadingSpaceAreMatchedExactly) {
  TempGitRepo repo;
  repo.write("c ", "c\n");
  repo.write(" d", "d\n");
  repo.write("c", "plain\n");
  repo.commit_all();
  repo.write("c ", "c2\n");
  repo.write(" d", "d2\n");
  auto reader = open_reader(repo);
  EXPECT_EQ(paths_of(take(reader, paths_opts({"c "}))), (std::vector<std::string>{"c "}));
  EXPECT_EQ(paths_of(take(reader, paths_opts({" d"}))), (std::vector<std::string>{" d"}));
  EXPECT_TRUE(take(reader, paths_opts({"c"})).changes.files.empty());
}

TEST(PathLimited, OnlyTheGivenPaths) {
  TempGitRepo repo;
  repo.write("a/x.txt", "x\n");
  repo.write("b/y.txt", "y\n");
  repo.write("c.txt", "c\n");
  repo.commit_all();
  repo.write("a/x.txt", "x2\n");
  repo.write("b/y.txt", "y2\n");
  repo.write("c.txt", "c2\n");
  repo.write("a/untracked.txt", "u\n");        // untracked inside a tracked dir (libgit2 #4315)
  repo.write("newdir/deep/n.txt", "n\n");       // a whole new directory
  auto reader = open_reader(repo);
  EXPECT_EQ(paths_of(take(reader, paths_opts({"a/x.txt", "c.txt"}))),
            (std::vector<std::string>{"a/x.txt", "c.txt"}));
  EXPECT_EQ(paths_of(take(reader, paths_opts({"a/untracked.txt"}))),
            (std::vector<std::string>{"a/untracked.txt"}));
  EXPECT_EQ(paths_of(take(reader, paths_opts({"a"}))),
            (std::vector<std::string>{"a/untracked.txt", "a/x.txt"}));
  EXPECT_EQ(paths_of(take(reader, paths_opts({"newdir"}))),
            (std::vector<std::string>{"newdir/deep/n.txt"}));
  EXPECT_TRUE(take(reader, paths_opts({"no/such/path"})).changes.files.empty());
  const Snapshot limited = take(reader, paths_opts({"b/y.txt"}));
  const Snapshot full = take(reader);
  const auto& f = full.changes.files;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f[i].path() == "b/y.txt") {
      EXPECT_EQ(full.file_patches[i], limited.patch());
    }
  }
}

struct FileState {
  std::string bytes;
  std::int64_t mtime_ns = 0;
};

FileState file_state(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  struct stat st {};
  ::stat(p.c_str(), &st);
  return {ss.str(), st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec};
}

TEST(NoWrite, SnapshotsLeaveTheIndexAndGitDirUntouched) {
  TempGitRepo repo;
  for (int i = 0; i < 20; ++i) repo.write("f" + std::to_string(i) + ".txt", "x\n");
  repo.commit_all();
  // Give git a reason to refresh: touched files, a staged and an unstaged change, racy stamps.
  for (int i = 0; i < 20; ++i) repo.touch("f" + std::to_string(i) + ".txt");
  repo.write("f1.txt", "staged\n");
  repo.git({"add", "f1.txt"});
  repo.write("f2.txt", "unstaged\n");
  repo.write("new.txt", "untracked\n");
  const fs::path index = repo.path() / ".git" / "index";
  const FileState before = file_state(index);
  const auto entries_before = std::distance(fs::recursive_directory_iterator(repo.path() / ".git"),
                                            fs::recursive_directory_iterator());

  auto reader = open_reader(repo);
  for (int round = 0; round < 3; ++round) {
    take(reader);
    take(reader, staged_opts());
    take(reader, text_opts({"f2.txt", "new.txt"}));
    EXPECT_FALSE(fs::exists(repo.path() / ".git" / "index.lock"));
  }
  const FileState after = file_state(index);
  EXPECT_EQ(after.bytes, before.bytes);
  EXPECT_EQ(after.mtime_ns, before.mtime_ns);
  const auto entries_after = std::distance(fs::recursive_directory_iterator(repo.path() / ".git"),
                                           fs::recursive_directory_iterator());
  EXPECT_EQ(entries_after, entries_before);  // no object, lock or temp file written
}

TEST(Submodule, ReportedNotDescended) {
  TempGitRepo sub;
  TempGitRepo repo;
  test::make_superproject(sub, repo);
  std::ofstream(repo.path() / "sub" / "inner.txt", std::ios::app) << "dirty\n";
  std::ofstream(repo.path() / "sub" / "new-inside.txt") << "x\n";
  sub.write("inner.txt", "moved on\n");
  sub.commit_all("moved");
  repo.git({"-C", "sub", "fetch", "-q"});
  repo.git({"-C", "sub", "checkout", "-q", "-f", "origin/main"});

  auto reader = open_reader(repo);
  const Snapshot s = take(reader);
  ASSERT_EQ(s.changes.files.size(), 1u) << s.patch();
  const auto& f = s.changes.files[0];
  EXPECT_EQ(f.path(), "sub");
  EXPECT_TRUE(f.submodule);
  EXPECT_EQ(f.new_mode, review::k_mode_gitlink);
  EXPECT_EQ(s.patch().find("inner.txt"), std::string::npos);  // never descended
  EXPECT_NE(s.patch().find("Subproject commit"), std::string::npos);
}

TEST(Abbreviation, FollowsCoreAbbrev) {
  TempGitRepo repo;
  repo.write("f.txt", "one\n");
  repo.commit_all();
  repo.write("f.txt", "two\n");
  repo.git({"config", "core.abbrev", "12"});
  auto reader = open_reader(repo);
  const std::string patch = take(reader).patch();
  const std::string expected = repo.git({"diff", "HEAD"});
  EXPECT_EQ(patch, expected);
  EXPECT_NE(patch.find("index 5626abf0f72e..f719efd430d5"), std::string::npos) << patch;
}

}  // namespace
}  // namespace gavel::git
