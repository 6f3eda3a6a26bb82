// GCC 12 reports a false -Wmaybe-uninitialized inside <regex> (used by json_schema_check.hpp)
// at -O2 with sanitizers (GCC bug 105562); it must be silenced before any standard header.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "review/export.hpp"

#include "review/json_io.hpp"
#include "tests/unit/review/json_schema_check.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace gavel::review {
namespace {

using nlohmann::json;

bool has(const std::string& text, const std::string& needle) {
  return text.find(needle) != std::string::npos;
}

Finding make(const std::string& id, Priority p, FindingState s, const std::string& path,
             const std::string& category = "bug") {
  Finding f;
  f.id = id;
  f.raised.title = "Title of " + id;
  f.raised.body = "Body of " + id + "\nsecond line";
  f.raised.priority = p;
  f.raised.confidence = 0.75;
  f.raised.location.path = path;
  f.raised.location.lines = {10, 12};
  f.raised.category = category;
  f.titles = {f.raised.title};
  f.raised_by = "codex";
  f.raised_round = 1;
  f.state = s;
  f.anchor = "int x = y / z;";
  return f;
}

ExportInput sample() {
  ExportInput in;
  in.session.repo = "/home/dev/my proj";
  in.session.base_commit = "0123456789abcdef0123456789abcdef01234567";
  in.session.fingerprint = "fp-9f2c";
  in.session.verdict = "blocked";
  in.session.agents = {"codex (reviewer)", "claude (implementer)"};
  in.session.coverage_note = "All 3 changed file(s) reviewed in one request.";
  in.session.tool_version = "0.1.0";
  in.session.generated_at_ms = 1764000000000;
  in.findings.push_back(make("f0", Priority::p0, FindingState::open, "src/a b#c.cpp", "Secret Leak!"));
  in.findings.push_back(make("f1", Priority::p1, FindingState::insisted, "src/b.cpp"));
  Finding f2 = make("f2", Priority::p2, FindingState::dismissed, "src/c.cpp", "");
  f2.history.push_back({FindingState::open, FindingState::dismissed, "human:ana", 1764000000001,
                        "Intentional: the constant is documented."});
  f2.titles.push_back("Old | title");
  in.findings.push_back(f2);
  Finding f3 = make("f3", Priority::p3, FindingState::verified, "docs/ünï.md", "style");
  f3.adjacent = true;
  f3.raised.suggested_fix = "--- a/docs/x.md\n+++ b/docs/x.md\n@@ -1 +1 @@\n-a\n+b\n";
  in.findings.push_back(f3);
  in.findings.push_back(make("f4", Priority::p2, FindingState::withdrawn, "src/d.cpp"));
  RaisedFinding bad = make("r", Priority::p1, FindingState::open, "../etc/passwd").raised;
  in.rejected.push_back({bad, "path leaves the repository (\"..\")"});
  return in;
}

std::string read_file(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const testing::SchemaCheck& sarif_schema() {
  static const testing::SchemaCheck check(
      json::parse(read_file(std::string(GAVEL_TEST_DATA_DIR) + "/sarif/sarif-schema-2.1.0.json")));
  return check;
}

std::string joined(const std::vector<std::string>& errors) {
  std::string out;
  for (const auto& e : errors) out += e + "\n";
  return out;
}

TEST(ExportJson, DocumentedShape) {
  json j = json::parse(export_json(sample()));
  EXPECT_EQ(j["format"], "gavel.findings");
  EXPECT_EQ(j["version"], k_findings_format_version);
  EXPECT_EQ(j["session"]["verdict"], "blocked");
  EXPECT_EQ(j["session"]["tool"]["name"], "gavel");
  ASSERT_EQ(j["findings"].size(), 5u);
  const json& f0 = j["findings"][0];
  EXPECT_EQ(f0["id"], "f0");
  EXPECT_EQ(f0["priority"], "P0");
  EXPECT_EQ(f0["priority_level"], 0);
  EXPECT_EQ(f0["state"], "open");
  EXPECT_EQ(f0["location"]["start_line"], 10);
  EXPECT_EQ(f0["location"]["side"], "new");
  EXPECT_TRUE(f0["suggested_fix"].is_null());
  EXPECT_EQ(j["findings"][2]["history"][0]["to"], "dismissed");
  EXPECT_EQ(j["rejected"][0]["reason"], "path leaves the repository (\"..\")");
}

TEST(ExportJson, RoundTrips) {
  ExportInput in = sample();
  std::string first = export_json(in);
  auto back = import_json(first);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(export_json(*back), first);
  EXPECT_EQ(back->findings[3].raised.suggested_fix, in.findings[3].raised.suggested_fix);
  EXPECT_TRUE(back->findings[3].adjacent);
}

TEST(ExportJson, ImportRejectsOtherDocuments) {
  EXPECT_FALSE(import_json("not json"));
  EXPECT_FALSE(import_json(R"({"format":"other","version":1})"));
  EXPECT_FALSE(import_json(R"({"format":"gavel.findings","version":99})"));
  auto bad = import_json(
      R"({"format":"gavel.findings","version":1,"session":{},"findings":[{"id":"x","priority":"P9"}]})");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::parse);
  auto bad_state = import_json(
      R"({"format":"gavel.findings","version":1,"session":{},"findings":[{"id":"x","title":"t","body":"b","priority":"P1","confidence":0.5,"location":{"path":"a","start_line":1,"end_line":1},"state":"zombie"}]})");
  ASSERT_FALSE(bad_state);
  EXPECT_TRUE(has(bad_state.error().message, "zombie"));
}

TEST(ExportJson, InvalidUtf8InAnchorsDoesNotThrow) {
  ExportInput in = sample();
  in.findings[0].anchor = "caf\xe9 \xff";
  std::string out;
  EXPECT_NO_THROW(out = export_json(in));
  EXPECT_TRUE(json::accept(out));
}

TEST(ExportSarif, ValidatesAgainstTheOfficialSchema) {
  EXPECT_TRUE(sarif_schema().unsupported_keywords().empty());
  json log = json::parse(export_sarif(sample()));
  EXPECT_EQ(joined(sarif_schema().errors(log)), "");
  ExportInput empty;
  EXPECT_EQ(joined(sarif_schema().errors(json::parse(export_sarif(empty)))), "");
}

TEST(ExportSarif, TheValidatorIsNotVacuous) {
  json log = json::parse(export_sarif(sample()));
  json bad_level = log;
  bad_level["runs"][0]["results"][0]["level"] = "fatal";
  EXPECT_FALSE(sarif_schema().errors(bad_level).empty());
  json extra = log;
  extra["runs"][0]["results"][0]["severity"] = 1;
  EXPECT_FALSE(sarif_schema().errors(extra).empty());
  json no_version = log;
  no_version.erase("version");
  EXPECT_FALSE(sarif_schema().errors(no_version).empty());
  json bad_line = log;
  bad_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0;
  EXPECT_FALSE(sarif_schema().errors(bad_line).empty());
  json no_message = log;
  no_message["runs"][0]["results"][0]["message"] = json::object();
  EXPECT_FALSE(sarif_schema().errors(no_message).empty());  // anyOf text|id
}

TEST(ExportSarif, MapsPrioritiesStatesAndLocations) {
  EXPECT_EQ(sarif_level(Priority::p0), "error");
  EXPECT_EQ(sarif_level(Priority::p1), "error");
  EXPECT_EQ(sarif_level(Priority::p2), "warning");
  EXPECT_EQ(sarif_level(Priority::p3), "note");
  json log = json::parse(export_sarif(sample()));
  const json& run = log["runs"][0];
  const json& results = run["results"];
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_EQ(run["tool"]["driver"]["name"], "gavel");
  EXPECT_EQ(results[0]["level"], "error");
  EXPECT_EQ(results[0]["ruleId"], "gavel/secret-leak-");
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "src/a%20b%23c.cpp");
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["region"]["endLine"], 12);
  EXPECT_EQ(results[0]["partialFingerprints"]["gavelFindingId/v1"], "f0");
  EXPECT_EQ(results[1]["level"], "error");
  EXPECT_EQ(results[2]["level"], "warning");
  EXPECT_EQ(results[2]["ruleId"], "gavel/review");
  EXPECT_EQ(results[2]["suppressions"][0]["justification"], "Intentional: the constant is documented.");
  EXPECT_EQ(results[3]["kind"], "pass");
  EXPECT_EQ(results[3]["level"], "none");
  EXPECT_EQ(results[3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "docs/%C3%BCn%C3%AF.md");
  EXPECT_EQ(results[3]["properties"]["adjacent"], true);
  EXPECT_TRUE(results[3]["properties"].contains("suggestedFix"));
  EXPECT_EQ(results[4]["kind"], "pass");
  EXPECT_EQ(run["originalUriBaseIds"]["SRCROOT"]["uri"], "file:///home/dev/my%20proj/");
  EXPECT_EQ(run["versionControlProvenance"][0]["revisionId"], sample().session.base_commit);
  // rules are unique and ruleIndex points at the rule with the result's ruleId
  const json& rules = run["tool"]["driver"]["rules"];
  for (const json& r : results) {
    EXPECT_EQ(rules[r["ruleIndex"].get<std::size_t>()]["id"], r["ruleId"]);
  }
  EXPECT_EQ(rules.size(), 4u);
}

TEST(ExportMarkdown, ForPeople) {
  std::string md = export_markdown(sample());
  EXPECT_EQ(md.rfind("# gavel review: blocked\n", 0), 0u);
  EXPECT_TRUE(has(md, "| Repository | `/home/dev/my proj` |"));
  EXPECT_TRUE(has(md, "**5 finding(s)**: P0 1 · P1 1 · P2 2 · P3 1 (1 adjacent, never blocking); 1 rejected"));
  EXPECT_TRUE(has(md, "| P0 | open | `src/a b#c.cpp:10-12` | Title of f0 |"));
  // sorted by priority: P0 row before P3 row
  EXPECT_LT(md.find("| P0 |"), md.find("| P3 |"));
  EXPECT_TRUE(has(md, "> Body of f0\n> second line\n"));
  EXPECT_TRUE(has(md, "Suggested fix:\n\n```diff\n--- a/docs/x.md"));
  EXPECT_TRUE(has(md, "- open → dismissed by human:ana: Intentional: the constant is documented."));
  EXPECT_TRUE(has(md, "## Rejected findings"));
  EXPECT_TRUE(has(md, "`../etc/passwd:10-12`: path leaves the repository"));
  ExportInput pipes = sample();
  pipes.findings[0].raised.title = "a | b `c`";
  std::string md2 = export_markdown(pipes);
  EXPECT_TRUE(has(md2, "| a \\| b `c` |"));
  EXPECT_TRUE(has(export_markdown(ExportInput{}), "No findings."));
}

TEST(JsonIo, FindingRoundTrip) {
  Finding f = sample().findings[2];
  json j = f;
  auto back = finding_from_json(j);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(json(*back), j);
  EXPECT_FALSE(finding_from_json(json::object()));
  EXPECT_FALSE(raised_finding_from_json(json::array()));
}

}  // namespace
}  // namespace gavel::review
