#include "review/remap.hpp"

#include "review/finding_id.hpp"

#include <gtest/gtest.h>

namespace gavel::review {
namespace {

struct RemapCase {
  const char* name;
  const char* before;
  const char* after;
  LineRange range;
  LineRange want;
  RemapStatus status;
};

const RemapCase k_cases[] = {
    {"Unchanged", "a\nb\nc\n", "a\nb\nc\n", {2, 2}, {2, 2}, RemapStatus::unchanged},
    {"InsertedAbove", "a\nb\nc\n", "x\ny\na\nb\nc\n", {2, 3}, {4, 5}, RemapStatus::moved},
    {"DeletedAbove", "a\nb\nc\nd\n", "c\nd\n", {3, 4}, {1, 2}, RemapStatus::moved},
    {"EditedBelow", "a\nb\nc\n", "a\nb\nC\n", {1, 2}, {1, 2}, RemapStatus::unchanged},
    {"InsertedRightBelow", "a\nb\nc\n", "a\nb\nx\nc\n", {1, 2}, {1, 2}, RemapStatus::unchanged},
    {"InsertedRightAbove", "a\nb\nc\n", "a\nx\nb\nc\n", {2, 3}, {3, 4}, RemapStatus::moved},
    {"AnchoredLineEdited", "a\nb\nc\n", "a\nB\nc\n", {2, 2}, {2, 2}, RemapStatus::changed},
    {"OneOfRangeEdited", "a\nb\nc\nd\n", "a\nb\nC\nd\n", {2, 3}, {2, 3}, RemapStatus::changed},
    {"InsertedInside", "a\nb\nc\n", "a\nb\nx\nc\n", {2, 3}, {2, 4}, RemapStatus::changed},
    {"AnchoredLinesDeleted", "a\nb\nc\nd\n", "a\nd\n", {2, 3}, {2, 2}, RemapStatus::deleted},
    {"ReplacedByMoreLines", "a\nb\nc\n", "a\nx\ny\nz\nc\n", {2, 2}, {2, 4},
     RemapStatus::changed},
    {"EditAboveAndBelow", "a\nb\nc\nd\ne\n", "A\nA2\nb\nc\nd\nE\n", {2, 4}, {3, 5},
     RemapStatus::moved},
    {"WholeFileReplaced", "a\nb\n", "x\ny\nz\n", {1, 2}, {1, 3}, RemapStatus::changed},
};

class RemapTable : public ::testing::TestWithParam<RemapCase> {};

TEST_P(RemapTable, MapsRangeAndReportsTouch) {
  const auto& c = GetParam();
  Remapped r = remap(LineMap::from_texts(c.before, c.after), c.range);
  EXPECT_EQ(r.range.start, c.want.start) << c.name;
  EXPECT_EQ(r.range.end, c.want.end) << c.name;
  EXPECT_EQ(r.status, c.status) << c.name;
}

INSTANTIATE_TEST_SUITE_P(Remap, RemapTable, ::testing::ValuesIn(k_cases),
                         [](const auto& p) { return std::string(p.param.name); });

// The hunks git would produce for "a b c" -> "x y a b C".
std::vector<Hunk> hunks_for_example() {
  Hunk h;
  h.old_start = 1;
  h.old_count = 3;
  h.new_start = 1;
  h.new_count = 5;
  auto add = [&](LineOrigin o, int ol, int nl, const char* t) {
    h.lines.push_back(DiffLine{o, ol, nl, t, false});
  };
  add(LineOrigin::added, 0, 1, "x");
  add(LineOrigin::added, 0, 2, "y");
  add(LineOrigin::context, 1, 3, "a");
  add(LineOrigin::context, 2, 4, "b");
  add(LineOrigin::removed, 3, 0, "c");
  add(LineOrigin::added, 0, 5, "C");
  return {h};
}

TEST(Remap, HunksAgreeWithTextDiff) {
  auto from_hunks = LineMap::from_hunks(hunks_for_example());
  auto from_texts = LineMap::from_texts("a\nb\nc\n", "x\ny\na\nb\nC\n");
  for (LineRange r : {LineRange{1, 1}, LineRange{2, 2}, LineRange{1, 2}, LineRange{3, 3}}) {
    auto h = remap(from_hunks, r);
    auto t = remap(from_texts, r);
    EXPECT_EQ(h.range.start, t.range.start);
    EXPECT_EQ(h.range.end, t.range.end);
    EXPECT_EQ(h.status, t.status);
  }
  EXPECT_EQ(remap(from_hunks, {2, 2}).status, RemapStatus::moved);
  EXPECT_EQ(remap(from_hunks, {3, 3}).status, RemapStatus::changed);
}

TEST(Remap, HunkWithPureInsertionHeader) {
  // "@@ -2,0 +3,2 @@": two lines added after old line 2.
  Hunk h;
  h.old_start = 2;
  h.old_count = 0;
  h.new_start = 3;
  h.new_count = 2;
  h.lines.push_back(DiffLine{LineOrigin::added, 0, 3, "x", false});
  h.lines.push_back(DiffLine{LineOrigin::added, 0, 4, "y", false});
  auto map = LineMap::from_hunks({h});
  EXPECT_EQ(map.map_line(2), 2);
  EXPECT_EQ(map.map_line(3), 5);
}

TEST(Remap, MapLineReportsRemovedLines) {
  auto map = LineMap::from_texts("a\nb\nc\n", "a\nc\n");
  EXPECT_EQ(map.map_line(1), 1);
  EXPECT_FALSE(map.map_line(2).has_value());
  EXPECT_EQ(map.map_line(3), 2);
}

TEST(Remap, FindAnchorRelocatesMovedBlock) {
  std::string text = "int g() {\n  return 1;\n}\nint f() {\n    free(p);\n  free(p);\n}\n";
  auto at = find_anchor(text, normalise_code("free(p);\nfree(p);"));
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->start, 5);
  EXPECT_EQ(at->end, 6);
  EXPECT_FALSE(find_anchor(text, "free(p);").has_value());  // ambiguous
  EXPECT_FALSE(find_anchor(text, "missing();").has_value());
  EXPECT_FALSE(find_anchor(text, "").has_value());
}

TEST(Remap, LargeFileWithScatteredEditsIsExact) {
  std::string before;
  std::string after;
  for (int i = 1; i <= 5000; ++i) {
    before += "line " + std::to_string(i) + "\n";
    if (i % 500 == 0) after += "inserted\n";
    if (i % 777 != 0) after += "line " + std::to_string(i) + "\n";
  }
  auto map = LineMap::from_texts(before, after);
  // Line 1000: 2 insertions (500, 1000 — before it) and 1 deletion (777) above.
  auto r = remap(map, {1000, 1000});
  EXPECT_EQ(r.status, RemapStatus::moved);
  EXPECT_EQ(r.range.start, 1000 + 2 - 1);
  EXPECT_EQ(remap(map, {777, 777}).status, RemapStatus::deleted);
}

TEST(Remap, TooManyEditsFallsBackToOneRegion) {
  auto map = LineMap::from_texts("a\nb\nc\nd\n", "w\nx\ny\nz\n", 2);
  ASSERT_EQ(map.edits().size(), 1u);
  EXPECT_EQ(remap(map, {2, 2}).status, RemapStatus::changed);
}

}  // namespace
}  // namespace gavel::review
