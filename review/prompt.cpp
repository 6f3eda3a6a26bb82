#include "review/prompt.hpp"

#include "review/priority.hpp"
#include "review/report_parser.hpp"

#include <algorithm>
#include <array>

namespace gavel::review {

namespace {

constexpr std::array<std::string_view, 10> k_placeholders{
    "role", "round", "repo_root", "chunk", "intent", "diff", "prior_findings", "suppressions",
    "output_format", "schema"};

constexpr std::string_view k_reviewer_format = R"(Answer with exactly one JSON object and nothing else (no prose, no code fence), matching the JSON Schema below.
- "findings": one entry per problem; [] when there is none.
- "priority": 0 = blocking, drop everything; 1 = must fix before commit; 2 = should fix; 3 = nit.
- "code_location": "absolute_file_path" is the file's absolute path under the root given above (a path relative to the repository root is accepted too); "line_range" gives 1-based lines of the NEW version of the file, as few as show the problem.
- "confidence_score" and "overall_confidence_score": from 0 to 1.
- "overall_correctness": "patch is correct" or "patch is incorrect".
- "category": a short kebab-case kind such as "bug", "security", "error-handling", or null.
- "suggested_fix": a unified diff that fixes the problem, or null.
- "prior": one verdict per finding listed under "Findings from earlier rounds", naming it by "id" (with "title" null); [] when none are listed.)";

constexpr std::string_view k_implementer_format = R"(When you have finished, answer with exactly one JSON object and nothing else (no prose, no code fence), matching the JSON Schema below.
- "responses": one entry per finding listed above; "finding" is its id; "action" is "fixed" or "disputed"; "rationale" says what you changed, or why the finding is wrong (required for a dispute).
- "patch": when you cannot edit the files yourself, a unified diff (a/ and b/ prefixes, paths relative to the repository root) against the files as shown; otherwise null.
- "summary": one short paragraph.)";

std::string_view verdict_name(PriorVerdict::Kind k) {
  switch (k) {
    case PriorVerdict::Kind::resolved: return "resolved";
    case PriorVerdict::Kind::still_open: return "still_open";
    case PriorVerdict::Kind::withdrawn: return "withdrawn";
  }
  return "still_open";
}

bool names_finding(const Finding& f, const std::string& key) {
  if (key.empty()) return false;
  if (key == f.id || key == f.raised.title) return true;
  return std::find(f.titles.begin(), f.titles.end(), key) != f.titles.end();
}

std::string location_text(const Location& loc) {
  std::string out = loc.path + ":" + std::to_string(loc.lines.start);
  if (loc.lines.end != loc.lines.start) out += "-" + std::to_string(loc.lines.end);
  return out;
}

std::string render_prior(PromptRole role, const PromptInputs& in) {
  if (in.prior.empty()) return "(none)\n";
  std::string out;
  std::vector<bool> used_resp(in.responses.size(), false);
  std::vector<bool> used_verdict(in.verdicts.size(), false);
  for (const Finding& f : in.prior) {
    out += "- id: " + f.id + "  [" + std::string(to_string(f.raised.priority)) + "] " +
           f.raised.title + "\n  state: " + std::string(to_string(f.state));
    if (f.adjacent) out += " (adjacent: outside the diff, never blocking)";
    out += "\n  location: " + location_text(f.raised.location) + "\n";
    if (f.titles.size() > 1) {
      out += "  earlier titles:";
      for (const std::string& t : f.titles) out += " \"" + t + "\"";
      out += "\n";
    }
    out += fence(f.raised.body, "text");
    for (std::size_t i = 0; role == PromptRole::reviewer && i < in.responses.size(); ++i) {
      const FindingResponse& r = in.responses[i];
      if (!names_finding(f, r.finding)) continue;
      used_resp[i] = true;
      out += "  implementer: " +
             std::string(r.action == FindingResponse::Action::fixed ? "fixed" : "disputed") +
             "\n" + fence(r.rationale, "text");
    }
    for (std::size_t i = 0; role == PromptRole::implementer && i < in.verdicts.size(); ++i) {
      const PriorVerdict& v = in.verdicts[i];
      if (!names_finding(f, v.id) && !names_finding(f, v.title)) continue;
      used_verdict[i] = true;
      out += "  reviewer: " + std::string(verdict_name(v.verdict)) + "\n";
      if (!v.note.empty()) out += fence(v.note, "text");
    }
    if (role == PromptRole::implementer && f.raised.suggested_fix) {
      out += "  suggested fix:\n" + fence(*f.raised.suggested_fix, "diff");
    }
  }
  for (std::size_t i = 0; i < in.responses.size(); ++i) {
    if (role != PromptRole::reviewer || used_resp[i]) continue;
    out += "- implementer's answer to \"" + in.responses[i].finding + "\" (no such finding)\n";
  }
  return out;
}

std::string render_suppressions(const PromptInputs& in) {
  if (in.suppressions.empty()) return "(none)\n";
  std::string out;
  for (const PromptSuppression& s : in.suppressions) {
    out += "- " + (s.title.empty() ? std::string("(untitled)") : s.title);
    if (!s.path.empty()) out += " in " + s.path;
    out += "\n  reason: " + s.reason + "\n";
    if (!s.anchor.empty()) out += "  anchored code:\n" + fence(s.anchor, "text");
  }
  return out;
}

Result<void> check_placeholders(PromptRole role, std::string_view text) {
  std::vector<std::string> names(k_placeholders.begin(), k_placeholders.end());
  std::vector<std::string> values(names.size());
  auto checked = substitute(text, names, values);
  if (!checked) return checked.error();
  auto has = [&](std::string_view name) {
    return text.find("{{" + std::string(name) + "}}") != std::string_view::npos;
  };
  std::string_view core = role == PromptRole::reviewer ? "diff" : "prior_findings";
  if (!has(core)) {
    return fail(Errc::config, "prompt template lacks {{" + std::string(core) + "}}");
  }
  if (!has("output_format") && !has("schema")) {
    return fail(Errc::config, "prompt template lacks {{output_format}} (or {{schema}})");
  }
  return {};
}

}  // namespace

Result<std::string> substitute(std::string_view text, const std::vector<std::string>& names,
                               const std::vector<std::string>& values) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) break;
    std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    std::string_view name = text.substr(open + 2, close - open - 2);
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      return fail(Errc::config, "unknown placeholder {{" + std::string(name.substr(0, 40)) +
                                    "}} in prompt template");
    }
    out.append(text.substr(pos, open - pos));
    out += values[static_cast<std::size_t>(it - names.begin())];
    pos = close + 2;
  }
  out.append(text.substr(pos));
  return out;
}

std::string fence(std::string_view text, std::string_view info) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string marks(std::max<std::size_t>(3, longest + 1), '`');
  std::string out = marks + std::string(info) + "\n" + std::string(text);
  if (!text.empty() && text.back() != '\n') out += '\n';
  return out + marks + "\n";
}

Result<void> validate_template(PromptRole role, std::string_view text) {
  return check_placeholders(role, text);
}

Result<std::string> render_prompt(PromptRole role, const PromptInputs& in,
                                  std::string_view template_text) {
  if (template_text.empty()) template_text = default_template(role);
  auto ok = check_placeholders(role, template_text);
  if (!ok) return ok.error();
  bool reviewer = role == PromptRole::reviewer;
  const std::string& schema = reviewer ? reviewer_output_schema() : implementer_output_schema();
  std::string schema_block = fence(schema, "json");
  std::vector<std::string> names(k_placeholders.begin(), k_placeholders.end());
  std::vector<std::string> values = {
      reviewer ? "reviewer" : "implementer",
      std::to_string(in.round),
      in.repo_root.empty() ? std::string("the repository root") : in.repo_root,
      in.chunk_label.empty() ? std::string("the whole diff") : in.chunk_label,
      in.intent.empty() ? std::string("(none given)\n") : fence(in.intent, "text"),
      in.patch.empty() ? std::string("(empty diff)\n") : fence(in.patch, "diff"),
      render_prior(role, in),
      render_suppressions(in),
      std::string(reviewer ? k_reviewer_format : k_implementer_format) + "\n\nJSON Schema:\n" +
          schema_block,
      schema_block,
  };
  return substitute(template_text, names, values);
}

}  // namespace gavel::review
