#include "review/location_check.hpp"

#include <gtest/gtest.h>

#include <map>

namespace gavel::review {
namespace {

// Snapshot files in memory; counts every call so tests can prove what was (not) looked at.
class FakeFiles : public SnapshotFiles {
 public:
  std::map<std::string, Info, std::less<>> files;
  mutable std::vector<std::string> stat_calls;
  mutable int text_calls = 0;

  Info stat(std::string_view path) const override {
    stat_calls.emplace_back(path);
    auto it = files.find(path);
    return it == files.end() ? Info{} : it->second;
  }
  std::optional<std::string> text(std::string_view) const override {
    ++text_calls;
    return std::nullopt;
  }
};

SnapshotFiles::Info regular(std::size_t lines) {
  return {SnapshotFiles::Kind::regular, false, lines, false};
}

// src/a.cpp (100 lines): one hunk at new lines 20-26 whose added lines are 23 and 24.
// src/del.cpp (50 lines): a pure deletion between new lines 10 and 11, no context (-U0).
Changeset make_change() {
  Changeset c;
  FileDiff a;
  a.old_path = a.new_path = "src/a.cpp";
  Hunk h;
  h.old_start = 20, h.old_count = 5, h.new_start = 20, h.new_count = 7;
  int n = 20;
  for (int i = 0; i < 3; ++i) h.lines.push_back({LineOrigin::context, n, n, "ctx", false}), ++n;
  h.lines.push_back({LineOrigin::added, 0, 23, "new1", false});
  h.lines.push_back({LineOrigin::added, 0, 24, "new2", false});
  for (int i = 0; i < 2; ++i) h.lines.push_back({LineOrigin::context, 23 + i, 25 + i, "ctx", false});
  a.hunks.push_back(h);
  c.files.push_back(a);

  FileDiff d;
  d.old_path = d.new_path = "src/del.cpp";
  Hunk dh;
  dh.old_start = 11, dh.old_count = 2, dh.new_start = 10, dh.new_count = 0;
  dh.lines.push_back({LineOrigin::removed, 11, 0, "gone1", false});
  dh.lines.push_back({LineOrigin::removed, 12, 0, "gone2", false});
  d.hunks.push_back(dh);
  c.files.push_back(d);

  FileDiff bin;
  bin.old_path = bin.new_path = "img/logo.png";
  bin.binary = true;
  c.files.push_back(bin);
  return c;
}

FakeFiles make_files() {
  FakeFiles f;
  f.files["src/a.cpp"] = regular(100);
  f.files["src/del.cpp"] = regular(50);
  f.files["src/other.cpp"] = regular(30);
  f.files["src/empty.txt"] = regular(0);
  f.files["img/logo.png"] = {SnapshotFiles::Kind::regular, false, 0, true};
  f.files["link.cpp"] = {SnapshotFiles::Kind::symlink, false, 0, false};
  f.files["linkdir/x.cpp"] = {SnapshotFiles::Kind::regular, true, 10, false};
  f.files["src"] = {SnapshotFiles::Kind::directory, false, 0, false};
  f.files["vendor/sub"] = {SnapshotFiles::Kind::submodule, false, 0, false};
  return f;
}

RaisedFinding at(std::string path, int start, int end) {
  RaisedFinding f;
  f.title = "t";
  f.location.path = std::move(path);
  f.location.lines = {start, end};
  return f;
}

struct Case {
  const char* path;
  int start;
  int end;
  Placement placement;
  const char* reason;  // substring; "" for in_diff
  bool stat_expected;
};

TEST(LocationCheck, EveryRule) {
  const Case cases[] = {
      // rule 1: syntax, decided before any file is looked at
      {"", 1, 1, Placement::rejected, "empty path", false},
      {"/etc/passwd", 1, 1, Placement::rejected, "absolute", false},
      {"../outside.c", 1, 1, Placement::rejected, "leaves the repository", false},
      {"src/../../x.c", 1, 1, Placement::rejected, "leaves the repository", false},
      {"src/../a.cpp", 23, 23, Placement::rejected, "leaves the repository", false},
      {".git/config", 1, 1, Placement::rejected, "enters .git", false},
      {"sub/.GIT/hooks/pre-commit", 1, 1, Placement::rejected, "enters .git", false},
      {".Git/HEAD", 1, 1, Placement::rejected, "enters .git", false},
      {".git./config", 1, 1, Placement::rejected, "enters .git", false},
      {"GIT~1/config", 1, 1, Placement::rejected, "enters .git", false},
      {"src/a\ncpp", 1, 1, Placement::rejected, "control character", false},
      {".", 1, 1, Placement::rejected, "repository root", false},
      // rule 2: the snapshot
      {"link.cpp", 1, 1, Placement::rejected, "symlink", true},
      {"linkdir/x.cpp", 1, 1, Placement::rejected, "passes through a symlink", true},
      {"src/missing.cpp", 1, 1, Placement::rejected, "not in the snapshot", true},
      {"src", 1, 1, Placement::rejected, "directory", true},
      {"vendor/sub", 1, 1, Placement::rejected, "submodule", true},
      // rule 3: the range
      {"src/a.cpp", 99, 101, Placement::rejected, "past the end of the file (100 lines)", true},
      {"src/a.cpp", 101, 101, Placement::rejected, "past the end", true},
      {"src/empty.txt", 1, 2, Placement::rejected, "past the end", true},
      {"img/logo.png", 3, 4, Placement::rejected, "binary", true},
      // rule 4: adjacent
      {"src/a.cpp", 1, 5, Placement::adjacent, "more than 3 lines", true},
      {"src/a.cpp", 30, 40, Placement::adjacent, "more than 3 lines", true},
      {"src/a.cpp", 100, 100, Placement::adjacent, "more than 3 lines", true},
      {"src/other.cpp", 5, 5, Placement::adjacent, "not part of the change", true},
      {"src/del.cpp", 15, 15, Placement::adjacent, "more than 3 lines", true},
      {"src/del.cpp", 1, 5, Placement::adjacent, "more than 3 lines", true},
      // rule 5: in the diff
      {"src/a.cpp", 23, 24, Placement::in_diff, "", true},
      {"src/a.cpp", 20, 20, Placement::in_diff, "", true},   // context line of the hunk
      {"src/a.cpp", 26, 26, Placement::in_diff, "", true},   // last context line
      {"src/a.cpp", 27, 27, Placement::in_diff, "", true},   // 3 lines after line 24
      {"src/a.cpp", 10, 20, Placement::in_diff, "", true},   // range reaching the hunk's first line
      {"src/a.cpp", 10, 19, Placement::adjacent, "more than 3", true},  // 4 lines before line 23
      {"src/a.cpp", 1, 100, Placement::in_diff, "", true},   // spans the hunk
      {"./src//a.cpp", 23, 23, Placement::in_diff, "", true},
      {"src/del.cpp", 13, 13, Placement::in_diff, "", true},  // 3 lines from the deletion point
      {"src/del.cpp", 7, 8, Placement::in_diff, "", true},
      {"img/logo.png", 1, 1, Placement::in_diff, "", true},   // whole binary file
      {"src/empty.txt", 1, 1, Placement::adjacent, "not part of the change", true},
  };
  Changeset change = make_change();
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.path) + ":" + std::to_string(c.start) + "-" + std::to_string(c.end));
    FakeFiles files = make_files();
    LocationVerdict v = check_location(at(c.path, c.start, c.end), change, files);
    EXPECT_EQ(v.placement, c.placement) << v.reason;
    EXPECT_NE(v.reason.find(c.reason), std::string::npos) << v.reason;
    EXPECT_EQ(!files.stat_calls.empty(), c.stat_expected);
    EXPECT_EQ(files.text_calls, 0);  // the target is never read
  }
}

TEST(LocationCheck, NormalizesPaths) {
  EXPECT_EQ(*normalize_finding_path("./a//b/./c.txt"), "a/b/c.txt");
  EXPECT_EQ(*normalize_finding_path("a/b/"), "a/b");
  EXPECT_EQ(*normalize_finding_path("a/.gitignore"), "a/.gitignore");  // not .git
  EXPECT_EQ(*normalize_finding_path("a/.github/ci.yml"), "a/.github/ci.yml");
  EXPECT_EQ(*normalize_finding_path("..foo/x"), "..foo/x");
  EXPECT_FALSE(normalize_finding_path("a/.git "));
  EXPECT_EQ(normalize_finding_path("/abs").error().code, Errc::invalid_argument);
}

TEST(LocationCheck, InvalidRangeRejectedWithoutStat) {
  FakeFiles files = make_files();
  auto v = check_location(at("src/a.cpp", 5, 4), make_change(), files);
  EXPECT_EQ(v.placement, Placement::rejected);
  EXPECT_TRUE(files.stat_calls.empty());
}

TEST(LocationCheck, SortsARoundAndKeepsRejectedAsRaised) {
  FakeFiles files = make_files();
  std::vector<RaisedFinding> raised = {at("./src/a.cpp", 23, 23), at("src/a.cpp", 60, 60),
                                       at("../x", 1, 1), at(".git/HEAD", 1, 1)};
  CheckedFindings out = check_locations(raised, make_change(), files);
  ASSERT_EQ(out.in_diff.size(), 1u);
  EXPECT_EQ(out.in_diff[0].location.path, "src/a.cpp");  // normalised
  ASSERT_EQ(out.adjacent.size(), 1u);
  ASSERT_EQ(out.rejected.size(), 2u);
  EXPECT_EQ(out.rejected[0].raised.location.path, "../x");
  EXPECT_NE(out.rejected[1].reason.find(".git"), std::string::npos);
  EXPECT_EQ(files.stat_calls.size(), 2u);  // only the two syntactically valid paths
}

TEST(LocationCheck, InDiffUsesHunkSpanAndDistance) {
  Changeset c = make_change();
  const FileDiff& a = c.files[0];
  EXPECT_TRUE(in_diff(a, 20, 20));
  EXPECT_TRUE(in_diff(a, 27, 27));
  EXPECT_FALSE(in_diff(a, 28, 28));
  EXPECT_FALSE(in_diff(a, 19, 19));  // outside the span, 4 lines before line 23
}

}  // namespace
}  // namespace gavel::review
