// GCC 12 reports a false -Wmaybe-uninitialized inside <regex> (used by json_schema_check.hpp)
// at -O2 with sanitizers (GCC bug 105562); it must be silenced before any standard header.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "review/report_parser.hpp"

#include "tests/unit/review/json_schema_check.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <set>
#include <fstream>
#include <sstream>

namespace gavel::review {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* k_root = "/tmp/gavel-fixture";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path data_dir() { return fs::path(GAVEL_TEST_DATA_DIR) / "agent_output"; }

// A valid review with one finding; `patch` edits the finding before it is dumped.
json review_with(const std::function<void(json&)>& patch = {}) {
  json f{{"title", "[P1] Null dereference"},
         {"body", "`p` may be null here."},
         {"confidence_score", 0.7},
         {"priority", 1},
         {"code_location",
          {{"absolute_file_path", "/tmp/gavel-fixture/src/a.cpp"},
           {"line_range", {{"start", 3}, {"end", 4}}}}}};
  json r{{"findings", json::array({f})},
         {"overall_correctness", "patch is incorrect"},
         {"overall_explanation", "One bug."},
         {"overall_confidence_score", 0.6}};
  if (patch) patch(r);
  return r;
}

Result<ReviewReport> parse(const json& j) {
  return parse_review_report(j.dump(), ParseOptions{k_root});
}

TEST(ReportParser, RecordedOutputsParseOrFailAsNamed) {
  int seen = 0;
  for (const auto& entry : fs::directory_iterator(data_dir())) {
    std::string name = entry.path().filename().string();
    std::string text = read_file(entry.path());
    bool ok = name.rfind("ok_", 0) == 0;
    bool review = name.find("_review_") != std::string::npos;
    SCOPED_TRACE(name);
    if (review) {
      auto r = parse_review_report(text, ParseOptions{k_root});
      EXPECT_EQ(r.has_value(), ok) << (r ? "" : r.error().message);
      if (!ok && !r) {
        EXPECT_EQ(r.error().code, Errc::parse);
      }
    } else {
      auto r = parse_implementer_report(text);
      EXPECT_EQ(r.has_value(), ok) << (r ? "" : r.error().message);
      if (!ok && !r) {
        EXPECT_EQ(r.error().code, Errc::parse);
      }
    }
    ++seen;
  }
  EXPECT_GE(seen, 15);
}

TEST(ReportParser, CodexFindingsAreRelativizedAndUntagged) {
  auto r = parse_review_report(read_file(data_dir() / "ok_review_codex_findings.json"),
                               ParseOptions{k_root});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->findings.size(), 2u);
  const RaisedFinding& f = r->findings[0];
  EXPECT_EQ(f.title, "Off-by-one lets the loop read past the buffer");
  EXPECT_EQ(f.priority, Priority::p1);
  EXPECT_DOUBLE_EQ(f.confidence, 0.82);
  EXPECT_EQ(f.location.path, "src/parse.c");
  EXPECT_EQ(f.location.lines.start, 44);
  EXPECT_EQ(f.location.lines.end, 45);
  EXPECT_EQ(r->findings[1].location.path, "src/io.c");
  EXPECT_EQ(r->overall_correct, std::optional<bool>(false));
  EXPECT_DOUBLE_EQ(r->overall_confidence, 0.77);
}

TEST(ReportParser, EmptyFindingsFromValidJsonIsACleanReview) {
  auto r = parse_review_report(read_file(data_dir() / "ok_review_codex_clean.json"));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->findings.empty());
  EXPECT_EQ(r->overall_correct, std::optional<bool>(true));
}

TEST(ReportParser, FencedJsonWithExtras) {
  auto r = parse_review_report(read_file(data_dir() / "ok_review_claude_fenced.md"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].category, "bug");
  ASSERT_TRUE(r->findings[0].suggested_fix);
  EXPECT_NE(r->findings[0].suggested_fix->find("+++ b/src/http/client.cpp"), std::string::npos);
  EXPECT_EQ(r->findings[0].location.path, "src/http/client.cpp");  // relative stays relative
}

TEST(ReportParser, NestedStructuredOutputIsFound) {
  auto r = parse_review_report(read_file(data_dir() / "ok_review_claude_structured_output.json"),
                               ParseOptions{k_root});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].priority, Priority::p0);
  EXPECT_EQ(r->findings[0].category, "secret");
  EXPECT_FALSE(r->findings[0].suggested_fix);
  EXPECT_EQ(r->findings[0].location.path, "config/dev.toml");
}

TEST(ReportParser, JsonInsideAResultString) {
  json outer{{"type", "result"},
             {"result", "Here you go:\n```json\n" + review_with().dump() + "\n```\n"}};
  auto r = parse_review_report(outer.dump());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->findings.size(), 1u);
}

TEST(ReportParser, ProseAroundJsonWithStrayBraces) {
  auto r = parse_review_report(read_file(data_dir() / "ok_review_prose_wrapped.txt"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].priority, Priority::p3);
}

TEST(ReportParser, PicksTheCandidateThatValidates) {
  auto r = parse_review_report(read_file(data_dir() / "ok_review_echo_then_answer.txt"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->findings.size(), 1u);
  EXPECT_EQ(r->findings[0].title, "Division by zero when the list is empty");
}

TEST(ReportParser, LastValidCandidateWins) {
  json first = review_with();
  json second = review_with([](json& j) { j["findings"] = json::array(); });
  auto r = parse_review_report(first.dump() + "\nCorrected:\n" + second.dump());
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->findings.empty());
}

TEST(ReportParser, InvalidAnswerAfterValidExampleIsAnError) {
  // The agent restates the format with a clean example, then answers with a malformed report:
  // the example must not be read as its (empty) review.
  json example = review_with([](json& j) { j["findings"] = json::array(); });
  json answer = review_with([](json& j) { j["findings"][0]["priority"] = 5; });
  auto r = parse_review_report("Format:\n" + example.dump() + "\nMy review:\n" + answer.dump());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::parse);
  EXPECT_NE(r.error().message.find("priority"), std::string::npos) << r.error().message;
}

TEST(ReportParser, BracesInsideStringsDoNotConfuseTheScanner) {
  json j = review_with([](json& r) { r["findings"][0]["body"] = "a } b { c \" } {{"; });
  auto r = parse_review_report("text { not json " + j.dump() + " trailing }");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->findings[0].body, "a } b { c \" } {{");
}

TEST(ReportParser, PriorityFieldWinsOverTag) {
  auto r = parse(review_with([](json& j) { j["findings"][0]["title"] = "[P0] Leak"; }));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->findings[0].priority, Priority::p1);
  EXPECT_EQ(r->findings[0].title, "Leak");
}

TEST(ReportParser, TagSuppliesMissingOrNullPriority) {
  auto tag_only = parse_review_report(read_file(data_dir() / "ok_review_tag_only_priority.json"));
  ASSERT_TRUE(tag_only);
  EXPECT_EQ(tag_only->findings[0].priority, Priority::p0);
  EXPECT_EQ(tag_only->findings[0].title, "Drops the user's table on migration");
  auto null_priority = parse(review_with([](json& j) {
    j["findings"][0]["priority"] = nullptr;
    j["findings"][0]["title"] = "  [p2]   Slow path";
  }));
  ASSERT_TRUE(null_priority);
  EXPECT_EQ(null_priority->findings[0].priority, Priority::p2);
  EXPECT_EQ(null_priority->findings[0].title, "Slow path");
}

TEST(ReportParser, IntegralFloatPriorityAccepted) {
  auto r = parse(review_with([](json& j) { j["findings"][0]["priority"] = 2.0; }));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->findings[0].priority, Priority::p2);
}

TEST(ReportParser, PriorVerdictsByIdOrTitle) {
  auto r = parse_review_report(read_file(data_dir() / "ok_review_rereview_prior.json"));
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->prior.size(), 3u);
  EXPECT_EQ(r->prior[0].id, "f-3a9c01");
  EXPECT_EQ(r->prior[0].verdict, PriorVerdict::Kind::resolved);
  EXPECT_EQ(r->prior[1].title, "Mutex held across await");
  EXPECT_EQ(r->prior[1].verdict, PriorVerdict::Kind::withdrawn);
  EXPECT_EQ(r->prior[2].verdict, PriorVerdict::Kind::still_open);
  EXPECT_TRUE(r->prior[2].note.empty());
}

TEST(ReportParser, UnknownKeysAreIgnored) {
  auto r = parse(review_with([](json& j) {
    j["model"] = "gpt-x";
    j["findings"][0]["severity"] = "high";
  }));
  EXPECT_TRUE(r);
}

struct StrictCase {
  const char* name;
  std::function<void(json&)> patch;
  const char* reason;  // expected substring of the error message
};

TEST(ReportParser, StrictAboutTypesRangesAndRequiredKeys) {
  auto finding = [](json& j) -> json& { return j["findings"][0]; };
  const std::vector<StrictCase> cases = {
      {"priority string", [&](json& j) { finding(j)["priority"] = "high"; }, "findings[0].priority"},
      {"priority 4", [&](json& j) { finding(j)["priority"] = 4; }, "from 0 to 3"},
      {"priority -1", [&](json& j) { finding(j)["priority"] = -1; }, "from 0 to 3"},
      {"priority 1.5", [&](json& j) { finding(j)["priority"] = 1.5; }, "from 0 to 3"},
      {"priority huge", [&](json& j) { finding(j)["priority"] = 18446744073709551615ull; }, "priority"},
      {"priority bool", [&](json& j) { finding(j)["priority"] = true; }, "must be an integer"},
      {"no priority no tag", [&](json& j) { finding(j).erase("priority"); finding(j)["title"] = "Leak"; }, "priority"},
      {"confidence 1.5", [&](json& j) { finding(j)["confidence_score"] = 1.5; }, "between 0 and 1"},
      {"confidence string", [&](json& j) { finding(j)["confidence_score"] = "0.9"; }, "must be a number"},
      {"confidence missing", [&](json& j) { finding(j).erase("confidence_score"); }, "confidence_score"},
      {"start 0", [&](json& j) { finding(j)["code_location"]["line_range"]["start"] = 0; }, "start"},
      {"end before start", [&](json& j) { finding(j)["code_location"]["line_range"]["end"] = 2; }, "is before start"},
      {"start string", [&](json& j) { finding(j)["code_location"]["line_range"]["start"] = "3"; }, "must be an integer"},
      {"no line_range", [&](json& j) { finding(j)["code_location"].erase("line_range"); }, "line_range"},
      {"no code_location", [&](json& j) { finding(j).erase("code_location"); }, "code_location"},
      {"code_location array", [&](json& j) { finding(j)["code_location"] = json::array(); }, "must be an object"},
      {"empty path", [&](json& j) { finding(j)["code_location"]["absolute_file_path"] = " "; }, "is empty"},
      {"no title", [&](json& j) { finding(j).erase("title"); }, "title"},
      {"title only tag", [&](json& j) { finding(j)["title"] = "[P1] "; }, "title is empty"},
      {"no body", [&](json& j) { finding(j).erase("body"); }, "body"},
      {"finding not object", [&](json& j) { j["findings"][0] = "oops"; }, "must be an object"},
      {"findings object", [&](json& j) { j["findings"] = json::object(); }, "must be an array"},
      {"no findings", [&](json& j) { j.erase("findings"); }, ""},
      {"bad correctness", [&](json& j) { j["overall_correctness"] = "looks good"; }, "overall_correctness"},
      {"no explanation", [&](json& j) { j.erase("overall_explanation"); }, "overall_explanation"},
      {"no overall confidence", [&](json& j) { j.erase("overall_confidence_score"); }, "overall_confidence_score"},
      {"prior not array", [&](json& j) { j["prior"] = "none"; }, "prior"},
      {"prior no id/title", [&](json& j) { j["prior"] = json::array({{{"verdict", "resolved"}}}); }, "needs an \"id\" or a \"title\""},
      {"prior bad verdict", [&](json& j) { j["prior"] = json::array({{{"id", "x"}, {"verdict", "fixed"}}}); }, "verdict"},
  };
  for (const StrictCase& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = parse(review_with(c.patch));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::parse);
    EXPECT_NE(r.error().message.find(c.reason), std::string::npos) << r.error().message;
  }
}

TEST(ReportParser, MalformedOutputIsNeverAnEmptyReview) {
  for (const char* text : {"", "   ", "{}", "[]", "null", "{\"findings\":", "```json\n```",
                           "no json here", "{\"findings\": []}", "{{{{{{{{"}) {
    SCOPED_TRACE(text);
    auto r = parse_review_report(text);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::parse);
  }
}

TEST(ReportParser, FailureCarriesReasonAndBoundedUtf8Excerpt) {
  std::string text = "\xff\xfe garbage " + std::string(5000, 'x') + " \xc3";
  auto r = parse_review_report(text);
  ASSERT_FALSE(r);
  EXPECT_LE(r.error().message.size(), 200 + k_max_excerpt_bytes);
  EXPECT_NO_THROW(static_cast<void>(json(r.error().message).dump()));  // valid UTF-8
  EXPECT_NE(r.error().message.find("near: ??"), std::string::npos) << r.error().message;
}

TEST(ReportParser, InvalidJsonReportsTheSyntaxError) {
  auto r = parse_review_report("{\"findings\": [1, 2,], \"x\": }");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("invalid JSON"), std::string::npos) << r.error().message;
}

TEST(ReportParser, OversizeOutputRefused) {
  std::string big(k_max_agent_output_bytes + 1, ' ');
  auto r = parse_review_report(big);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("limit"), std::string::npos);
}

TEST(ReportParser, PathologicalInputStaysLinear) {
  std::string nested;
  for (int i = 0; i < 20000; ++i) nested += "{\"a\":";
  std::string unterminated;
  for (int i = 0; i < 20000; ++i) unterminated += "{ \"x ";
  std::string many;
  for (int i = 0; i < 5000; ++i) many += "{\"findings\":1} ";
  const std::vector<std::string> inputs = {std::string(2u << 20, '{'), nested, unterminated, many,
                                           std::string(1u << 20, '}') + "{"};
  for (const std::string& text : inputs) {
    auto start = std::chrono::steady_clock::now();
    auto r = parse_review_report(text);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::steady_clock::now() - start).count();
    EXPECT_FALSE(r);
    EXPECT_LT(ms, 3000) << text.substr(0, 20);
  }
}

TEST(ReportParser, ParseFailureToError) {
  Error e = to_error(ParseFailure{"bad thing", "{\"x\""});
  EXPECT_EQ(e.code, Errc::parse);
  EXPECT_EQ(e.message, "bad thing (near: {\"x\")");
}

TEST(ReportParser, RelativizePath) {
  EXPECT_EQ(relativize_path("/repo/src/a.c", "/repo"), "src/a.c");
  EXPECT_EQ(relativize_path("/repo/src/a.c", "/repo/"), "src/a.c");
  EXPECT_EQ(relativize_path("/repo//src/a.c", "/repo"), "src/a.c");
  EXPECT_EQ(relativize_path("/repo2/a.c", "/repo"), "/repo2/a.c");  // prefix, not parent
  EXPECT_EQ(relativize_path("/etc/passwd", "/repo"), "/etc/passwd");
  EXPECT_EQ(relativize_path("/repo", "/repo"), "/repo");
  EXPECT_EQ(relativize_path("src/a.c", "/repo"), "src/a.c");
  EXPECT_EQ(relativize_path("/repo/../etc/x", "/repo"), "../etc/x");  // location_check rejects
  EXPECT_EQ(relativize_path("/a.c", "/"), "a.c");
  EXPECT_EQ(relativize_path("/repo/a.c", ""), "/repo/a.c");
}

TEST(ReportParser, StripPriorityTag) {
  std::string t = "[P3] nit";
  EXPECT_EQ(strip_priority_tag(t), 3);
  EXPECT_EQ(t, "nit");
  t = "[P4] no";
  EXPECT_EQ(strip_priority_tag(t), -1);
  EXPECT_EQ(t, "[P4] no");
  t = "Fix [P1] later";
  EXPECT_EQ(strip_priority_tag(t), -1);
  t = "[P1]";
  EXPECT_EQ(strip_priority_tag(t), 1);
  EXPECT_EQ(t, "");
}

TEST(ImplementerParser, FixedAndDisputed) {
  auto r = parse_implementer_report(read_file(data_dir() / "ok_impl_fixed.json"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->patch.empty());
  ASSERT_EQ(r->responses.size(), 2u);
  EXPECT_EQ(r->responses[0].action, FindingResponse::Action::fixed);
  EXPECT_EQ(r->responses[1].action, FindingResponse::Action::disputed);
  EXPECT_EQ(r->responses[1].finding, "Mutex held across await");
  EXPECT_EQ(r->summary, "Fixed the over-read; disputed the mutex finding.");
}

TEST(ImplementerParser, FencedPatch) {
  auto r = parse_implementer_report(read_file(data_dir() / "ok_impl_patch_fenced.md"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->patch.rfind("diff --git a/src/parse.c", 0), 0u);
  EXPECT_EQ(r->responses.size(), 1u);
}

TEST(ImplementerParser, Strictness) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {R"({"patch":null,"summary":"x"})", "responses"},
      {R"({"patch":5,"responses":[],"summary":""})", "patch must be a string"},
      {R"({"responses":[{"action":"fixed","rationale":"r"}]})", "finding"},
      {R"({"responses":[{"finding":" ","action":"fixed"}]})", "finding is empty"},
      {R"({"responses":[{"finding":"a","action":"skip"}]})", "action"},
      {R"({"responses":[{"finding":"a","action":"disputed"}]})", "rationale is required"},
      {R"({"responses":"none"})", "must be an array"},
      {R"({"responses":[7]})", "must be an object"},
  };
  for (const auto& [text, reason] : cases) {
    SCOPED_TRACE(text);
    auto r = parse_implementer_report(text);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::parse);
    EXPECT_NE(r.error().message.find(reason), std::string::npos) << r.error().message;
  }
  auto ok = parse_implementer_report(R"({"responses":[]})");
  ASSERT_TRUE(ok);
  EXPECT_TRUE(ok->responses.empty());
}

// OpenAI strict mode: every object lists all properties as required, additionalProperties false.
void expect_strict(const json& schema, const std::string& path) {
  if (!schema.is_object()) return;
  if (schema.value("type", json()) == "object") {
    EXPECT_EQ(schema.value("additionalProperties", true), false) << path;
    std::set<std::string> props;
    for (const auto& [k, v] : schema.at("properties").items()) props.insert(k);
    std::set<std::string> required;
    for (const json& r : schema.at("required")) required.insert(r.get<std::string>());
    EXPECT_EQ(props, required) << path;
  }
  for (const auto& [k, v] : schema.items()) {
    if (k == "properties") {
      for (const auto& [name, sub] : v.items()) expect_strict(sub, path + "/" + name);
    } else if (k == "items") {
      expect_strict(v, path + "/items");
    }
  }
}

TEST(OutputSchemas, AreStrictModeCompatible) {
  json reviewer = json::parse(reviewer_output_schema());
  json implementer = json::parse(implementer_output_schema());
  expect_strict(reviewer, "reviewer");
  expect_strict(implementer, "implementer");
  EXPECT_TRUE(testing::SchemaCheck(reviewer).unsupported_keywords().empty());
  // Claude Code 2.1.197 silently ignores a --json-schema that declares draft 2020-12 (the
  // real-client test shows it), so the schemas declare no draft at all.
  EXPECT_FALSE(reviewer.contains("$schema"));
  EXPECT_FALSE(implementer.contains("$schema"));
}

TEST(OutputSchemas, AcceptWhatTheParserAcceptsInFullForm) {
  testing::SchemaCheck reviewer(json::parse(reviewer_output_schema()));
  testing::SchemaCheck implementer(json::parse(implementer_output_schema()));
  json full = review_with([](json& j) {
    j["findings"][0]["category"] = nullptr;
    j["findings"][0]["suggested_fix"] = "--- a/x\n+++ b/x\n";
    j["prior"] = json::array({{{"id", "f1"}, {"title", nullptr}, {"verdict", "resolved"}, {"note", ""}}});
  });
  EXPECT_TRUE(reviewer.errors(full).empty());
  EXPECT_TRUE(parse(full));
  json impl = json::parse(read_file(data_dir() / "ok_impl_fixed.json"));
  EXPECT_TRUE(implementer.errors(impl).empty());
  // and reject what the parser rejects
  EXPECT_FALSE(reviewer.errors(review_with([](json& j) { j["findings"][0]["priority"] = 7; })).empty());
}

}  // namespace
}  // namespace gavel::review
