#include "review/report_parser.hpp"

#include "review/report_parser_detail.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <optional>
#include <utility>

namespace gavel::review {

namespace {

using nlohmann::json;

enum class Shape { review, implementer };

// Whether `j` is plainly meant as a report of `shape`: its failure is then the one to report.
bool looks_like(const json& j, Shape shape) {
  if (!j.is_object()) return false;
  if (shape == Shape::review) return j.contains("findings") || j.contains("overall_correctness");
  return j.contains("responses") || j.contains("patch");
}

// Walks every candidate of a text (and objects nested in them) looking for one that validates.
template <class Report>
class CandidateSearch {
 public:
  using Validate = std::string (*)(const json&, const ParseOptions&, Report&);

  CandidateSearch(Shape shape, Validate validate, const ParseOptions& options,
                  std::size_t text_size)
      : m_shape(shape),
        m_validate(validate),
        m_options(options),
        m_budget(k_budget_per_byte * text_size + k_budget_base) {}

  void search_text(std::string_view text, int depth) {
    for (std::string_view span : detail::find_json_objects(text, &m_budget)) {
      if (span.size() > m_budget) return;  // parsing is charged too
      m_budget -= span.size();
      json j = json::parse(span.begin(), span.end(), nullptr, false);
      if (j.is_discarded()) {
        record_syntax_error(span);
        // "{ prose {valid json} prose }": look for complete objects inside the span
        if (++m_rescans <= k_max_rescans) search_text(span.substr(1), depth);
        continue;
      }
      search_value(j, span, depth);
    }
  }

  std::optional<Report>& found() { return m_found; }
  // Whether there is an answer: a valid candidate, and no report-shaped failure after it.
  bool answered() const { return m_found.has_value() && !m_failure_is_last; }

  ParseFailure failure(std::string_view text) const {
    if (m_shaped_failure) return *m_shaped_failure;
    if (m_syntax_span) return syntax_failure(*m_syntax_span);
    const char* what = m_shape == Shape::review ? "a reviewer report with a \"findings\" array"
                                                : "an implementer report with \"responses\"";
    return {std::string("no JSON object found that is ") + what +
                " (output empty, truncated or prose only?)",
            detail::make_excerpt(text)};
  }

 private:
  static constexpr int k_max_depth = 3;
  static constexpr int k_max_nested_tries = 64;
  static constexpr int k_max_rescans = 32;
  // Bytes scanned or parsed, over all candidates, per byte of agent output (plus a base).
  static constexpr std::size_t k_budget_per_byte = 16;
  static constexpr std::size_t k_budget_base = 1u << 20;

  void search_value(const json& j, std::string_view span, int depth) {
    if (j.is_object()) {
      Report report;
      std::string why = m_validate(j, m_options, report);
      if (why.empty()) {
        m_found = std::move(report);  // the last valid candidate wins...
        m_failure_is_last = false;
        return;
      }
      if (looks_like(j, m_shape)) {
        // ...unless a report-shaped candidate after it is invalid: the agent's real answer is
        // malformed, and an earlier example or quotation must not stand in for it.
        m_shaped_failure = ParseFailure{why, detail::make_excerpt(span)};
        m_failure_is_last = true;
      }
    }
    if (depth >= k_max_depth || !j.is_structured()) return;
    for (const auto& item : j.items()) {
      if (++m_nested_tries > k_max_nested_tries) return;
      const json& v = item.value();
      if (v.is_object()) {
        search_value(v, span, depth + 1);
      } else if (v.is_string() && v.get_ref<const std::string&>().find('{') != std::string::npos) {
        search_text(v.get_ref<const std::string&>(), depth + 1);  // e.g. {"result": "```json..."}
      }
    }
  }

  // Only the last syntax error is reported, so its message (which needs a throwing parse) is
  // made once, at the end; the span is copied because nested texts do not outlive the search.
  void record_syntax_error(std::string_view span) { m_syntax_span = std::string(span); }

  static ParseFailure syntax_failure(const std::string& span) {
    std::string why = "invalid JSON";
    try {
      json ignored = json::parse(span);
      static_cast<void>(ignored);
    } catch (const json::exception& e) {
      why = std::string("invalid JSON: ") + e.what();
    }
    return ParseFailure{std::move(why), detail::make_excerpt(span)};
  }

  Shape m_shape;
  Validate m_validate;
  const ParseOptions& m_options;
  std::optional<Report> m_found;
  std::optional<ParseFailure> m_shaped_failure;
  bool m_failure_is_last = false;  // the latest report-shaped candidate was invalid
  std::optional<std::string> m_syntax_span;
  int m_nested_tries = 0;
  int m_rescans = 0;
  std::size_t m_budget;
};

std::string validate_implementer(const json& j, const ParseOptions&, ImplementerReport& out) {
  return detail::implementer_from_json(j, out);
}

template <class Report>
Result<Report> parse_report(std::string_view text, Shape shape,
                            typename CandidateSearch<Report>::Validate validate,
                            const ParseOptions& options) {
  if (text.size() > k_max_agent_output_bytes) {
    return to_error({"agent output is " + std::to_string(text.size()) + " bytes, over the " +
                         std::to_string(k_max_agent_output_bytes) + "-byte limit",
                     detail::make_excerpt(text)});
  }
  try {
    CandidateSearch<Report> search(shape, validate, options, text.size());
    search.search_text(text, 0);
    if (search.answered()) return std::move(*search.found());
    return to_error(search.failure(text));
  } catch (const std::exception& e) {  // bad_alloc, or a library surprise: still typed
    return to_error({std::string("agent output could not be parsed: ") + e.what(),
                     detail::make_excerpt(text)});
  }
}

}  // namespace

Error to_error(const ParseFailure& failure) {
  std::string message = detail::sanitize_text(failure.reason, detail::k_max_reason_bytes);
  if (!failure.excerpt.empty()) {
    message += " (near: " + detail::sanitize_text(failure.excerpt, k_max_excerpt_bytes + 3) + ")";
  }
  return Error(Errc::parse, std::move(message));
}

Result<ReviewReport> parse_review_report(std::string_view text, const ParseOptions& options) {
  return parse_report<ReviewReport>(text, Shape::review, &detail::review_from_json, options);
}

Result<ImplementerReport> parse_implementer_report(std::string_view text) {
  return parse_report<ImplementerReport>(text, Shape::implementer, &validate_implementer, {});
}

std::string relativize_path(std::string_view path, std::string_view repo_root) {
  if (path.empty() || path.front() != '/' || repo_root.empty() || repo_root.front() != '/') {
    return std::string(path);
  }
  while (repo_root.size() > 1 && repo_root.back() == '/') repo_root.remove_suffix(1);
  std::string_view prefix = repo_root == "/" ? std::string_view() : repo_root;
  if (path.size() <= prefix.size() + 1 || path.substr(0, prefix.size()) != prefix ||
      path[prefix.size()] != '/') {
    return std::string(path);
  }
  std::string_view rest = path.substr(prefix.size());
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  return rest.empty() ? std::string(path) : std::string(rest);
}

int strip_priority_tag(std::string& title) {
  std::size_t i = 0;
  while (i < title.size() && std::isspace(static_cast<unsigned char>(title[i]))) ++i;
  if (i + 4 > title.size() || title[i] != '[' || (title[i + 1] != 'P' && title[i + 1] != 'p') ||
      title[i + 2] < '0' || title[i + 2] > '3' || title[i + 3] != ']') {
    return -1;
  }
  int level = title[i + 2] - '0';
  std::size_t rest = i + 4;
  while (rest < title.size() && std::isspace(static_cast<unsigned char>(title[rest]))) ++rest;
  title.erase(0, rest);
  return level;
}

}  // namespace gavel::review
