// RepoService: the control commands about one repository (sessions, findings, decisions, the
// gate) and what happens to a converged patch. On the io thread; the store answers from disk,
// the live session from its runner.
#include "daemon/repo_service.hpp"

#include "daemon/log_setup.hpp"
#include "daemon/views.hpp"
#include "git/worktree_apply.hpp"
#include "loop/loop_policy.hpp"
#include "protocol/summary.hpp"
#include "review/gate.hpp"
#include "review/lifecycle.hpp"
#include "review/suppression.hpp"

#include <boost/asio/post.hpp>

#include <fstream>

namespace gavel::daemon {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

review::Verdict verdict_of(std::string_view state) {
  if (state == "converged") return review::Verdict::converged;
  if (state == "blocked") return review::Verdict::blocked;
  if (state == "escalated") return review::Verdict::escalated;
  if (state == "exhausted") return review::Verdict::exhausted;
  if (state == "infra_failure") return review::Verdict::infra_failure;
  if (state == "awaiting_human") return review::Verdict::awaiting_human;
  return review::Verdict::in_progress;
}

}  // namespace

protocol::SessionSummary RepoService::summary_of(ActiveSession& s) {
  return session_summary(s.record(), m_tag, s.rounds_done(), s.current_agent());
}

void RepoService::settle_patch(ActiveSession& session, const loop::SessionOutcome& outcome) {
  if (outcome.proposed_patch.empty()) return;
  const std::int64_t id = session.id();
  const std::string wire = session.wire_id();
  auto keep = [this, id, wire, patch = outcome.proposed_patch](const std::string& why) {
    const fs::path dir = fs::path(m_gitdir) / "gavel" / "patches";
    std::error_code ec;
    fs::create_directories(dir, ec);
    const fs::path file = dir / (wire + ".patch");
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << patch;
    out.close();
    std::string note = why + "; the proposed patch is kept at " + file.string();
    if (ec || !out) note = why + "; the proposed patch could not be saved to " + file.string();
    log("session")->info("{}: {}", wire, note);
    if (auto rec = m_store->session(id); rec) {
      rec->verdict_reason += (rec->verdict_reason.empty() ? "" : "; ") + note;
      if (m_session && m_session->id() == id) m_session->record().verdict_reason = rec->verdict_reason;
      (void)m_store->update_session(*rec);
    }
  };
  if (outcome.verdict != review::Verdict::converged) return keep("the loop did not converge");
  if (session.staged()) return keep("a staged review never applies its patch");
  if (m_config.review.apply == config::ApplyPolicy::never) return keep("review.apply is never");
  if (m_config.review.apply == config::ApplyPolicy::ask) {
    return keep("review.apply is ask: apply it with `git apply`");
  }
  ++m_pool_tasks;
  asio::post(m_host.pool(), [this, alive = m_alive, io = m_io, keep, path = m_path, outcome, wire] {
    auto applied = std::make_shared<Result<git::ApplyOutcome>>(git::apply_to_worktree(
        path, outcome.proposed_patch, outcome.snapshot, "gaveld " + wire + ": implementer's patch",
        now_ms()));
    asio::post(io, [this, alive, keep, applied, wire] {
      if (!*alive) return;
      --m_pool_tasks;
      if (!*applied) return keep("not applied: " + applied->error().message);
      log("session")->info("{}: patch applied to {} file(s); undo point {}", wire,
                           (*applied)->changed.size(), (*applied)->undo_point.ref);
    });
  });
}

Result<protocol::SessionSummary> RepoService::start_review(const protocol::ReviewStartRequest& req) {
  if (m_session && (m_session->in_run() || !is_final_state(m_session->record().state))) {
    return fail(Errc::conflict, "a review is already running in " + m_path + " (" +
                                    m_session->wire_id() + "); cancel it first");
  }
  auto session = new_session(req);
  if (!session) return session.error();
  m_session = std::move(*session);
  want_run();
  return summary_of(*m_session);
}

Result<protocol::SessionSummary> RepoService::cancel_review(std::int64_t id) {
  if (m_session && m_session->id() == id) {
    if (!is_final_state(m_session->record().state)) {
      m_session->cancel(false);
      m_session->record().state = "cancelled";
      m_session->save_record();
    }
    return summary_of(*m_session);
  }
  auto rec = m_store->session(id);
  if (!rec) return rec.error();
  return session_summary(*rec, m_tag, 0);
}

Result<std::vector<protocol::SessionSummary>> RepoService::sessions() {
  auto all = m_store->sessions_for_repo(m_path);
  if (!all) return all.error();
  std::vector<protocol::SessionSummary> out;
  for (const auto& rec : *all) {
    if (m_session && m_session->id() == rec.id) {
      out.push_back(summary_of(*m_session));
      continue;
    }
    auto rounds = m_store->rounds(rec.id);
    int done = 0;
    if (rounds) {
      for (const auto& r : *rounds) done += r.state == RoundState::done ? 1 : 0;
    }
    out.push_back(session_summary(rec, m_tag, done));
  }
  return out;
}

Result<protocol::SessionShowResponse> RepoService::show_session(std::int64_t id) {
  auto rec = m_store->session(id);
  if (!rec) return rec.error();
  auto rounds = m_store->rounds(id);
  if (!rounds) return rounds.error();
  auto findings = m_store->findings(id);
  if (!findings) return findings.error();
  protocol::SessionShowResponse out;
  int done = 0;
  for (const auto& r : *rounds) {
    out.rounds.push_back(round_summary(r));
    done += r.state == RoundState::done ? 1 : 0;
  }
  for (const auto& f : *findings) out.findings.push_back(protocol::summarize(f));
  out.session = m_session && m_session->id() == id ? summary_of(*m_session)
                                                   : session_summary(*rec, m_tag, done);
  return out;
}

Result<std::vector<protocol::FindingSummary>> RepoService::findings(protocol::FindingFilter filter) {
  auto all = m_store->sessions_for_repo(m_path);
  if (!all) return all.error();
  std::vector<protocol::FindingSummary> out;
  for (std::size_t i = 0; i < all->size(); ++i) {
    const bool latest = i + 1 == all->size();
    if (filter == protocol::FindingFilter::open_only && !latest) continue;
    auto fs = m_store->findings((*all)[i].id);
    if (!fs) return fs.error();
    for (const auto& f : *fs) {
      if (filter == protocol::FindingFilter::open_only && review::is_closed(f.state)) continue;
      out.push_back(protocol::summarize(f));
    }
  }
  return out;
}

Result<protocol::FindingShowResponse> RepoService::show_finding(std::int64_t id,
                                                                const std::string& finding_id) {
  auto f = m_store->finding(id, finding_id);
  if (!f) return f.error();
  return protocol::show_finding(*f);
}

Result<protocol::FindingSummary> RepoService::decide(std::int64_t id,
                                                     const protocol::DecideRequest& req) {
  const auto decision = static_cast<review::Decision>(static_cast<int>(req.decision));
  if (m_session && m_session->id() == id) {
    auto f = m_session->decide(req.finding, decision, req.reason, req.actor);
    if (!f) return f.error();
    if (!m_session->in_run() && !m_session->cancelled() &&
        m_session->state().verdict == review::Verdict::in_progress) {
      want_run();
    }
    return protocol::summarize(*f);
  }
  // A session the daemon no longer runs: the decision is recorded on the stored finding.
  auto f = m_store->finding(id, req.finding);
  if (!f) return f.error();
  review::TransitionContext ctx{req.actor, now_ms(), req.reason};
  const bool was_dismissed = f->state == review::FindingState::dismissed;
  if (auto r = review::decide(*f, decision, ctx); !r) return r.error();
  if (auto r = m_store->record_decision(id, *f, f->history.back(), ctx.at_ms); !r) return r.error();
  if (decision == review::Decision::dismiss) {
    auto s = review::suppression_from(*f, ctx);
    SuppressionRecord rec{0, s.fingerprint, s.anchor, s.identity_path, s.reason, s.actor, id,
                          f->id, ctx.at_ms, std::nullopt, {}};
    if (auto r = m_store->add_suppression(rec); !r) return r.error();
  } else if (was_dismissed) {
    lapse_stored_suppressions(id, f->id);
  }
  after_stored_decision(id);
  return protocol::summarize(*f);
}

Result<protocol::GateCheckResponse> RepoService::gate(const std::string& fingerprint) {
  protocol::GateCheckResponse out;
  std::optional<review::GateResult> result;
  review::LoopPolicy policy = loop::loop_policy_from(m_config);
  if (m_session) {
    const auto& state = m_session->state();
    bool seen = std::find(state.seen_snapshots.begin(), state.seen_snapshots.end(), fingerprint) !=
                state.seen_snapshots.end();
    if (seen || m_session->record().fingerprint == fingerprint) {
      result = review::evaluate_gate(fingerprint, &state, m_session->policy());
      out.session = m_session->wire_id();
      policy = m_session->policy();
      if (result->answer == review::GateAnswer::pending) {
        int blocking = 0;
        for (const auto& f : state.findings) blocking += review::is_blocking(f, policy) ? 1 : 0;
        out.progress = protocol::Progress{m_session->rounds_done(), policy.round_limit,
                                          m_session->current_agent(), blocking};
      }
    }
  }
  if (!result) {
    auto all = m_store->sessions_for_repo(m_path);
    if (!all) return all.error();
    for (auto it = all->rbegin(); it != all->rend() && !result; ++it) {
      if (it->fingerprint != fingerprint || !is_final_state(it->state)) continue;
      review::SessionState state;
      auto findings = m_store->findings(it->id);
      if (!findings) return findings.error();
      state.findings = std::move(*findings);
      state.verdict = verdict_of(it->state);
      state.current_snapshot = state.reviewed_snapshot = fingerprint;
      state.seen_snapshots = {fingerprint};
      result = review::evaluate_gate(fingerprint, &state, policy);
      out.session = session_wire_id(it->id, m_tag);
      for (const auto& id : result->blocking) {
        for (const auto& f : state.findings) {
          if (f.id == id) out.findings.push_back(protocol::summarize(f));
        }
      }
    }
  } else {
    for (const auto& id : result->blocking) {
      for (const auto& f : m_session->state().findings) {
        if (f.id == id) out.findings.push_back(protocol::summarize(f));
      }
    }
  }
  if (!result) {
    out.status = protocol::GateStatus::no_session;
    out.message = "gavel has no review of this change";
    return out;
  }
  switch (result->answer) {
    case review::GateAnswer::pass: out.status = protocol::GateStatus::pass; break;
    case review::GateAnswer::block: out.status = protocol::GateStatus::block; break;
    case review::GateAnswer::pending: out.status = protocol::GateStatus::pending; break;
  }
  for (const auto& line : result->reasons) out.message += (out.message.empty() ? "" : "; ") + line;
  return out;
}

}  // namespace gavel::daemon
