// The builtin patch implementer: see builtin_patch.hpp for the contract.
#include "agents/builtin_patch.hpp"

#include "agents/builtin_diff_text.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <optional>

namespace gavel::agents {
namespace {

using review::FindingResponse;

std::string no_fix_rationale(const std::string& category) {
  std::string why = "no mechanical fix; needs a human or an LLM implementer";
  if (category == "secret") {
    return why + ": revoke and rotate the credential, then take it out of the change and load it "
                 "from the environment or a secret manager";
  }
  if (category == "conflict-marker") return why + ": choose the intended side and delete the markers";
  if (category == "large-file" || category == "binary-file") {
    return why + ": decide whether the file belongs in the repository (.gitignore, Git LFS)";
  }
  return why;
}

// Snapshot texts by path, as the fixes applied so far left them; nullopt once unknown.
using Texts = std::map<std::string, std::optional<std::string>>;

// The fix re-based onto `texts`, the new texts it produces, or nothing when it cannot be (not
// parsed, touches an unknown file, or does not match).
struct Rebased {
  bool already_applied = false;  // every file already has the fix's result
  std::string patch;
  std::map<std::string, std::string> new_texts;
};

std::optional<Rebased> rebase(const std::string& fix, const Texts& texts) {
  const auto parsed = difftext::parse_unified_diff(fix);
  if (!parsed) return std::nullopt;
  Rebased out;
  out.already_applied = true;
  for (const auto& file : *parsed) {
    if (file.old_path.empty() || file.old_path != file.new_path) return std::nullopt;
    const auto it = texts.find(file.new_path);
    if (it == texts.end() || !it->second) return std::nullopt;
    if (out.new_texts.contains(file.new_path)) return std::nullopt;  // one section per file
    auto result = difftext::apply_file_patch(*it->second, file);
    if (result.outcome == difftext::ApplyOutcome::mismatch) return std::nullopt;
    if (result.outcome == difftext::ApplyOutcome::already_applied) continue;
    out.already_applied = false;
    out.patch += difftext::diff_texts(file.new_path, *it->second, result.text);
    out.new_texts.emplace(file.new_path, std::move(result.text));
  }
  return out;
}

// After `fix` was applied as given: bring `texts` along, or forget what cannot be followed.
void follow_raw(const std::string& fix, Texts& texts) {
  const auto parsed = difftext::parse_unified_diff(fix);
  if (!parsed) {
    for (auto& [path, text] : texts) text.reset();
    return;
  }
  for (const auto& file : *parsed) {
    for (const std::string* path : {&file.old_path, &file.new_path}) {
      const auto it = texts.find(*path);
      if (it == texts.end() || !it->second) continue;
      auto result = difftext::apply_file_patch(*it->second, file);
      if (result.outcome == difftext::ApplyOutcome::applied && file.old_path == file.new_path) {
        it->second = std::move(result.text);
      } else {
        it->second.reset();
      }
    }
  }
}

}  // namespace

boost::system::result<review::ImplementerReport, std::string> implement_fixes(
    const TaskContext& context) {
  Texts texts;
  for (const auto& file : context.changeset.files) {
    if (file.new_text && !file.new_path.empty()) texts.emplace(file.new_path, *file.new_text);
  }
  review::ImplementerReport report;
  int applied = 0, already = 0, no_fix = 0, failed = 0;
  for (const auto& finding : context.findings) {
    FindingResponse response;
    response.finding = finding.id.empty() ? finding.raised.title : finding.id;
    const auto& fix = finding.raised.suggested_fix;
    if (!fix || fix->find("@@") == std::string::npos) {
      response.action = FindingResponse::Action::disputed;
      response.rationale = no_fix_rationale(finding.raised.category);
      ++no_fix;
      report.responses.push_back(std::move(response));
      continue;
    }
    if (!context.apply_patch) {
      return boost::system::result<review::ImplementerReport, std::string>(
          boost::system::in_place_error, "the task has no apply_patch callback");
    }
    const auto rebased = rebase(*fix, texts);
    if (rebased && (rebased->already_applied || rebased->patch.empty())) {
      response.action = FindingResponse::Action::fixed;
      response.rationale = "already fixed: an earlier fix in this round made the same edit";
      ++already;
      report.responses.push_back(std::move(response));
      continue;
    }
    std::string error;
    bool done = false;
    for (const bool use_rebased : {true, false}) {
      if (use_rebased && !rebased) continue;
      if (!use_rebased && rebased && rebased->patch == *fix) continue;  // already tried
      const std::string& patch = use_rebased ? rebased->patch : *fix;
      if (auto check = context.apply_patch(patch, true); !check) {
        error = check.error();
        continue;
      }
      if (auto write = context.apply_patch(patch, false); !write) {
        error = write.error();
        break;  // it checked but did not write: do not try another form on a changed tree
      }
      done = true;
      if (use_rebased) {
        for (const auto& [path, text] : rebased->new_texts) texts[path] = text;
      } else {
        follow_raw(*fix, texts);
      }
      break;
    }
    if (done) {
      response.action = FindingResponse::Action::fixed;
      response.rationale = "applied the suggested fix";
      ++applied;
    } else {
      response.action = FindingResponse::Action::disputed;
      response.rationale = "the suggested fix does not apply to the current files" +
                           (error.empty() ? std::string() : ": " + error) +
                           "; needs a human or an LLM implementer";
      ++failed;
    }
    report.responses.push_back(std::move(response));
  }
  report.summary = "Builtin patch implementer: applied " + std::to_string(applied) +
                   " suggested fix(es)" +
                   (already ? ", " + std::to_string(already) + " already covered by another fix" : "") +
                   "; disputed " + std::to_string(no_fix + failed) + " finding(s) (" +
                   std::to_string(no_fix) + " without a mechanical fix, " + std::to_string(failed) +
                   " whose fix did not apply).";
  return report;
}

std::string render_implementer_report(const review::ImplementerReport& report) {
  nlohmann::json out;
  out["patch"] = report.patch;
  out["responses"] = nlohmann::json::array();
  for (const auto& r : report.responses) {
    out["responses"].push_back(
        {{"finding", r.finding},
         {"action", r.action == FindingResponse::Action::fixed ? "fixed" : "disputed"},
         {"rationale", r.rationale}});
  }
  out["summary"] = report.summary;
  return out.dump(2);
}

PatchImplementer::PatchImplementer(std::string name) : m_name(std::move(name)) {}

boost::asio::awaitable<AgentResult> PatchImplementer::run(Task task) {
  const auto started = std::chrono::steady_clock::now();
  const auto fail = [&](FailureKind kind, std::string message) {
    AgentFailure f;
    f.kind = kind;
    f.message = "builtin agent '" + m_name + "' (patch): " + std::move(message);
    return AgentResult(boost::system::in_place_error, std::move(f));
  };
  if (task.role != Role::implementer) co_return fail(FailureKind::unavailable, "can only implement");
  if (!task.context) co_return fail(FailureKind::crash, "needs the structured task context");
  auto report = implement_fixes(*task.context);
  if (!report) co_return fail(FailureKind::crash, report.error());
  AgentOutput output;
  output.text = render_implementer_report(*report);
  output.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  co_return output;
}

}  // namespace gavel::agents
