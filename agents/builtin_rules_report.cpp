// The rules reviewer as an Agent: prior-round verdicts, the Codex-review JSON it answers with,
// and RulesReviewer::run. The rules themselves are in builtin_rules.cpp and its families.
#include "agents/builtin_rules.hpp"

#include "agents/builtin_rules_detail.hpp"
#include "review/priority.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>

namespace gavel::agents {
namespace {

bool overlaps(const review::LineRange& a, const review::LineRange& b) {
  return a.start <= b.end && b.start <= a.end;
}

bool same_kind(const review::Finding& prior, const RuleFinding& now) {
  if (prior.raised.category != now.raised.category ||
      prior.raised.location.path != now.raised.location.path) {
    return false;
  }
  if (prior.raised.title == now.raised.title) return true;
  return std::find(prior.titles.begin(), prior.titles.end(), now.raised.title) != prior.titles.end();
}

AgentFailure failure(FailureKind kind, std::string message) {
  AgentFailure f;
  f.kind = kind;
  f.message = std::move(message);
  return f;
}

}  // namespace

std::vector<review::PriorVerdict> judge_prior(const std::vector<review::Finding>& prior,
                                              const std::vector<RuleFinding>& current,
                                              const std::string& agent_name) {
  std::vector<review::PriorVerdict> verdicts;
  for (const auto& p : prior) {
    const bool ours = p.raised_by == agent_name ||
                      (p.raised_by.empty() && rules::is_rules_category(p.raised.category));
    if (!ours) continue;
    std::size_t same = 0;
    bool open = false;
    for (const auto& c : current) {
      if (!same_kind(p, c)) continue;
      ++same;
      open |= overlaps(p.raised.location.lines, c.raised.location.lines);
    }
    if (!open && same == 1) {  // the line moved and was not re-mapped: one on each side
      const auto count = std::count_if(prior.begin(), prior.end(), [&](const review::Finding& q) {
        return q.raised.category == p.raised.category &&
               q.raised.location.path == p.raised.location.path && q.raised.title == p.raised.title;
      });
      open = count == 1;
    }
    review::PriorVerdict v;
    v.id = p.id;
    if (p.id.empty()) v.title = p.raised.title;
    v.verdict = open ? review::PriorVerdict::Kind::still_open : review::PriorVerdict::Kind::resolved;
    v.note = open ? "the rule still matches the added lines here"
                  : "the rule no longer matches: the problem is gone from the change";
    verdicts.push_back(std::move(v));
  }
  return verdicts;
}

std::string render_review(const std::vector<RuleFinding>& findings,
                          const std::vector<review::PriorVerdict>& prior,
                          const RulesOptions& options, const std::filesystem::path& workdir) {
  nlohmann::json out;
  out["findings"] = nlohmann::json::array();
  std::array<int, 4> by_priority{};
  for (const auto& f : findings) {
    const auto& r = f.raised;
    ++by_priority[static_cast<std::size_t>(r.priority)];
    const std::string path = options.path_style == PathStyle::workdir_joined && !workdir.empty()
                                 ? (workdir / r.location.path).generic_string()
                                 : r.location.path;
    nlohmann::json j{
        {"title", "[" + std::string(review::to_string(r.priority)) + "] " + r.title},
        {"body", r.body},
        {"confidence_score", r.confidence},
        {"priority", static_cast<int>(r.priority)},
        {"code_location",
         {{"absolute_file_path", path},
          {"line_range", {{"start", r.location.lines.start}, {"end", r.location.lines.end}}}}},
        {"category", r.category},
    };
    if (r.suggested_fix) j["suggested_fix"] = *r.suggested_fix;
    out["findings"].push_back(std::move(j));
  }
  const bool blocking = by_priority[0] + by_priority[1] > 0;
  out["overall_correctness"] = blocking ? "patch is incorrect" : "patch is correct";
  std::string explanation =
      "Builtin rules reviewer (secrets, conflict markers, whitespace, debug leftovers, file size "
      "and binary files; added lines only): ";
  if (findings.empty()) {
    explanation += "no problem found. It does not judge logic or design.";
  } else {
    explanation += std::to_string(findings.size()) + " finding(s): P0 " +
                   std::to_string(by_priority[0]) + ", P1 " + std::to_string(by_priority[1]) +
                   ", P2 " + std::to_string(by_priority[2]) + ", P3 " +
                   std::to_string(by_priority[3]) + ".";
  }
  out["overall_explanation"] = explanation;
  out["overall_confidence_score"] = blocking ? 0.9 : 0.6;
  if (!prior.empty()) {
    out["prior"] = nlohmann::json::array();
    for (const auto& v : prior) {
      nlohmann::json j;
      if (!v.id.empty()) j["id"] = v.id;
      if (!v.title.empty()) j["title"] = v.title;
      j["verdict"] = v.verdict == review::PriorVerdict::Kind::resolved     ? "resolved"
                     : v.verdict == review::PriorVerdict::Kind::withdrawn ? "withdrawn"
                                                                           : "still_open";
      j["note"] = v.note;
      out["prior"].push_back(std::move(j));
    }
  }
  return out.dump(2);
}

RulesReviewer::RulesReviewer(std::string name, RulesOptions options)
    : m_name(std::move(name)), m_options(options) {}

boost::asio::awaitable<AgentResult> RulesReviewer::run(Task task) {
  const auto started = std::chrono::steady_clock::now();
  if (task.role != Role::reviewer) {
    co_return AgentResult(boost::system::in_place_error,
                          failure(FailureKind::unavailable,
                                  "builtin agent '" + m_name + "' (rules) can only review"));
  }
  if (!task.context) {
    co_return AgentResult(boost::system::in_place_error,
                          failure(FailureKind::crash, "builtin agent '" + m_name +
                                                          "' needs the structured task context"));
  }
  const auto findings = run_rules(task.context->changeset, m_options);
  const auto prior = judge_prior(task.context->findings, findings, m_name);
  AgentOutput output;
  output.text = render_review(findings, prior, m_options, task.workdir);
  output.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  co_return output;
}

}  // namespace gavel::agents
