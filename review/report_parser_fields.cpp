// JSON -> ReviewReport / ImplementerReport: the strict half of the parser. Each check names the
// offending field by its JSON path, e.g. "findings[2].code_location.line_range.end".
#include "review/report_parser_detail.hpp"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <optional>

namespace gavel::review::detail {

namespace {

using nlohmann::json;

enum class Need { required, optional };

// Reads typed fields of one JSON object; the first problem is kept in `error`.
class Fields {
 public:
  Fields(const json& obj, std::string path) : m_obj(obj), m_path(std::move(path)) {}

  std::string error;

  std::string where(const char* key) const { return m_path.empty() ? key : m_path + "." + key; }

  // A string; absent or null gives nullopt (an error when required).
  std::optional<std::string> string(const char* key, Need need) {
    const json* v = find(key, need);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) return fail<std::string>(where(key) + " must be a string");
    return v->get<std::string>();
  }

  std::optional<double> unit_number(const char* key, Need need) {
    const json* v = find(key, need);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number()) return fail<double>(where(key) + " must be a number");
    double d = v->get<double>();
    if (!std::isfinite(d) || d < 0.0 || d > 1.0) {
      return fail<double>(where(key) + " must be between 0 and 1, got " + v->dump());
    }
    return d;
  }

  // An integer in [lo, hi]; an integral float such as 2.0 is accepted.
  std::optional<int> integer(const char* key, Need need, std::int64_t lo, std::int64_t hi) {
    const json* v = find(key, need);
    if (v == nullptr) return std::nullopt;
    bool ok = false;
    std::int64_t n = 0;
    if (v->is_number_unsigned()) {
      auto u = v->get<std::uint64_t>();
      ok = u <= static_cast<std::uint64_t>(hi);
      n = ok ? static_cast<std::int64_t>(u) : 0;
    } else if (v->is_number_integer()) {
      n = v->get<std::int64_t>();
      ok = true;
    } else if (v->is_number_float()) {
      double d = v->get<double>();
      ok = std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 1e15;
      n = ok ? static_cast<std::int64_t>(d) : 0;
    } else {
      return fail<int>(where(key) + " must be an integer");
    }
    if (!ok || n < lo || n > hi) {
      return fail<int>(where(key) + " must be an integer from " + std::to_string(lo) + " to " +
                       std::to_string(hi) + ", got " + v->dump());
    }
    return static_cast<int>(n);
  }

  // A nested object; nullopt when absent (an error when required) or not an object.
  const json* object(const char* key, Need need) {
    const json* v = find(key, need);
    if (v != nullptr && !v->is_object()) return fail_ptr(where(key) + " must be an object");
    return v;
  }

  const json* array(const char* key, Need need) {
    const json* v = find(key, need);
    if (v != nullptr && !v->is_array()) return fail_ptr(where(key) + " must be an array");
    return v;
  }

 private:
  const json* find(const char* key, Need need) {
    if (!error.empty()) return nullptr;
    auto it = m_obj.find(key);
    if (it == m_obj.end() || it->is_null()) {
      if (need == Need::required) error = "missing required key " + where(key);
      return nullptr;
    }
    return &*it;
  }
  template <class T>
  std::optional<T> fail(std::string why) {
    if (error.empty()) error = std::move(why);
    return std::nullopt;
  }
  const json* fail_ptr(std::string why) {
    if (error.empty()) error = std::move(why);
    return nullptr;
  }

  const json& m_obj;
  std::string m_path;
};

std::string trimmed(std::string s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string lowered(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string finding_from_json(const json& j, const std::string& path, const ParseOptions& options,
                              RaisedFinding& out) {
  if (!j.is_object()) return path + " must be an object";
  Fields f(j, path);
  auto title = f.string("title", Need::required);
  auto body = f.string("body", Need::required);
  auto confidence = f.unit_number("confidence_score", Need::required);
  auto priority = f.integer("priority", Need::optional, 0, 3);
  const json* loc = f.object("code_location", Need::required);
  auto category = f.string("category", Need::optional);
  auto fix = f.string("suggested_fix", Need::optional);
  if (!f.error.empty()) return f.error;

  Fields l(*loc, path + ".code_location");
  auto file = l.string("absolute_file_path", Need::required);
  const json* range = l.object("line_range", Need::required);
  if (!l.error.empty()) return l.error;
  Fields r(*range, path + ".code_location.line_range");
  auto start = r.integer("start", Need::required, 1, 100'000'000);
  auto end = r.integer("end", Need::required, 1, 100'000'000);
  if (!r.error.empty()) return r.error;
  if (*end < *start) {
    return r.where("end") + " (" + std::to_string(*end) + ") is before start (" +
           std::to_string(*start) + ")";
  }

  out.title = trimmed(*title);
  int tag = strip_priority_tag(out.title);
  if (out.title.empty()) return path + ".title is empty";
  if (!priority && tag < 0) return "missing required key " + path + ".priority (and no [P0]-[P3] tag)";
  out.priority = static_cast<Priority>(priority ? *priority : tag);
  out.body = *body;
  out.confidence = *confidence;
  std::string file_path = trimmed(*file);
  if (file_path.empty()) return l.where("absolute_file_path") + " is empty";
  out.location.path = relativize_path(file_path, options.repo_root);
  out.location.lines = LineRange{*start, *end};
  out.location.side = Side::new_side;
  out.category = category ? trimmed(*category) : std::string();
  if (fix && !trimmed(*fix).empty()) out.suggested_fix = *fix;
  return {};
}

std::string prior_from_json(const json& j, const std::string& path, PriorVerdict& out) {
  if (!j.is_object()) return path + " must be an object";
  Fields f(j, path);
  auto id = f.string("id", Need::optional);
  auto title = f.string("title", Need::optional);
  auto verdict = f.string("verdict", Need::required);
  auto note = f.string("note", Need::optional);
  if (!f.error.empty()) return f.error;
  out.id = id ? trimmed(*id) : std::string();
  out.title = title ? trimmed(*title) : std::string();
  if (out.id.empty() && out.title.empty()) return path + " needs an \"id\" or a \"title\"";
  std::string v = lowered(trimmed(*verdict));
  if (v == "resolved") {
    out.verdict = PriorVerdict::Kind::resolved;
  } else if (v == "still_open") {
    out.verdict = PriorVerdict::Kind::still_open;
  } else if (v == "withdrawn") {
    out.verdict = PriorVerdict::Kind::withdrawn;
  } else {
    return path + ".verdict must be \"resolved\", \"still_open\" or \"withdrawn\", got \"" +
           *verdict + "\"";
  }
  out.note = note.value_or("");
  return {};
}

}  // namespace

std::string review_from_json(const json& j, const ParseOptions& options, ReviewReport& out) {
  if (!j.is_object()) return "the report must be a JSON object";
  Fields f(j, "");
  const json* findings = f.array("findings", Need::required);
  auto correctness = f.string("overall_correctness", Need::required);
  auto explanation = f.string("overall_explanation", Need::required);
  auto confidence = f.unit_number("overall_confidence_score", Need::required);
  const json* prior = f.array("prior", Need::optional);
  if (!f.error.empty()) return f.error;

  std::string c = lowered(trimmed(*correctness));
  if (c == "patch is correct") {
    out.overall_correct = true;
  } else if (c == "patch is incorrect") {
    out.overall_correct = false;
  } else {
    return "overall_correctness must be \"patch is correct\" or \"patch is incorrect\", got \"" +
           *correctness + "\"";
  }
  out.overall_explanation = *explanation;
  out.overall_confidence = *confidence;
  out.findings.clear();
  out.findings.reserve(findings->size());
  for (std::size_t i = 0; i < findings->size(); ++i) {
    RaisedFinding rf;
    std::string why =
        finding_from_json((*findings)[i], "findings[" + std::to_string(i) + "]", options, rf);
    if (!why.empty()) return why;
    out.findings.push_back(std::move(rf));
  }
  out.prior.clear();
  for (std::size_t i = 0; prior != nullptr && i < prior->size(); ++i) {
    PriorVerdict pv;
    std::string why = prior_from_json((*prior)[i], "prior[" + std::to_string(i) + "]", pv);
    if (!why.empty()) return why;
    out.prior.push_back(std::move(pv));
  }
  return {};
}

std::string implementer_from_json(const json& j, ImplementerReport& out) {
  if (!j.is_object()) return "the report must be a JSON object";
  Fields f(j, "");
  auto patch = f.string("patch", Need::optional);
  const json* responses = f.array("responses", Need::required);
  auto summary = f.string("summary", Need::optional);
  if (!f.error.empty()) return f.error;
  out.patch = patch.value_or("");
  out.summary = summary.value_or("");
  out.responses.clear();
  for (std::size_t i = 0; i < responses->size(); ++i) {
    std::string path = "responses[" + std::to_string(i) + "]";
    const json& r = (*responses)[i];
    if (!r.is_object()) return path + " must be an object";
    Fields rf(r, path);
    auto finding = rf.string("finding", Need::required);
    auto action = rf.string("action", Need::required);
    auto rationale = rf.string("rationale", Need::optional);
    if (!rf.error.empty()) return rf.error;
    FindingResponse resp;
    resp.finding = trimmed(*finding);
    if (resp.finding.empty()) return path + ".finding is empty";
    std::string a = lowered(trimmed(*action));
    if (a == "fixed") {
      resp.action = FindingResponse::Action::fixed;
    } else if (a == "disputed") {
      resp.action = FindingResponse::Action::disputed;
    } else {
      return path + ".action must be \"fixed\" or \"disputed\", got \"" + *action + "\"";
    }
    resp.rationale = rationale.value_or("");
    if (resp.action == FindingResponse::Action::disputed && trimmed(resp.rationale).empty()) {
      return path + ".rationale is required for a dispute";
    }
    out.responses.push_back(std::move(resp));
  }
  return {};
}

}  // namespace gavel::review::detail
