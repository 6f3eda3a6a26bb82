#include "review/finding_match.hpp"

#include "review/finding_id.hpp"

#include <gtest/gtest.h>

namespace gavel::review {
namespace {

Finding known(const std::string& id, const std::string& path, int line, const std::string& title,
              const std::string& body = {}, const std::string& anchor = "free(p);",
              const std::string& category = {}) {
  Finding f;
  f.id = id;
  f.raised.title = title;
  f.raised.body = body;
  f.raised.category = category;
  f.raised.location = {path, {line, line}, Side::new_side};
  f.titles = {title};
  f.identity_path = path;
  f.current_anchor = anchor;
  f.fingerprint = fingerprint(f.raised, path, anchor);
  return f;
}

Candidate cand(const std::string& path, int line, const std::string& title,
               const std::string& body = {}, const std::string& anchor = "free(p);",
               Priority p = Priority::p1, const std::string& category = {}) {
  RaisedFinding r;
  r.title = title;
  r.body = body;
  r.priority = p;
  r.category = category;
  r.location = {path, {line, line}, Side::new_side};
  return make_candidate(r, path, anchor);
}

std::vector<std::optional<std::size_t>> match(const std::vector<Finding>& k,
                                              const std::vector<Candidate>& c) {
  std::vector<const Finding*> ptrs;
  for (const auto& f : k) ptrs.push_back(&f);
  return match_findings(ptrs, c);
}

struct MatchCase {
  const char* name;
  Candidate raised;
  bool repeats;
};

// The known finding: "Double free of p" at a.c:10, anchored to "free(p);".
class MatchTable : public ::testing::TestWithParam<MatchCase> {};

TEST_P(MatchTable, RecognisesRepeats) {
  std::vector<Finding> k{known("F1", "a.c", 10, "Double free of p",
                               "p is freed on the error path and again at exit")};
  auto m = match(k, {GetParam().raised});
  EXPECT_EQ(m[0].has_value(), GetParam().repeats) << GetParam().name;
}

const MatchCase k_cases[] = {
    {"SameEverything", cand("a.c", 10, "Double free of p"), true},
    {"RewordedTitle", cand("a.c", 10, "p freed twice", "second free of p at exit"), true},
    {"PriorityChanged", cand("a.c", 10, "Double free of p", {}, "free(p);", Priority::p3), true},
    {"WithinSlack", cand("a.c", 13, "Double free of p", {}, "other();"), true},
    {"BeyondSlack", cand("a.c", 20, "Double free of p", {}, "other();"), false},
    {"OtherFile", cand("b.c", 10, "Double free of p", {}, "other();"), false},
    {"DifferentProblemSameLine", cand("a.c", 10, "Integer overflow in size computation",
                                      "size * count may wrap"), false},
    {"MovedFarSameCode", cand("a.c", 90, "Double free of p"), true},
    {"DifferentCategory", cand("a.c", 10, "Double free of p", {}, "free(p);", Priority::p1,
                               "style"), true},
};

INSTANTIATE_TEST_SUITE_P(FindingMatch, MatchTable, ::testing::ValuesIn(k_cases),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(FindingMatch, CategoriesThatDifferAreDifferentFindings) {
  std::vector<Finding> k{known("F1", "a.c", 10, "Bad call", {}, "x();", "secret")};
  EXPECT_FALSE(match(k, {cand("a.c", 10, "Bad call other", {}, "y();", Priority::p1, "debug")})[0]);
  EXPECT_TRUE(match(k, {cand("a.c", 10, "Bad call other", {}, "y();", Priority::p1, "secret")})[0]);
}

TEST(FindingMatch, TwoProblemsOnOneLineStayTwo) {
  std::vector<Finding> k{known("F1", "a.c", 10, "Double free of p"),
                         known("F2", "a.c", 10, "Integer overflow in size")};
  auto m = match(k, {cand("a.c", 10, "size overflow when multiplying"),
                     cand("a.c", 10, "p is freed twice")});
  ASSERT_TRUE(m[0] && m[1]);
  EXPECT_EQ(*m[0], 1u);
  EXPECT_EQ(*m[1], 0u);
}

TEST(FindingMatch, OneKnownMatchesAtMostOnce) {
  std::vector<Finding> k{known("F1", "a.c", 10, "Double free of p")};
  auto m = match(k, {cand("a.c", 10, "Double free of p"), cand("a.c", 10, "Double free of p")});
  EXPECT_TRUE(m[0].has_value());
  EXPECT_FALSE(m[1].has_value());
}

TEST(FindingMatch, ResolvesByIdOrAnyCarriedTitle) {
  std::vector<Finding> k{known("F1", "a.c", 10, "Double free of p"),
                         known("F2", "a.c", 20, "Leak")};
  k[0].titles.push_back("p freed twice");
  k[0].raised.title = "p freed twice";
  EXPECT_EQ(resolve_named(k, "F2", ""), 1u);
  EXPECT_EQ(resolve_named(k, "", "[P1] double free of P"), 0u);  // an older title
  EXPECT_EQ(resolve_named(k, "", "p freed twice"), 0u);
  EXPECT_EQ(resolve_named(k, "F9", "Leak"), 1u);  // unknown id, known title
  EXPECT_FALSE(resolve_named(k, "F9", "").has_value());
  EXPECT_FALSE(resolve_named(k, "", "never said").has_value());
}

}  // namespace
}  // namespace gavel::review
