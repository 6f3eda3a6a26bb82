// Unified-diff text for the builtin agents: writing replacement patches, reading patches, and
// applying them in memory with offsets, fuzz and "already applied" detection.
#include "agents/builtin_diff_text.hpp"

#include <gtest/gtest.h>

namespace gavel::agents::difftext {
namespace {

std::string patched(std::string_view text, std::string_view patch) {
  const auto parsed = parse_unified_diff(patch);
  if (!parsed || parsed->size() != 1) return "<unparsed>";
  const auto r = apply_file_patch(text, parsed->front());
  switch (r.outcome) {
    case ApplyOutcome::applied: return r.text;
    case ApplyOutcome::already_applied: return "<already>";
    case ApplyOutcome::mismatch: return "<mismatch>";
  }
  return "";
}

TEST(BuiltinDiffText, SplitKeepsTerminators) {
  EXPECT_EQ(split_lines("a\r\nb\nc"), (std::vector<std::string_view>{"a\r\n", "b\n", "c"}));
  EXPECT_TRUE(split_lines("").empty());
  EXPECT_EQ(strip_eol("x\r\n"), "x");
}

TEST(BuiltinDiffText, ReplacementDiffWithContextAndNoNewlineMarker) {
  const std::string text = "1\n2\n3\n4\n5\n6\nlast";
  const auto lines = split_lines(text);
  EXPECT_EQ(replacement_diff("f.txt", lines, 7, 7, {"last\n"}),
            "diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n@@ -4,4 +4,4 @@\n 4\n 5\n 6\n"
            "-last\n\\ No newline at end of file\n+last\n");
  EXPECT_EQ(replacement_diff("f.txt", lines, 1, 1, {}),
            "diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n@@ -1,4 +1,3 @@\n-1\n 2\n 3\n 4\n");
  EXPECT_EQ(replacement_diff("f.txt", lines, 2, 2, {"2\n"}), "") << "no change, no patch";
  EXPECT_EQ(replacement_diff("f.txt", lines, 3, 9, {}), "") << "range past the end";
  EXPECT_EQ(replacement_diff("f.txt", lines, 2, 2, {"x"}), "") << "unterminated line before others";
}

TEST(BuiltinDiffText, DiffTextsRoundTripsThroughApply) {
  const std::string a = "one\ntwo\r\nthree\nfour\nfive\nsix\nseven";
  const std::string b = "one\ntwo\r\nTHREE\nfour\nfive\nsix\nseven\n";
  const std::string patch = diff_texts("x", a, b);
  EXPECT_EQ(patched(a, patch), b);
  EXPECT_EQ(patched(b, patch), "<already>");
  EXPECT_EQ(patched("unrelated\n", patch), "<mismatch>");
  EXPECT_EQ(diff_texts("x", a, a), "");
}

TEST(BuiltinDiffText, ApplyFindsShiftedHunksAndDropsStaleContext) {
  const std::string patch =
      "--- a/x\n+++ b/x\n@@ -2,3 +2,3 @@\n b\n-c\n+C\n d\n";
  EXPECT_EQ(patched("a\nb\nc\nd\n", patch), "a\nb\nC\nd\n");
  EXPECT_EQ(patched("new\nnew\na\nb\nc\nd\n", patch), "new\nnew\na\nb\nC\nd\n") << "offset";
  EXPECT_EQ(patched("a\nb2\nc\nd\n", patch), "a\nb2\nC\nd\n") << "an earlier fix changed context";
}

TEST(BuiltinDiffText, ParsesGitAndPlainDiffsAndRejectsOthers) {
  const auto git = parse_unified_diff(
      "diff --git a/s p/x.c b/s p/x.c\nindex 1..2 100644\n--- a/s p/x.c\n+++ b/s p/x.c\n"
      "@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n");
  ASSERT_TRUE(git);
  EXPECT_EQ(git->front().new_path, "s p/x.c");
  ASSERT_EQ(git->front().hunks.front().lines.size(), 2u);
  EXPECT_EQ(git->front().hunks.front().lines[0].second, "a");
  EXPECT_EQ(git->front().hunks.front().lines[1].second, "a\n");
  const auto plain = parse_unified_diff(
      "Here is the fix:\n--- x.py\t2024-01-01\n+++ x.py\t2024-01-02\n@@ -1,2 +1,2 @@\n-a\n+b\n c\n");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->front().old_path, "x.py");
  EXPECT_FALSE(parse_unified_diff("no patch here"));
  EXPECT_FALSE(parse_unified_diff("--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n"));  // short hunk
  EXPECT_FALSE(parse_unified_diff("diff --git a/x b/x\nGIT binary patch\nliteral 3\n"));
  EXPECT_FALSE(parse_unified_diff("--- \"a/q\\tx\"\n+++ \"b/q\\tx\"\n@@ -1 +1 @@\n-a\n+b\n"));
}

TEST(BuiltinDiffText, VanishedDeletionIsNotAlreadyApplied) {
  const std::string patch = "--- a/x\n+++ b/x\n@@ -1,3 +1,1 @@\n a\n-\n-\n";
  EXPECT_EQ(patched("a\n\n\n", patch), "a\n");
  EXPECT_EQ(patched("b\n", patch), "<mismatch>");
}

}  // namespace
}  // namespace gavel::agents::difftext
