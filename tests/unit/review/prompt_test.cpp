#include "review/prompt.hpp"

#include "review/report_parser.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace gavel::review {
namespace {

bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

Finding prior_finding() {
  Finding f;
  f.id = "f-3a9c01";
  f.raised.title = "Off-by-one in parser";
  f.raised.body = "The loop reads buf[len].";
  f.raised.priority = Priority::p1;
  f.raised.location.path = "src/parse.c";
  f.raised.location.lines = {44, 45};
  f.raised.suggested_fix = "--- a/src/parse.c\n+++ b/src/parse.c\n";
  f.titles = {"Buffer over-read", "Off-by-one in parser"};
  f.state = FindingState::disputed;
  return f;
}

PromptInputs inputs() {
  PromptInputs in;
  in.round = 3;
  in.repo_root = "/home/dev/proj";
  in.patch = "diff --git a/src/parse.c b/src/parse.c\n--- a/src/parse.c\n+++ b/src/parse.c\n"
             "@@ -44 +44 @@\n-  for (i = 0; i <= len; ++i)\n+  for (i = 0; i < len; ++i)\n";
  in.intent = "Parse the header without reading past the buffer.";
  in.prior = {prior_finding()};
  in.responses = {{"Buffer over-read", FindingResponse::Action::disputed, "len excludes the NUL."}};
  in.verdicts = {{"f-3a9c01", "", PriorVerdict::Kind::still_open, "Still reads one past."}};
  in.suppressions = {{"Magic number 42", "src/consts.h", "#define ANSWER 42", "Documented constant."}};
  return in;
}

TEST(Prompt, ReviewerPromptCarriesEverySection) {
  auto p = render_prompt(PromptRole::reviewer, inputs());
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_TRUE(has(*p, "You are the reviewer in round 3"));
  EXPECT_TRUE(has(*p, "```text\nParse the header without reading past the buffer.\n```"));
  EXPECT_TRUE(has(*p, "```diff\ndiff --git a/src/parse.c"));
  EXPECT_TRUE(has(*p, "Files are under /home/dev/proj."));
  EXPECT_TRUE(has(*p, "- id: f-3a9c01  [P1] Off-by-one in parser\n  state: disputed"));
  EXPECT_TRUE(has(*p, "location: src/parse.c:44-45"));
  EXPECT_TRUE(has(*p, "earlier titles: \"Buffer over-read\" \"Off-by-one in parser\""));
  // the implementer's answer, matched through an earlier title
  EXPECT_TRUE(has(*p, "implementer: disputed\n```text\nlen excludes the NUL.\n```"));
  EXPECT_FALSE(has(*p, "reviewer: still_open"));  // the reviewer does not see its own verdict
  EXPECT_FALSE(has(*p, "suggested fix:"));
  EXPECT_TRUE(has(*p, "- Magic number 42 in src/consts.h\n  reason: Documented constant."));
  EXPECT_TRUE(has(*p, "#define ANSWER 42"));
  EXPECT_TRUE(has(*p, reviewer_output_schema()));
  EXPECT_TRUE(has(*p, "\"prior\": one verdict per finding"));
  EXPECT_TRUE(has(*p, "(the whole diff)"));
  EXPECT_FALSE(has(*p, "{{"));
}

TEST(Prompt, ImplementerPromptCarriesVerdictsAndFixes) {
  PromptInputs in = inputs();
  in.chunk_label = "request 1 of 2: src/parse.c";
  auto p = render_prompt(PromptRole::implementer, in);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_TRUE(has(*p, "You are the implementer in round 3"));
  EXPECT_TRUE(has(*p, "reviewer: still_open\n```text\nStill reads one past.\n```"));
  EXPECT_TRUE(has(*p, "suggested fix:\n```diff\n--- a/src/parse.c"));
  EXPECT_TRUE(has(*p, implementer_output_schema()));
  EXPECT_TRUE(has(*p, "(request 1 of 2: src/parse.c)"));
  EXPECT_FALSE(has(*p, "implementer: disputed"));
}

TEST(Prompt, EmptySectionsSayNone) {
  auto p = render_prompt(PromptRole::reviewer, PromptInputs{});
  ASSERT_TRUE(p);
  EXPECT_TRUE(has(*p, "(none given)"));
  EXPECT_TRUE(has(*p, "(empty diff)"));
  EXPECT_TRUE(has(*p, "## Findings from earlier rounds\n"));
  EXPECT_GE(std::count(p->begin(), p->end(), '\n'), 20);
  EXPECT_TRUE(has(*p, "(none)\n"));
  EXPECT_TRUE(has(*p, "the repository root"));
}

TEST(Prompt, AgentTextIsNeverReexpandedAndFencesGrow) {
  PromptInputs in = inputs();
  in.patch = "+ // {{intent}} and {{nope}}\n+ ```\n+ ```` nested\n";
  auto p = render_prompt(PromptRole::reviewer, in);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_TRUE(has(*p, "+ // {{intent}} and {{nope}}"));
  EXPECT_TRUE(has(*p, "`````diff\n+ // {{intent}}"));  // fence longer than the ```` inside
}

TEST(Prompt, AdjacentFindingsAreMarked) {
  PromptInputs in = inputs();
  in.prior[0].adjacent = true;
  auto p = render_prompt(PromptRole::reviewer, in);
  ASSERT_TRUE(p);
  EXPECT_TRUE(has(*p, "adjacent: outside the diff, never blocking"));
}

TEST(Prompt, UnmatchedResponsesAreStillShown) {
  PromptInputs in = inputs();
  in.responses.push_back({"f-unknown", FindingResponse::Action::fixed, "done"});
  auto p = render_prompt(PromptRole::reviewer, in);
  ASSERT_TRUE(p);
  EXPECT_TRUE(has(*p, "implementer's answer to \"f-unknown\" (no such finding)"));
}

TEST(Prompt, UserTemplatesOverrideAndAreChecked) {
  std::string custom = "Round {{round}} for {{role}}.\n{{diff}}\nSchema:\n{{schema}}";
  auto p = render_prompt(PromptRole::reviewer, inputs(), custom);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->rfind("Round 3 for reviewer.\n```diff\n", 0), 0u);
  EXPECT_TRUE(has(*p, "```json\n{"));

  auto unknown = render_prompt(PromptRole::reviewer, inputs(), "{{diff}} {{output_format}} {{dif}}");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::config);
  EXPECT_TRUE(has(unknown.error().message, "{{dif}}"));

  auto no_diff = validate_template(PromptRole::reviewer, "{{output_format}}");
  ASSERT_FALSE(no_diff);
  EXPECT_TRUE(has(no_diff.error().message, "{{diff}}"));
  auto no_format = validate_template(PromptRole::implementer, "{{prior_findings}}");
  ASSERT_FALSE(no_format);
  EXPECT_TRUE(validate_template(PromptRole::implementer, "{{prior_findings}}{{output_format}}"));
  EXPECT_TRUE(validate_template(PromptRole::reviewer, default_template(PromptRole::reviewer)));
  EXPECT_TRUE(validate_template(PromptRole::implementer, default_template(PromptRole::implementer)));
}

TEST(Prompt, SubstituteIsOnePass) {
  auto s = substitute("a {{x}} b {{y}} {{ unclosed", {"x", "y"}, {"{{y}}", "Y"});
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, "a {{y}} b Y {{ unclosed");
}

TEST(Prompt, Fence) {
  EXPECT_EQ(fence("x", "diff"), "```diff\nx\n```\n");
  EXPECT_EQ(fence("a\n``` b\n"), "````\na\n``` b\n````\n");
  EXPECT_EQ(fence(""), "```\n```\n");
}

}  // namespace
}  // namespace gavel::review
