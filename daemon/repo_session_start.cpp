// RepoService: how a session begins. A new one (a change settled, or review.start) starts with
// the suppressions the repository remembers; one the daemon was running when it stopped is
// resumed from the store: its findings, their decision history and its usage are carried over,
// and the interrupted round is run again (docs/daemon.md "Restart").
#include "daemon/repo_service.hpp"

#include "agents/agent_factory.hpp"
#include "daemon/log_setup.hpp"
#include "daemon/views.hpp"
#include "loop/loop_policy.hpp"
#include "review/convergence_rules.hpp"
#include "review/suppression.hpp"

#include <algorithm>
#include <charconv>

namespace gavel::daemon {

namespace {

// The first counter past every id in `findings` that has `prefix` ("s3-ab12-F7" -> 8).
std::uint64_t next_finding_number(const std::vector<review::Finding>& findings,
                                  const std::string& prefix) {
  std::uint64_t next = 1;
  for (const auto& f : findings) {
    if (f.id.rfind(prefix, 0) != 0) continue;
    std::uint64_t n = 0;
    const char* first = f.id.data() + prefix.size();
    const char* last = f.id.data() + f.id.size();
    auto [ptr, ec] = std::from_chars(first, last, n);
    if (ec == std::errc{} && ptr == last && n >= next) next = n + 1;
  }
  return next;
}

}  // namespace

Result<SessionParams> RepoService::session_params(const std::string& reviewer,
                                                  const std::string& implementer,
                                                  review::DiffKind kind, const std::string& intent,
                                                  std::int64_t except_session) {
  const config::Config& cfg = m_config;
  SessionParams params;
  params.tag = m_tag;
  auto& setup = params.setup;
  auto r = agents::make_session_agent(cfg, reviewer, setup.reviewer_timeout);
  if (!r) return r.error();
  auto i = agents::make_session_agent(cfg, implementer, setup.implementer_timeout);
  if (!i) return i.error();
  params.reviewer = std::move(*r);
  params.implementer = std::move(*i);
  setup.repo = m_path;
  setup.kind = kind;
  setup.intent = intent;
  setup.policy = loop::loop_policy_from(cfg);
  setup.max_request_bytes = cfg.review.max_request_bytes;
  setup.policy.used_today = m_host.used_today(*this, except_session);
  if (auto remembered = remembered_suppressions(params); !remembered) return remembered.error();
  return params;
}

// Every active suppression of the repository, as the machine holds them: the dismissed
// finding's wording and location come from its stored finding when that is still there.
Result<void> RepoService::remembered_suppressions(SessionParams& params) {
  auto active = m_store->active_suppressions();
  if (!active) return active.error();
  for (const auto& rec : *active) {
    review::Finding dismissed;
    if (rec.session_id) {
      if (auto f = m_store->finding(*rec.session_id, rec.finding_id)) dismissed = std::move(*f);
    }
    dismissed.id = rec.finding_id;
    dismissed.fingerprint = rec.fingerprint;
    dismissed.identity_path = rec.path;
    dismissed.current_anchor = rec.anchor;
    if (dismissed.raised.location.path.empty()) dismissed.raised.location.path = rec.path;
    auto s = review::suppression_from(dismissed, {rec.actor, rec.created_at_ms, rec.reason});
    params.setup.prior.suppressions.push_back(std::move(s));
    params.stored_suppressions[rec.finding_id] = rec.id;
  }
  return {};
}

Result<std::unique_ptr<ActiveSession>> RepoService::new_session(
    const protocol::ReviewStartRequest& req, std::optional<git::Snapshot> first) {
  const std::string reviewer = req.reviewer.empty() ? m_config.review.reviewer : req.reviewer;
  const std::string implementer =
      req.implementer.empty() ? m_config.review.implementer : req.implementer;
  const bool staged = req.scope == protocol::DiffScope::staged;
  auto params = session_params(reviewer, implementer,
                               staged ? review::DiffKind::staged : review::DiffKind::worktree,
                               req.intent);
  if (!params) return params.error();
  SessionRecord& rec = params->record;
  rec.repo = m_path;
  rec.created_at_ms = rec.updated_at_ms = now_ms();
  rec.fingerprint = m_last_fingerprint;
  rec.intent = req.intent;
  rec.state = "running";
  rec.reviewer = reviewer;
  rec.implementer = implementer;
  rec.policy = {{"round_limit", params->setup.policy.round_limit},
                {"blocking_threshold", static_cast<int>(params->setup.policy.blocking_threshold)},
                {"scope", staged ? "staged" : "worktree"}};
  auto id = m_store->create_session(rec);
  if (!id) return id.error();
  rec.id = *id;
  params->setup.seed.finding_prefix = finding_prefix(rec.id, m_tag);
  params->setup.first_snapshot = std::move(first);
  auto session = std::make_unique<ActiveSession>(m_io, *this, *m_store, std::move(*params));
  log("session")->info("{}: session {} started ({} reviews, {} implements)", m_path,
                       session->wire_id(), reviewer, implementer);
  m_host.publish(protocol::SessionStartedEvent{session->wire_id(), m_path, summary_of(*session)});
  return session;
}

Result<void> RepoService::resume(const SessionRecord& rec) {
  const bool staged = rec.policy.value("scope", std::string("worktree")) == "staged";
  auto params = session_params(rec.reviewer, rec.implementer,
                               staged ? review::DiffKind::staged : review::DiffKind::worktree,
                               rec.intent, rec.id);
  if (!params) return params.error();
  auto findings = m_store->findings(rec.id);
  if (!findings) return findings.error();
  auto rounds = m_store->rounds(rec.id);
  if (!rounds) return rounds.error();
  auto& setup = params->setup;
  setup.seed.finding_prefix = finding_prefix(rec.id, m_tag);
  setup.seed.next_finding = next_finding_number(*findings, setup.seed.finding_prefix);
  setup.prior.findings = std::move(*findings);
  for (const auto& r : *rounds) {
    setup.prior.usage += review::Usage{r.usage.tokens_in + r.usage.tokens_out, r.usage.cost_usd};
    params->rounds_done += r.state == RoundState::done ? 1 : 0;
  }
  params->record = rec;
  params->record.state = "running";
  params->record.verdict.clear();
  params->record.verdict_reason = "resumed";
  m_session = std::make_unique<ActiveSession>(m_io, *this, *m_store, std::move(*params));
  m_session->save_record();
  log("session")->info("{}: session {} resumed with {} finding(s)", m_path, m_session->wire_id(),
                       m_session->state().findings.size());
  // It runs once a snapshot shows no merge, rebase, ... in progress (on_snapshot).
  return {};
}

// The dismissal of finding `finding_id` of session `session_id` was taken back: its stored
// suppressions lapse, so later sessions may raise it again.
void RepoService::lapse_stored_suppressions(std::int64_t session_id, const std::string& finding_id) {
  auto all = m_store->active_suppressions();
  if (!all) return;
  for (const auto& s : *all) {
    if (s.session_id != session_id || s.finding_id != finding_id) continue;
    if (auto r = m_store->lapse_suppression(s.id, now_ms(), "the dismissal was taken back"); !r) {
      log("session")->error("{}: cannot lapse a suppression: {}", m_path, r.error().message);
    }
  }
}

// A decision recorded on a stored session (gaveld restarted since it escalated): when that was
// the repository's latest session and nothing blocking is left, the session resumes, because a
// reviewer turn on the current tree is owed before it can converge; when only upheld findings
// block, it is blocked. The live machine does the same (review/convergence.cpp on_decision).
void RepoService::after_stored_decision(std::int64_t session_id) {
  if (m_session && (m_session->in_run() || !is_final_state(m_session->record().state))) return;
  auto latest = m_store->latest_session(m_path);
  if (!latest || !*latest || (*latest)->id != session_id) return;
  SessionRecord rec = **latest;
  if (rec.state != "escalated" && rec.state != "blocked") return;
  auto findings = m_store->findings(session_id);
  if (!findings) return;
  const auto blocking = review::blocking_ids(*findings, loop::loop_policy_from(m_config));
  if (blocking.empty()) {
    log("session")->info("{}: nothing blocking after the decision; reviewing again",
                         session_wire_id(rec.id, m_tag));
    if (auto r = resume(rec); !r) {
      log("session")->error("{}: cannot resume: {}", session_wire_id(rec.id, m_tag),
                            r.error().message);
      return;
    }
    m_last_fingerprint.clear();  // the same tree: look again so that the session runs
    request_snapshot();
    return;
  }
  const bool all_upheld = std::all_of(blocking.begin(), blocking.end(), [&](const std::string& id) {
    return std::any_of(findings->begin(), findings->end(), [&](const review::Finding& f) {
      return f.id == id && f.state == review::FindingState::upheld;
    });
  });
  if (!all_upheld || rec.state == "blocked") return;
  rec.state = rec.verdict = "blocked";
  rec.verdict_reason = std::to_string(blocking.size()) + " upheld finding(s) must be fixed";
  rec.updated_at_ms = now_ms();
  if (auto r = m_store->update_session(rec); !r) {
    log("session")->error("{}: cannot save the session: {}", session_wire_id(rec.id, m_tag),
                          r.error().message);
  }
}

}  // namespace gavel::daemon
