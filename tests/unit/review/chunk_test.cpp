#include "review/chunk.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace gavel::review {
namespace {

// A modified file with `hunks` hunks of `lines` added lines each, `width` bytes per line.
FileDiff text_file(const std::string& path, int hunks, int lines, int width = 20) {
  FileDiff f;
  f.old_path = f.new_path = path;
  f.old_mode = f.new_mode = k_mode_file;
  for (int h = 0; h < hunks; ++h) {
    Hunk hk;
    hk.old_start = 1 + h * 100;
    hk.old_count = 1;
    hk.new_start = 1 + h * 100 + h * lines;
    hk.new_count = 1 + lines;
    hk.lines.push_back({LineOrigin::context, hk.old_start, hk.new_start, "context", false});
    for (int i = 0; i < lines; ++i) {
      hk.lines.push_back({LineOrigin::added, 0, hk.new_start + 1 + i,
                          std::string(static_cast<std::size_t>(width), static_cast<char>('a' + i % 26)),
                          false});
    }
    f.hunks.push_back(hk);
  }
  return f;
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

TEST(Chunk, RendersGitStyleHeaders) {
  Changeset c;
  FileDiff added = text_file("new.txt", 1, 1);
  added.old_path.clear();
  added.old_mode = k_mode_absent;
  added.status = FileStatus::added;
  added.hunks[0].lines.back().no_newline_at_eof = true;
  FileDiff renamed;
  renamed.old_path = "old/name.c";
  renamed.new_path = "new/name.c";
  renamed.status = FileStatus::renamed;
  renamed.similarity = 97;
  renamed.old_mode = renamed.new_mode = k_mode_file;
  FileDiff exec = text_file("run.sh", 1, 1);
  exec.new_mode = k_mode_executable;
  c.files = {added, renamed, exec};
  std::string patch = render_patch(c);
  EXPECT_NE(patch.find("diff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new.txt\n"),
            std::string::npos) << patch;
  EXPECT_NE(patch.find("\\ No newline at end of file\n"), std::string::npos);
  EXPECT_NE(patch.find("similarity index 97%\nrename from old/name.c\nrename to new/name.c\n"),
            std::string::npos);
  EXPECT_NE(patch.find("old mode 100644\nnew mode 100755\n"), std::string::npos);
  EXPECT_NE(patch.find("@@ -1 +1,2 @@\n context\n+a"), std::string::npos) << patch;
}

TEST(Chunk, UnderBudgetIsOneRequest) {
  Changeset c;
  c.files = {text_file("a.c", 2, 3), text_file("b.c", 1, 2)};
  ChunkPlan plan = plan_chunks(c, 1 << 20);
  ASSERT_EQ(plan.chunks.size(), 1u);
  EXPECT_EQ(plan.chunks[0].patch, render_patch(c));
  EXPECT_EQ(plan.chunks[0].files, (std::vector<std::string>{"a.c", "b.c"}));
  EXPECT_EQ(coverage_note(plan), "All 2 changed file(s) reviewed in one request.");
  EXPECT_EQ(plan_chunks(c, 0).chunks.size(), 1u);  // 0: unlimited
}

TEST(Chunk, SplitsByFileAndPacksSmallOnes) {
  Changeset c;
  c.files = {text_file("a.c", 1, 10), text_file("b.c", 1, 10), text_file("s1.c", 1, 1),
             text_file("s2.c", 1, 1)};
  std::size_t one = render_patch(Changeset{DiffKind::worktree, "", {c.files[0]}, ""}).size();
  ChunkPlan plan = plan_chunks(c, one + 10);
  ASSERT_EQ(plan.chunks.size(), 3u);
  EXPECT_EQ(plan.chunks[0].files, std::vector<std::string>{"a.c"});
  EXPECT_EQ(plan.chunks[1].files, std::vector<std::string>{"b.c"});
  EXPECT_EQ(plan.chunks[2].files, (std::vector<std::string>{"s1.c", "s2.c"}));
  for (const Chunk& ch : plan.chunks) EXPECT_LE(ch.patch.size(), one + 10);
  EXPECT_TRUE(plan.split_files.empty());
  EXPECT_NE(coverage_note(plan).find("All 4 changed file(s) reviewed in 3 requests"), std::string::npos);
}

TEST(Chunk, FileOverBudgetIsSplitByHunksNeverDropped) {
  Changeset c;
  c.files = {text_file("big.c", 6, 10)};
  std::string whole = render_patch(c);
  ChunkPlan plan = plan_chunks(c, whole.size() / 3);
  ASSERT_GE(plan.chunks.size(), 3u);
  EXPECT_EQ(plan.split_files, std::vector<std::string>{"big.c"});
  std::string all;
  for (const Chunk& ch : plan.chunks) {
    EXPECT_LE(ch.patch.size(), whole.size() / 3);
    EXPECT_EQ(ch.patch.rfind("diff --git a/big.c b/big.c\n", 0), 0u);  // header repeated
    EXPECT_TRUE(chunk_covers(ch, "big.c"));
    EXPECT_EQ(ch.partial_files, std::vector<std::string>{"big.c"});
    all += ch.patch;
  }
  for (const Hunk& h : c.files[0].hunks) EXPECT_EQ(count(all, render_hunk(h)), 1u);
  EXPECT_EQ(count(all, "@@ -"), 6u);  // every hunk once
  EXPECT_NE(coverage_note(plan).find("Split by hunks: big.c"), std::string::npos);
}

TEST(Chunk, HunkOverBudgetIsSplitIntoValidSubHunks) {
  FileDiff f = text_file("huge.c", 1, 200);
  const Hunk& h = f.hunks[0];
  std::vector<Hunk> parts = split_hunk(h, 600);
  ASSERT_GT(parts.size(), 5u);
  int old_total = 0;
  int new_total = 0;
  int next_new = h.new_start;
  std::size_t lines = 0;
  for (const Hunk& p : parts) {
    EXPECT_LE(render_hunk(p).size(), 600u);
    if (p.new_count > 0) {
      EXPECT_EQ(p.new_start, next_new);
      next_new += p.new_count;
    }
    old_total += p.old_count;
    new_total += p.new_count;
    lines += p.lines.size();
    EXPECT_EQ(p.header.rfind("@@ -", 0), 0u);
  }
  EXPECT_EQ(old_total, h.old_count);
  EXPECT_EQ(new_total, h.new_count);
  EXPECT_EQ(lines, h.lines.size());
  EXPECT_EQ(parts[1].header, "@@ -1,0 +" + std::to_string(parts[1].new_start) + "," +
                                 std::to_string(parts[1].new_count) + " @@");

  Changeset c;
  c.files = {f};
  ChunkPlan plan = plan_chunks(c, 800);
  std::string all;
  for (const Chunk& ch : plan.chunks) all += ch.patch;
  for (const DiffLine& l : h.lines) EXPECT_NE(all.find(l.text), std::string::npos);
  EXPECT_TRUE(plan.over_budget.empty());
}

TEST(Chunk, LineLongerThanBudgetIsSentAloneAndNoted) {
  Changeset c;
  c.files = {text_file("min.js", 1, 3, 5000)};
  ChunkPlan plan = plan_chunks(c, 1000);
  std::string all;
  for (const Chunk& ch : plan.chunks) all += ch.patch;
  for (const DiffLine& l : c.files[0].hunks[0].lines) EXPECT_NE(all.find(l.text), std::string::npos);
  EXPECT_EQ(plan.over_budget, std::vector<std::string>{"min.js"});
  EXPECT_NE(coverage_note(plan).find("Sent over the budget"), std::string::npos);
}

TEST(Chunk, BinaryAndSubmoduleAreStatedNotSkippedSilently) {
  Changeset c;
  FileDiff bin;
  bin.old_path = bin.new_path = "logo.png";
  bin.old_mode = bin.new_mode = k_mode_file;
  bin.binary = true;
  FileDiff sub;
  sub.old_path = sub.new_path = "vendor/lib";
  sub.old_mode = sub.new_mode = k_mode_gitlink;
  sub.submodule = true;
  sub.old_id = "1111111111111111111111111111111111111111";
  sub.new_id = "2222222222222222222222222222222222222222";
  c.files = {text_file("a.c", 1, 1), bin, sub};
  ChunkPlan plan = plan_chunks(c, 0);
  ASSERT_EQ(plan.not_reviewed.size(), 2u);
  EXPECT_NE(plan.chunks[0].patch.find("Binary files a/logo.png and b/logo.png differ"), std::string::npos);
  EXPECT_NE(plan.chunks[0].patch.find("Submodule vendor/lib 111111111111..222222222222"), std::string::npos);
  std::string note = coverage_note(plan);
  EXPECT_NE(note.find("Reviewed 1 of 3 changed file(s)"), std::string::npos) << note;
  EXPECT_NE(note.find("logo.png (binary file: content not reviewed)"), std::string::npos) << note;
  EXPECT_NE(note.find("vendor/lib (submodule"), std::string::npos) << note;
}

RaisedFinding finding(const std::string& path, int start, int end, const std::string& title,
                      Priority p = Priority::p2, double confidence = 0.5) {
  RaisedFinding f;
  f.title = title;
  f.body = "body of " + title;
  f.priority = p;
  f.confidence = confidence;
  f.location.path = path;
  f.location.lines = {start, end};
  return f;
}

ChunkPlan two_chunk_plan() {
  Changeset c;
  c.files = {text_file("a.c", 4, 10), text_file("b.c", 1, 10)};
  std::size_t half = render_patch(Changeset{DiffKind::worktree, "", {c.files[0]}, ""}).size() / 2 + 200;
  return plan_chunks(c, half);
}

TEST(ChunkMerge, DeduplicatesAcrossChunksKeepingTheMostSevere) {
  ChunkPlan plan = two_chunk_plan();
  ASSERT_GE(plan.chunks.size(), 2u);
  ReviewReport r1;
  r1.findings = {finding("a.c", 10, 12, "Leak of buffer", Priority::p2, 0.4),
                 finding("a.c", 50, 50, "Other")};
  r1.overall_correct = true;
  r1.overall_confidence = 0.9;
  r1.overall_explanation = "fine";
  ReviewReport r2;
  r2.findings = {finding("a.c", 11, 11, "  leak OF   buffer ", Priority::p1, 0.8),
                 finding("a.c", 80, 80, "Leak of buffer")};  // same title, other lines: kept
  r2.overall_correct = false;
  r2.overall_confidence = 0.6;
  r2.overall_explanation = "bug";
  std::vector<ChunkReview> reviews;
  for (std::size_t i = 0; i < plan.chunks.size(); ++i) {
    reviews.push_back({i, i == 0 ? r1 : r2, ""});
  }
  MergedReview m = merge_chunk_reviews(plan, reviews);
  ASSERT_EQ(m.report.findings.size(), 3u);
  EXPECT_EQ(m.report.findings[0].priority, Priority::p1);
  EXPECT_DOUBLE_EQ(m.report.findings[0].confidence, 0.8);
  EXPECT_EQ(m.report.overall_correct, std::optional<bool>(false));
  EXPECT_DOUBLE_EQ(m.report.overall_confidence, 0.6);
  EXPECT_NE(m.report.overall_explanation.find("[request 1/"), std::string::npos);
  EXPECT_TRUE(m.complete);
}

TEST(ChunkMerge, PriorVerdictsStillOpenWins) {
  ChunkPlan plan = two_chunk_plan();
  ReviewReport r1;
  r1.prior = {{"f1", "", PriorVerdict::Kind::resolved, "ok"}, {"", "T", PriorVerdict::Kind::withdrawn, ""}};
  ReviewReport r2;
  r2.prior = {{"f1", "", PriorVerdict::Kind::still_open, "not in this part"},
              {"", "t", PriorVerdict::Kind::resolved, ""}};
  MergedReview m = merge_chunk_reviews(plan, {{0, r1, ""}, {1, r2, ""}});
  ASSERT_EQ(m.report.prior.size(), 2u);
  EXPECT_EQ(m.report.prior[0].verdict, PriorVerdict::Kind::still_open);
  EXPECT_EQ(m.report.prior[0].note, "not in this part");
  EXPECT_EQ(m.report.prior[1].verdict, PriorVerdict::Kind::withdrawn);
}

TEST(ChunkMerge, FailedOrMissingChunksAreNotReviewed) {
  ChunkPlan plan = two_chunk_plan();
  ASSERT_GE(plan.chunks.size(), 2u);
  ReviewReport ok;
  ok.overall_correct = true;
  MergedReview m = merge_chunk_reviews(plan, {{0, ok, ""}, {1, std::nullopt, "timeout after 600 s"}});
  EXPECT_FALSE(m.complete);
  ASSERT_FALSE(m.not_reviewed.empty());
  EXPECT_NE(m.coverage_note.find("request failed: timeout after 600 s"), std::string::npos)
      << m.coverage_note;
  MergedReview missing = merge_chunk_reviews(plan, {{0, ok, ""}});
  EXPECT_FALSE(missing.complete);
  EXPECT_NE(missing.coverage_note.find("has no answer"), std::string::npos) << missing.coverage_note;
  MergedReview none = merge_chunk_reviews(plan, {});
  EXPECT_FALSE(none.report.overall_correct.has_value());
  EXPECT_DOUBLE_EQ(none.report.overall_confidence, 0.0);
}

TEST(ChunkMerge, SameFindingRules) {
  EXPECT_TRUE(same_finding(finding("a", 1, 5, "X"), finding("a", 5, 9, "x")));
  EXPECT_FALSE(same_finding(finding("a", 1, 5, "X"), finding("b", 1, 5, "X")));
  EXPECT_FALSE(same_finding(finding("a", 1, 5, "X"), finding("a", 6, 9, "X")));
  RaisedFinding other_title = finding("a", 1, 5, "Y");
  other_title.body = "body of X";
  EXPECT_TRUE(same_finding(finding("a", 1, 5, "X"), other_title));  // same body
}

}  // namespace
}  // namespace gavel::review
