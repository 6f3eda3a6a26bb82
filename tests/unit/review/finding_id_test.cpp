#include "review/finding_id.hpp"

#include <gtest/gtest.h>

namespace gavel::review {
namespace {

// A finding raised on `path` of `change` at `range`, fingerprinted the way the machine does.
std::string fp_of(const Changeset& change, const std::string& path, LineRange range,
                  const std::string& title, const std::string& category = {}) {
  const std::string* text = nullptr;
  for (const auto& f : change.files) {
    if (f.new_path == path) text = &*f.new_text;
  }
  RaisedFinding r;
  r.title = title;
  r.category = category;
  return fingerprint(r, identity_path(change, path), anchor_of(text ? *text : "", range));
}

Changeset one_file(const std::string& path, const std::string& text,
                   const std::string& old_path = {}) {
  FileDiff f;
  f.new_path = path;
  f.old_path = old_path.empty() ? path : old_path;
  f.status = old_path.empty() ? FileStatus::modified : FileStatus::renamed;
  f.new_text = text;
  Changeset c;
  c.files.push_back(f);
  return c;
}

struct IdentityCase {
  const char* name;
  const char* before;
  LineRange before_range;
  const char* after;
  LineRange after_range;
  const char* before_title;
  const char* after_title;
  bool same;
};

// Before/after code tables: the finding is raised on `before` and again on `after`.
const IdentityCase k_cases[] = {
    {"LinesInsertedAbove", "a();\nb();\nfree(p);\nc();\n", {3, 3},
     "x();\ny();\na();\nb();\nfree(p);\nc();\n", {5, 5}, "Double free of p", "Double free of p",
     true},
    {"LinesDeletedAbove", "a();\nb();\nfree(p);\n", {3, 3}, "free(p);\n", {1, 1},
     "Double free of p", "Double free of p", true},
    {"Reindented", "  if (x)  free(p);\n", {1, 1}, "\tif (x) free(p);   \n", {1, 1},
     "Double free of p", "Double free of p", true},
    {"FunctionMoved",
     "int f() {\n  free(p);\n  free(p);\n}\nint g() {\n  return 1;\n}\n", {2, 3},
     "int g() {\n  return 1;\n}\n\nint f() {\n  free(p);\n  free(p);\n}\n", {6, 7},
     "Double free of p", "Double free of p", true},
    {"TitleWordOrderAndLineNumber", "free(p);\n", {1, 1}, "free(p);\n", {1, 1},
     "[P1] Double free of p at line 12", "double FREE of p (line 40)", true},
    {"AnchoredLineEdited", "a();\nfree(p);\n", {2, 2}, "a();\nfree(q);\n", {2, 2},
     "Double free", "Double free", false},
    {"AnchoredLineGrew", "a();\nfree(p);\n", {2, 2}, "a();\nfree(p); free(p);\n", {2, 2},
     "Double free", "Double free", false},
    {"DifferentClaimSameLine", "free(p);\n", {1, 1}, "free(p);\n", {1, 1}, "Double free of p",
     "Leaks the buffer", false},
    {"BlankLinesInsideAnchorIgnored", "a();\n\nb();\n", {1, 3}, "a();\nb();\n", {1, 2},
     "Order of calls", "Order of calls", true},
};

class FingerprintTable : public ::testing::TestWithParam<IdentityCase> {};

TEST_P(FingerprintTable, SameExactlyWhenCodeAndClaimAreSame) {
  const auto& c = GetParam();
  auto before = fp_of(one_file("src/a.c", c.before), "src/a.c", c.before_range, c.before_title);
  auto after = fp_of(one_file("src/a.c", c.after), "src/a.c", c.after_range, c.after_title);
  EXPECT_EQ(before == after, c.same) << c.name;
}

INSTANTIATE_TEST_SUITE_P(FindingId, FingerprintTable, ::testing::ValuesIn(k_cases),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(FindingId, SurvivesRenameThroughBasePath) {
  auto before = one_file("src/a.c", "free(p);\n");
  auto after = one_file("src/b.c", "free(p);\n", "src/a.c");
  EXPECT_EQ(identity_path(after, "src/b.c"), "src/a.c");
  EXPECT_EQ(fp_of(before, "src/a.c", {1, 1}, "Double free"),
            fp_of(after, "src/b.c", {1, 1}, "Double free"));
}

TEST(FindingId, DiffersAcrossFilesWithSameCode) {
  Changeset c = one_file("src/a.c", "free(p);\n");
  c.files.push_back(one_file("src/b.c", "free(p);\n").files[0]);
  EXPECT_NE(fp_of(c, "src/a.c", {1, 1}, "Double free"), fp_of(c, "src/b.c", {1, 1}, "Double free"));
}

TEST(FindingId, CategoryIsPartOfIdentity) {
  auto c = one_file("a", "x\n");
  EXPECT_NE(fp_of(c, "a", {1, 1}, "t", "secret"), fp_of(c, "a", {1, 1}, "t", "debug"));
  EXPECT_EQ(fp_of(c, "a", {1, 1}, "t", "Secret "), fp_of(c, "a", {1, 1}, "t", "secret"));
}

TEST(FindingId, FingerprintIs32Hex) {
  auto fp = fingerprint("a", "b", "c", "d");
  ASSERT_EQ(fp.size(), 32u);
  EXPECT_EQ(fp.find_first_not_of("0123456789abcdef"), std::string::npos);
  // Field boundaries matter: ("ab","c") is not ("a","bc").
  EXPECT_NE(fingerprint("ab", "c", "", ""), fingerprint("a", "bc", "", ""));
}

TEST(FindingId, NormaliseCodeCollapsesWhitespace) {
  EXPECT_EQ(normalise_code("  a  =\tb;\r\n\n   c();  \n"), "a = b;\nc();");
  EXPECT_EQ(normalise_code(""), "");
}

TEST(FindingId, SliceLinesIsInclusiveAndClamped) {
  std::string t = "1\n2\n3\n4";
  EXPECT_EQ(slice_lines(t, {2, 3}), "2\n3");
  EXPECT_EQ(slice_lines(t, {4, 9}), "4");
  EXPECT_EQ(slice_lines(t, {7, 9}), "");
  EXPECT_EQ(count_lines(t), 4);
  EXPECT_EQ(count_lines("a\n"), 1);
  EXPECT_EQ(count_lines(""), 0);
}

TEST(FindingId, ClaimTokensDropFillerNumbersAndTags) {
  auto t = claim_tokens("[P1] Possible NULL dereference of `ptr` at line 42");
  // "at" is too short, "Possible" filler, "P1" and "42" tags and numbers.
  EXPECT_EQ(t, (std::vector<std::string>{"dereferenc", "null", "ptr"}));
  EXPECT_EQ(claim_tokens("dereferences"), claim_tokens("dereferenced"));
}

TEST(FindingId, ClaimSimilarityIsOverlapCoefficient) {
  auto a = claim_tokens("null pointer dereference ptr");
  auto b = claim_tokens("ptr may be NULL");
  EXPECT_DOUBLE_EQ(claim_similarity(a, b), 1.0);  // {null, ptr} within a
  EXPECT_DOUBLE_EQ(claim_similarity(a, claim_tokens("integer overflow")), 0.0);
  EXPECT_DOUBLE_EQ(claim_similarity(a, {}), 0.0);
}

}  // namespace
}  // namespace gavel::review
