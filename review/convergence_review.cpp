// Convergence: applying a reviewer's report, and deciding what follows a review.
#include "review/convergence.hpp"

#include "review/finding_id.hpp"
#include "review/finding_match.hpp"
#include "review/lifecycle.hpp"
#include "review/priority.hpp"

#include <algorithm>

namespace gavel::review {

namespace {

// How a reviewer round touched each known finding.
enum class Mention : char { none, kept, settled, seen };

}  // namespace

std::vector<Action> Convergence::on_review(const ReviewerReported& e) {
  std::vector<Action> out;
  if (!is_current(e.run_id) || m_running->role != Role::reviewer) return out;
  m_running->usage += e.usage;
  m_state.usage += e.usage;
  RoundProgress progress;
  ReviewFacts facts = apply_review(e, progress);
  facts.after_implementer = m_last_turn == Role::implementer;
  progress.blocking_open = blocking_count(m_state.findings, m_policy);
  progress.severity = severity_score(m_state.findings, m_policy);
  progress.trend = trend(m_last_severity, progress.severity);
  m_last_severity = progress.severity;
  m_state.reviewed_snapshot = m_state.current_snapshot;
  m_last_verdicts = e.report.prior;
  auto spent = budget_exhausted(budget_use(e.now_ms), m_policy);
  RoundRecord& record = end_round(e.now_ms, RoundRecord::Outcome::reported);
  record.rejected = e.checked.rejected;
  record.progress = progress;
  flush_persist(out, record);
  advance(e.now_ms, facts, spent, out);
  return out;
}

ReviewFacts Convergence::apply_review(const ReviewerReported& e, RoundProgress& progress) {
  auto& findings = m_state.findings;
  const int round = m_running->round;
  ReviewFacts facts;
  std::vector<Mention> mention(findings.size(), Mention::none);
  auto ctx = [&](std::string why) { return context(e.agent, e.now_ms, std::move(why)); };

  // 1. Explicit verdicts on prior findings, named by id or any title they carried.
  for (const auto& v : e.report.prior) {
    auto idx = resolve_named(findings, v.id, v.title);
    if (!idx) continue;
    Finding& f = findings[*idx];
    if (!v.note.empty()) f.reviewer_note = v.note;
    touch(f.id);
    if (v.verdict == PriorVerdict::Kind::still_open) {
      mention[*idx] = Mention::kept;
      continue;
    }
    bool was_disputed = f.state == FindingState::disputed;
    FindingState to = v.verdict == PriorVerdict::Kind::resolved && !was_disputed
                          ? FindingState::verified
                          : FindingState::withdrawn;
    if (!transition(f, to, ctx(std::string(to == FindingState::verified ? "resolved" : "withdrawn") +
                               (v.note.empty() ? "" : ": " + v.note)))) {
      continue;
    }
    mention[*idx] = Mention::settled;
    facts.verdict_changed = true;
    facts.dispute_answered = facts.dispute_answered || was_disputed;
    ++(to == FindingState::verified ? progress.verified : progress.withdrawn);
  }

  // 2. The raised findings, identified against this snapshot; suppressed repeats dropped.
  MatchOptions options;
  options.slack_lines = m_policy.match_slack_lines;
  std::vector<Candidate> candidates;
  std::vector<char> adjacent;
  auto consider = [&](const RaisedFinding& r, bool adj) {
    std::string anchor = m_view.anchor_at(r.location).value_or(std::string());
    Candidate c = make_candidate(r, m_view.identity_path(r.location.path), std::move(anchor));
    if (find_suppression(m_state.suppressions, c, options)) {
      ++progress.suppressed;
      return;
    }
    candidates.push_back(std::move(c));
    adjacent.push_back(adj ? 1 : 0);
  };
  for (const auto& r : e.checked.in_diff) consider(r, false);
  for (const auto& r : e.checked.adjacent) consider(r, true);
  progress.rejected = static_cast<int>(e.checked.rejected.size());

  // 3. Repeats of known findings (dismissed ones are the suppressions' business).
  std::vector<const Finding*> pool;
  std::vector<std::size_t> pool_index;
  for (std::size_t k = 0; k < findings.size(); ++k) {
    if (findings[k].state == FindingState::dismissed) continue;
    pool.push_back(&findings[k]);
    pool_index.push_back(k);
  }
  auto matches = match_findings(pool, candidates, options);
  std::vector<Finding> fresh;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    Candidate& c = candidates[i];
    bool adj = adjacent[i] != 0;
    progress.adjacent += adj ? 1 : 0;
    if (!matches[i]) {
      Finding f;
      f.id = m_seed.finding_prefix + std::to_string(m_seed.next_finding++);
      f.titles = {c.raised.title};
      f.raised = std::move(c.raised);
      f.raised_by = e.agent;
      f.raised_round = f.last_raised_round = round;
      f.adjacent = adj;
      f.anchor = f.current_anchor = f.reviewed_anchor = c.anchor;
      f.fingerprint = std::move(c.fingerprint);
      f.identity_path = std::move(c.identity_path);
      f.awaiting_human = needs_triage(f.raised.priority, adj, m_policy);
      f.history.push_back({FindingState::open, FindingState::open, e.agent, e.now_ms,
                           "raised in round " + std::to_string(round)});
      touch(f.id);
      fresh.push_back(std::move(f));
      ++progress.new_findings;
      facts.raised_new = true;
      continue;
    }
    std::size_t k = pool_index[*matches[i]];
    Finding& f = findings[k];
    if (mention[k] == Mention::settled) continue;  // its explicit verdict wins
    ++progress.recurring;
    touch(f.id);
    if (f.state == FindingState::verified || f.state == FindingState::withdrawn) {
      mention[k] = Mention::seen;
      auto reopened = transition(f, FindingState::reopened, ctx("raised again on changed code"));
      if (!reopened) {
        ++progress.reopen_rejected;
        f.reviewer_note = reopened.error().message;
        continue;
      }
      ++progress.reopened;
      facts.verdict_changed = true;
    }
    if (std::find(f.titles.begin(), f.titles.end(), c.raised.title) == f.titles.end()) {
      f.titles.push_back(c.raised.title);
    }
    f.raised = std::move(c.raised);
    f.adjacent = adj;
    f.last_raised_round = round;
    if (!c.anchor.empty()) f.current_anchor = c.anchor;
    if (mention[k] == Mention::none) mention[k] = Mention::kept;
  }

  // 4. Kept findings: a kept dispute is an insist; a kept "fixed" is not accepted.
  // 5. Silent findings: a fix not raised again is verified, a dispute dropped is withdrawn,
  //    and an open finding not raised again on changed code is resolved.
  for (std::size_t k = 0; k < findings.size(); ++k) {
    Finding& f = findings[k];
    FindingState s = f.state;
    if (mention[k] == Mention::kept) {
      if (s == FindingState::disputed && transition(f, FindingState::insisted, ctx("insisted"))) {
        ++progress.insisted;
        facts.dispute_answered = true;
      } else if (s == FindingState::fixed &&
                 transition(f, FindingState::reopened, ctx("fix not accepted"))) {
        ++progress.reopened;
      }
      continue;
    }
    if (mention[k] != Mention::none || is_closed(s) || s == FindingState::escalated) continue;
    bool code_moved = f.current_anchor != f.reviewed_anchor;
    FindingState to = s;
    if (s == FindingState::fixed || (code_moved && s != FindingState::disputed)) {
      to = FindingState::verified;
    } else if (s == FindingState::disputed) {
      to = FindingState::withdrawn;
    }
    if (to == s || !transition(f, to, ctx("no longer raised"))) continue;
    touch(f.id);
    facts.verdict_changed = true;
    facts.dispute_answered = facts.dispute_answered || s == FindingState::disputed;
    ++(to == FindingState::verified ? progress.verified : progress.withdrawn);
  }

  // 6. Did any blocking finding's code change since the last review looked at it?
  for (auto& f : findings) {
    if (is_blocking(f, m_policy) && f.current_anchor != f.reviewed_anchor) {
      facts.blocking_anchor_changed = true;
    }
    f.reviewed_anchor = f.current_anchor;
  }
  for (auto& f : fresh) findings.push_back(std::move(f));
  return facts;
}

void Convergence::advance(std::int64_t now, const std::optional<ReviewFacts>& facts,
                          const std::optional<std::string>& spent, std::vector<Action>& out) {
  const auto& findings = m_state.findings;
  // DESIGN.md: a budget hit ends the loop as "exhausted", never as "approved" — even when the
  // review that used the budget up left nothing blocking.
  if (spent) {
    finish(Verdict::exhausted, std::nullopt, "budget used up: " + *spent, out);
    return;
  }
  if (converged(findings, m_policy)) {
    finish(Verdict::converged, std::nullopt,
           "no finding at or above " + std::string(to_string(m_policy.blocking_threshold)) +
               " is open or disputed",
           out);
    return;
  }
  auto deadlocked = dispute_deadlock(findings, m_policy);
  for (const auto& id : deadlocked) {
    Finding& f = *find(id);
    (void)transition(f, FindingState::escalated,
                     context({}, now, "insisted on " + std::to_string(f.insists) + " times"));
    touch(id);
  }
  flush_persist(out);
  std::vector<std::string> arbitrate;
  for (const auto& f : findings) {
    if (f.state == FindingState::escalated) arbitrate.push_back(f.id);
  }
  if (!arbitrate.empty()) {
    escalate(EscalationReason::dispute, arbitrate,
             std::to_string(arbitrate.size()) + " disputed finding(s) need arbitration", out);
    return;
  }
  auto blocking = blocking_ids(findings, m_policy);
  if (facts && reviewer_stall(*facts)) {
    escalate(EscalationReason::stall, blocking,
             "the review raised nothing new and the blocking code did not change", out);
    return;
  }
  if (awaiting_human(findings)) {
    finish(Verdict::awaiting_human, std::nullopt,
           "new findings wait for `gavel decide ID uphold|dismiss`", out);
    return;
  }
  if (m_policy.implementer == ImplementerMode::disabled) {
    finish(Verdict::blocked, std::nullopt,
           std::to_string(blocking.size()) + " blocking finding(s) open", out);
    return;
  }
  if (!room_for_fix(m_state.round, m_policy)) {
    escalate(EscalationReason::round_limit, blocking,
             "round limit " + std::to_string(m_policy.round_limit) + " reached with " +
                 std::to_string(blocking.size()) + " blocking finding(s)",
             out);
    return;
  }
  start_turn(Role::implementer, now, out);
}

}  // namespace gavel::review
