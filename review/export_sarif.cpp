// The SARIF 2.1.0 export: one run, one result per finding (docs/findings-format.md, "SARIF").
#include "review/export.hpp"

#include "review/json_io.hpp"
#include "review/priority.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace gavel::review {

namespace {

using nlohmann::json;

constexpr const char* k_sarif_schema_uri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

// Percent-encodes what may not stand in a URI path as it is (RFC 3986 pchar plus '/').
std::string uri_path(std::string_view path) {
  static constexpr std::string_view k_allowed = "-._~!$&'()*+,;=:@/";
  std::string out;
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 || k_allowed.find(c) != std::string_view::npos) {
      out += c;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned>(u));
      out += buf;
    }
  }
  return out;
}

// "gavel/<category>" with the category folded to [a-z0-9-]; "gavel/review" when none.
std::string rule_id(const std::string& category) {
  std::string id;
  for (char c : category) {
    auto u = static_cast<unsigned char>(c);
    id += std::isalnum(u) != 0 ? static_cast<char>(std::tolower(u)) : '-';
  }
  return "gavel/" + (id.empty() ? std::string("review") : id);
}

bool closed(FindingState s) {
  return s == FindingState::verified || s == FindingState::withdrawn;
}

bool suppressed(FindingState s) {
  return s == FindingState::dismissed || s == FindingState::waived;
}

// The reason of the latest transition into the finding's current state, if any.
std::string state_reason(const Finding& f) {
  for (auto it = f.history.rbegin(); it != f.history.rend(); ++it) {
    if (it->to == f.state) return it->reason;
  }
  return {};
}

json result_of(const Finding& f, int rule_index, const std::string& rule) {
  const RaisedFinding& r = f.raised;
  json region{{"startLine", std::max(1, r.location.lines.start)},
              {"endLine", std::max(std::max(1, r.location.lines.start), r.location.lines.end)}};
  json location{{"physicalLocation",
                 {{"artifactLocation", {{"uri", uri_path(r.location.path)}, {"uriBaseId", "SRCROOT"}}},
                  {"region", region}}}};
  json props{{"priority", to_string(r.priority)},
             {"state", to_string(f.state)},
             {"confidence", r.confidence},
             {"adjacent", f.adjacent},
             {"raisedBy", f.raised_by},
             {"raisedRound", f.raised_round},
             {"side", side_name(r.location.side)}};
  if (r.suggested_fix) props["suggestedFix"] = *r.suggested_fix;
  if (f.titles.size() > 1) props["titles"] = f.titles;
  json result{{"ruleId", rule},
              {"ruleIndex", rule_index},
              {"kind", closed(f.state) ? "pass" : "fail"},
              {"level", closed(f.state) ? std::string_view("none") : sarif_level(r.priority)},
              {"message", {{"text", r.body.empty() ? r.title : r.title + "\n\n" + r.body}}},
              {"locations", json::array({location})},
              {"properties", props}};
  if (!f.id.empty()) result["partialFingerprints"] = {{"gavelFindingId/v1", f.id}};
  if (suppressed(f.state)) {
    json s{{"kind", "external"}};
    std::string why = state_reason(f);
    s["justification"] = why.empty() ? std::string(to_string(f.state)) : why;
    result["suppressions"] = json::array({s});
  }
  return result;
}

}  // namespace

std::string_view sarif_level(Priority priority) noexcept {
  switch (priority) {
    case Priority::p0:
    case Priority::p1: return "error";
    case Priority::p2: return "warning";
    case Priority::p3: return "note";
  }
  return "warning";
}

std::string export_sarif(const ExportInput& input) {
  const ExportSession& s = input.session;
  json rules = json::array();
  std::vector<std::string> rule_ids;
  json results = json::array();
  for (const Finding& f : input.findings) {
    std::string rule = rule_id(f.raised.category);
    auto it = std::find(rule_ids.begin(), rule_ids.end(), rule);
    if (it == rule_ids.end()) {
      rule_ids.push_back(rule);
      std::string name = f.raised.category.empty() ? "review" : f.raised.category;
      rules.push_back({{"id", rule},
                       {"name", name},
                       {"shortDescription", {{"text", "gavel review finding: " + name}}}});
      it = rule_ids.end() - 1;
    }
    results.push_back(result_of(f, static_cast<int>(it - rule_ids.begin()), rule));
  }
  json driver{{"name", "gavel"}, {"rules", rules}};
  if (!s.tool_version.empty()) driver["version"] = s.tool_version;
  json run{{"tool", {{"driver", driver}}},
           {"results", results},
           {"columnKind", "unicodeCodePoints"},
           {"properties",
            {{"verdict", s.verdict},
             {"fingerprint", s.fingerprint},
             {"agents", s.agents},
             {"coverage", s.coverage_note},
             {"rejectedFindings", input.rejected.size()}}}};
  if (!s.fingerprint.empty()) run["automationDetails"] = {{"id", "gavel/" + s.fingerprint}};
  if (!s.repo.empty() && s.repo.front() == '/') {
    std::string root = "file://" + uri_path(s.repo);
    if (root.back() != '/') root += '/';
    run["originalUriBaseIds"] = {{"SRCROOT", {{"uri", root}}}};
    json vcs{{"repositoryUri", root}};
    if (!s.base_commit.empty()) vcs["revisionId"] = s.base_commit;
    run["versionControlProvenance"] = json::array({vcs});
  }
  json log{{"$schema", k_sarif_schema_uri}, {"version", "2.1.0"}, {"runs", json::array({run})}};
  return dump_json(log) + "\n";
}

}  // namespace gavel::review
