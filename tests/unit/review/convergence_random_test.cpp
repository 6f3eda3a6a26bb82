// Scripted agents behaving arbitrarily drive the machine thousands of times. Whatever they do,
// every session ends in a documented verdict within the round limit, never loops, and never
// publishes "converged" while a blocking finding is open.
// Reproduce a failure with GAVEL_RANDOM_SEED=<seed printed> GAVEL_RANDOM_SESSIONS=1.
#include "review/convergence.hpp"

#include "convergence_harness.hpp"
#include "review/finding_id.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <memory>
#include <random>

namespace gavel::review {
namespace {

using namespace gavel::review::testing;

constexpr int k_event_cap = 400;  // far above what a legal session can need

struct Tree {
  std::string a;
  std::string b;
  Changeset changeset() const {
    std::string fp = std::to_string(fnv1a(a)) + "-" + std::to_string(fnv1a(b));
    return snapshot(fp, {file("src/a.c", a), file("src/b.c", b)});
  }
};

const char* const k_titles[][2] = {
    {"Null dereference of ptr", "ptr may be NULL"},
    {"Integer overflow in size", "size computation can overflow"},
    {"Leak of buffer", "buffer leaked on error path"},
    {"Missing bounds check", "index unchecked against len"},
    {"Race on counter", "counter updated without lock"},
    {"Hard-coded secret", "secret committed in source"},
};

class Session {
 public:
  explicit Session(std::uint64_t seed) : m_rng(seed) {}

  // Runs one session; returns a description of the first broken invariant, or "".
  std::string run() {
    LoopPolicy policy;
    policy.triage = static_cast<Triage>(pick(0, 2));
    policy.round_limit = pick(2, 8);
    policy.insist_limit = pick(1, 3);
    if (chance(10)) policy.implementer = ImplementerMode::disabled;
    if (chance(20)) policy.per_session.tokens = pick(500, 5000);
    if (chance(10)) policy.per_round.wall_ms = pick(1000, 100000);
    m_h = std::make_unique<Harness>(policy);
    m_trees.push_back({lines(40, "a"), lines(40, "b")});
    int external = 0;
    m_h->change(m_trees.back().changeset());
    for (int events = 0; events < k_event_cap; ++events) {
      if (auto bad = check(); !bad.empty()) return bad;
      turns = std::max(turns, static_cast<int>(m_h->machine.state().rounds.size()));
      Verdict v = m_h->verdict();
      if (v == Verdict::awaiting_human) {
        decide_something();
        continue;
      }
      if (is_final(v)) {
        if (v == Verdict::escalated && chance(50) && decide_something()) continue;
        if (external < 2 && chance(30)) {
          ++external;
          m_h->change(mutate().changeset());
          continue;
        }
        final_verdict = v;
        escalation = m_h->escalation();
        return {};
      }
      if (!m_h->machine.running()) return "in progress with no agent running";
      step_agent();
    }
    return "no verdict after " + std::to_string(k_event_cap) + " events (loop?)";
  }

  Verdict final_verdict = Verdict::in_progress;
  std::optional<EscalationReason> escalation;
  int turns = 0;

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_rng); }
  bool chance(int percent) { return pick(1, 100) <= percent; }

  std::string check() {
    const auto& state = m_h->machine.state();
    const auto& policy = m_h->machine.policy();
    int starts = 0;
    for (const auto& a : m_h->last) {
      if (const auto* v = std::get_if<PublishVerdict>(&a)) {
        if (v->verdict == Verdict::converged) {
          for (const auto& f : state.findings) {
            if (blocking_by_design(f, policy)) return "published converged with " + f.id + " blocking";
          }
          if (state.reviewed_snapshot != state.current_snapshot) {
            return "published converged for a snapshot the reviewer has not reviewed";
          }
        }
      }
      if (const auto* s = std::get_if<StartAgent>(&a)) {
        ++starts;
        if (s->attempt > policy.max_attempts) return "attempt beyond the limit";
        if (s->round > policy.round_limit) return "round beyond the limit";
        if (s->role == Role::implementer && policy.implementer == ImplementerMode::disabled) {
          return "implementer started while disabled";
        }
      }
    }
    if (starts > 1) return "more than one agent started at once";
    if (state.round > policy.round_limit) return "round counter beyond the limit";
    if (state.verdict == Verdict::in_progress && !m_h->machine.running()) {
      return "in progress with nothing running";
    }
    return {};
  }

  // DESIGN.md's definition, written independently of the machine's own predicates: a finding
  // in the diff, at or above the threshold once P3 is mapped, and not closed.
  static bool blocking_by_design(const Finding& f, const LoopPolicy& policy) {
    if (f.adjacent) return false;
    const Priority p = f.raised.priority == Priority::p3 ? policy.p3_maps_to : f.raised.priority;
    if (static_cast<int>(p) > static_cast<int>(policy.blocking_threshold)) return false;
    switch (f.state) {
      case FindingState::verified:
      case FindingState::withdrawn:
      case FindingState::dismissed:
      case FindingState::waived:
        return false;
      default:
        return true;
    }
  }

  bool decide_something() {
    std::vector<std::string> candidates;
    for (const auto& f : m_h->machine.state().findings) {
      if ((f.awaiting_human && !is_closed(f.state)) || is_blocking(f, m_h->machine.policy())) {
        candidates.push_back(f.id);
      }
    }
    if (candidates.empty()) return false;
    auto id = candidates[static_cast<std::size_t>(pick(0, static_cast<int>(candidates.size()) - 1))];
    auto d = static_cast<Decision>(pick(0, 2));
    m_h->decide(id, d, chance(90) ? "reason" : "");
    return true;
  }

  RaisedFinding random_finding() {
    const auto& t = k_titles[pick(0, 5)];
    RaisedFinding r = raised(chance(50) ? "src/a.c" : "src/b.c", pick(1, 40), t[pick(0, 1)],
                             static_cast<Priority>(pick(0, 3)), "body " + std::to_string(pick(0, 3)));
    r.location.lines.end = std::min(40, r.location.lines.start + pick(0, 2));
    return r;
  }

  std::string some_id() {
    const auto& fs = m_h->machine.state().findings;
    if (fs.empty() || chance(10)) return "F" + std::to_string(pick(50, 99));  // garbage
    return fs[static_cast<std::size_t>(pick(0, static_cast<int>(fs.size()) - 1))].id;
  }

  Tree mutate() {
    if (m_trees.size() > 1 && chance(20)) {
      return m_trees[static_cast<std::size_t>(pick(0, static_cast<int>(m_trees.size()) - 1))];
    }
    Tree t = m_trees.back();
    for (int n = pick(1, 4); n > 0; --n) {
      std::string& text = chance(50) ? t.a : t.b;
      text = replace_line(text, pick(1, 40), "edit_" + std::to_string(pick(0, 1'000'000)) + "();");
    }
    m_trees.push_back(t);
    return t;
  }

  void step_agent() {
    int roll = pick(1, 100);
    if (roll <= 12) {
      m_h->fail(static_cast<FailureKind>(pick(0, 5)), chance(20) ? pick(0, 3000) : 0);
      return;
    }
    if (roll <= 15) {
      m_h->tick(pick(1, 200'000));
      return;
    }
    if (roll <= 18) {
      m_h->feed(Tick{m_h->now});  // nothing to do: must change nothing
      ReviewerReported stale;
      stale.now_ms = m_h->now;
      stale.run_id = m_h->run_id() + 1000;
      stale.checked.in_diff = {random_finding()};
      m_h->feed(stale);
      return;
    }
    Usage usage{pick(0, 400), 0.0};
    if (m_h->machine.running()->role == Role::reviewer) {
      std::vector<RaisedFinding> in_diff, adjacent;
      std::vector<RejectedFinding> rejected;
      for (int n = pick(0, 4); n > 0; --n) in_diff.push_back(random_finding());
      if (chance(20)) adjacent.push_back(random_finding());
      if (chance(20)) rejected.push_back({random_finding(), "outside the repository"});
      std::vector<PriorVerdict> prior;
      for (int n = pick(0, 3); n > 0; --n) {
        prior.push_back(verdict(some_id(), static_cast<PriorVerdict::Kind>(pick(0, 2))));
      }
      m_h->review(in_diff, prior, adjacent, rejected, usage);
      return;
    }
    std::vector<FindingResponse> responses;
    for (int n = pick(0, 4); n > 0; --n) {
      responses.push_back(response(some_id(), chance(60) ? FindingResponse::Action::fixed
                                                         : FindingResponse::Action::disputed));
    }
    Tree t = chance(30) ? m_trees.back() : mutate();
    m_h->implement(responses, t.changeset(), usage);
  }

  std::mt19937_64 m_rng;
  std::unique_ptr<Harness> m_h;
  std::vector<Tree> m_trees;
};

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v ? std::strtoull(v, nullptr, 10) : fallback;
}

TEST(ConvergenceRandom, ArbitraryAgentsAlwaysReachADocumentedVerdict) {
  const std::uint64_t base = env_or("GAVEL_RANDOM_SEED", 20261125);
  const std::uint64_t sessions = env_or("GAVEL_RANDOM_SESSIONS", 3000);
  int failures = 0;
  std::map<std::string, int> outcomes;
  long turns = 0;
  for (std::uint64_t i = 0; i < sessions && failures < 5; ++i) {
    std::uint64_t seed = base + i;
    Session session(seed);
    std::string bad = session.run();
    if (!bad.empty()) {
      ++failures;
      ADD_FAILURE() << "seed " << seed << ": " << bad;
      continue;
    }
    std::string name(to_string(session.final_verdict));
    if (session.escalation) name += "(" + std::string(to_string(*session.escalation)) + ")";
    ++outcomes[name];
    turns += session.turns;
  }
  std::string summary;
  for (const auto& [name, n] : outcomes) summary += " " + name + "=" + std::to_string(n);
  std::printf("outcomes:%s; %ld agent turns recorded\n", summary.c_str(), turns);
  // Every documented ending is reached by some session, so the invariants were exercised.
  if (sessions >= 1000) {
    for (const char* want : {"converged", "blocked", "escalated(dispute)", "escalated(stall)",
                             "escalated(oscillation)", "escalated(round_limit)", "exhausted",
                             "infra_failure"}) {
      EXPECT_GT(outcomes[want], 0) << want;
    }
  }
}

}  // namespace
}  // namespace gavel::review
