// The JSON export: gavel's own findings format (docs/findings-format.md).
#include "review/export.hpp"

#include "review/json_io.hpp"

namespace gavel::review {

namespace {

using nlohmann::json;

json session_json(const ExportSession& s) {
  return json{{"repo", s.repo},
              {"base_commit", s.base_commit},
              {"fingerprint", s.fingerprint},
              {"verdict", s.verdict},
              {"agents", s.agents},
              {"coverage", s.coverage_note},
              {"tool", json{{"name", "gavel"}, {"version", s.tool_version}}},
              {"generated_at_ms", s.generated_at_ms}};
}

}  // namespace

std::string export_json(const ExportInput& input) {
  json j{{"format", "gavel.findings"},
         {"version", k_findings_format_version},
         {"session", session_json(input.session)},
         {"findings", input.findings},
         {"rejected", input.rejected}};
  return dump_json(j) + "\n";
}

Result<ExportInput> import_json(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fail(Errc::parse, "not a JSON object");
  if (j.value("format", std::string()) != "gavel.findings") {
    return fail(Errc::parse, "not a gavel findings export (\"format\" is not \"gavel.findings\")");
  }
  if (!j.contains("version") || !j["version"].is_number_integer() ||
      j["version"].get<int>() != k_findings_format_version) {
    return fail(Errc::parse, "unsupported findings format version");
  }
  ExportInput out;
  try {
    const json& s = j.at("session");
    out.session.repo = s.value("repo", std::string());
    out.session.base_commit = s.value("base_commit", std::string());
    out.session.fingerprint = s.value("fingerprint", std::string());
    out.session.verdict = s.value("verdict", std::string());
    out.session.agents = s.value("agents", std::vector<std::string>{});
    out.session.coverage_note = s.value("coverage", std::string());
    if (auto t = s.find("tool"); t != s.end() && t->is_object()) {
      out.session.tool_version = t->value("version", std::string());
    }
    out.session.generated_at_ms = s.value("generated_at_ms", std::int64_t{0});
  } catch (const json::exception& e) {
    return fail(Errc::parse, std::string("invalid session: ") + e.what());
  }
  const json& findings = j.contains("findings") ? j["findings"] : json::array();
  if (!findings.is_array()) return fail(Errc::parse, "\"findings\" must be an array");
  for (const json& f : findings) {
    auto finding = finding_from_json(f);
    if (!finding) return finding.error();
    out.findings.push_back(std::move(*finding));
  }
  const json& rejected = j.contains("rejected") ? j["rejected"] : json::array();
  if (!rejected.is_array()) return fail(Errc::parse, "\"rejected\" must be an array");
  for (const json& r : rejected) {
    auto finding = rejected_finding_from_json(r);
    if (!finding) return finding.error();
    out.rejected.push_back(std::move(*finding));
  }
  return out;
}

}  // namespace gavel::review
