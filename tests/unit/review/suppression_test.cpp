#include "review/suppression.hpp"

#include "review/finding_id.hpp"

#include <gtest/gtest.h>

namespace gavel::review {
namespace {

Finding dismissed_finding() {
  Finding f;
  f.id = "F1";
  f.raised.title = "Hard-coded password";
  f.raised.location = {"src/a.c", {4, 4}, Side::new_side};
  f.titles = {f.raised.title};
  f.identity_path = "src/a.c";
  f.current_anchor = "const char* pw = getenv(\"PW\");";
  f.fingerprint = fingerprint(f.raised, f.identity_path, f.current_anchor);
  return f;
}

Candidate repeat(const std::string& title, int line, const std::string& anchor) {
  RaisedFinding r;
  r.title = title;
  r.location = {"src/a.c", {line, line}, Side::new_side};
  return make_candidate(r, "src/a.c", anchor);
}

TEST(Suppression, FromDismissalKeepsReasonAndAnchor) {
  auto s = suppression_from(dismissed_finding(), {"human:ann", 9, "read from the environment"});
  EXPECT_EQ(s.finding_id, "F1");
  EXPECT_EQ(s.reason, "read from the environment");
  EXPECT_EQ(s.actor, "human:ann");
  EXPECT_EQ(s.anchor, dismissed_finding().current_anchor);
  EXPECT_EQ(s.state, SuppressionState::active);
}

TEST(Suppression, MatchTable) {
  const std::string code = dismissed_finding().current_anchor;
  struct Case {
    const char* name;
    Candidate c;
    bool suppressed;
  } cases[] = {
      {"ExactRepeat", repeat("Hard-coded password", 4, code), true},
      {"RewordedMoved", repeat("Password hard coded in source", 6, code), true},
      {"CodeChanged", repeat("Hard-coded password", 4, "const char* pw = \"hunter2\";"), false},
      {"OtherProblemSameCode", repeat("Leaks environment variable", 4, code), false},
  };
  std::vector<Suppression> list{suppression_from(dismissed_finding(), {"human:ann", 1, "ok"})};
  for (const auto& c : cases) {
    EXPECT_EQ(find_suppression(list, c.c).has_value(), c.suppressed) << c.name;
  }
}

TEST(Suppression, LapsesWhenAnchoredCodeChanges) {
  auto s = suppression_from(dismissed_finding(), {"human:ann", 1, "ok"});
  Location moved{"src/a.c", {7, 7}, Side::new_side};
  EXPECT_FALSE(update_suppression(s, moved, s.anchor));
  EXPECT_EQ(s.raised.location.lines.start, 7);
  EXPECT_EQ(s.state, SuppressionState::active);
  EXPECT_TRUE(update_suppression(s, moved, std::string("changed();")));
  EXPECT_EQ(s.state, SuppressionState::lapsed);
  std::vector<Suppression> list{s};
  EXPECT_FALSE(find_suppression(list, repeat("Hard-coded password", 7, s.anchor)).has_value());
}

TEST(Suppression, LapsesWhenFileTextIsGone) {
  auto s = suppression_from(dismissed_finding(), {"human:ann", 1, "ok"});
  EXPECT_TRUE(update_suppression(s, s.raised.location, std::nullopt));
}

}  // namespace
}  // namespace gavel::review
