#pragma once
// Test helpers for the convergence machine: snapshots built from file texts, raised findings,
// and a Harness that feeds events with a moving clock and answers the running agent.

#include "review/convergence.hpp"

#include <string>
#include <utility>
#include <vector>

namespace gavel::review::testing {

// "l1\nl2\n...lN\n" with line `i` reading "stmt_i();".
inline std::string lines(int n, const std::string& stem = "stmt") {
  std::string out;
  for (int i = 1; i <= n; ++i) out += stem + "_" + std::to_string(i) + "();\n";
  return out;
}

// `text` with line `line` (1-based) replaced by `replacement`.
inline std::string replace_line(const std::string& text, int line, const std::string& replacement) {
  std::string out;
  int n = 1;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    out += n == line ? replacement : text.substr(pos, nl - pos);
    out += '\n';
    pos = nl + 1;
    ++n;
  }
  return out;
}

inline FileDiff file(std::string path, std::string text) {
  FileDiff f;
  f.new_path = path;
  f.old_path = std::move(path);
  f.status = FileStatus::modified;
  f.new_text = std::move(text);
  return f;
}

inline Changeset snapshot(std::string fingerprint, std::vector<FileDiff> files) {
  Changeset c;
  c.fingerprint = std::move(fingerprint);
  c.files = std::move(files);
  return c;
}

inline RaisedFinding raised(std::string path, int line, std::string title,
                            Priority priority = Priority::p1, std::string body = {},
                            std::string category = {}) {
  RaisedFinding r;
  r.title = std::move(title);
  r.body = std::move(body);
  r.priority = priority;
  r.location.path = std::move(path);
  r.location.lines = {line, line};
  r.category = std::move(category);
  return r;
}

inline PriorVerdict verdict(std::string id, PriorVerdict::Kind kind, std::string note = {}) {
  PriorVerdict v;
  v.id = std::move(id);
  v.verdict = kind;
  v.note = std::move(note);
  return v;
}

inline FindingResponse response(std::string finding, FindingResponse::Action action,
                                std::string why = "because") {
  return FindingResponse{std::move(finding), action, std::move(why)};
}

template <class T>
const T* find_action(const std::vector<Action>& actions) {
  for (const auto& a : actions) {
    if (const T* t = std::get_if<T>(&a)) return t;
  }
  return nullptr;
}

struct Harness {
  explicit Harness(LoopPolicy policy = {}) : machine(std::move(policy), IdSeed{}) {}

  const std::vector<Action>& feed(Event event) {
    last = machine.on_event(event);
    return last;
  }
  const std::vector<Action>& change(Changeset c) {
    now += 10;
    return feed(SnapshotChanged{now, std::move(c)});
  }
  const std::vector<Action>& review(std::vector<RaisedFinding> in_diff,
                                    std::vector<PriorVerdict> prior = {},
                                    std::vector<RaisedFinding> adjacent = {},
                                    std::vector<RejectedFinding> rejected = {}, Usage usage = {}) {
    now += 10;
    ReviewerReported e;
    e.now_ms = now;
    e.run_id = run_id();
    e.report.prior = std::move(prior);
    e.checked.in_diff = std::move(in_diff);
    e.checked.adjacent = std::move(adjacent);
    e.checked.rejected = std::move(rejected);
    e.usage = usage;
    return feed(e);
  }
  const std::vector<Action>& implement(std::vector<FindingResponse> responses, Changeset tree,
                                       Usage usage = {}) {
    now += 10;
    ImplementerReported e;
    e.now_ms = now;
    e.run_id = run_id();
    e.report.responses = std::move(responses);
    e.snapshot = std::move(tree);
    e.usage = usage;
    return feed(e);
  }
  const std::vector<Action>& fail(FailureKind kind, std::int64_t retry_after_ms = 0) {
    now += 10;
    return feed(AgentFailed{now, run_id(), kind, 1, retry_after_ms, "boom", {}});
  }
  const std::vector<Action>& decide(std::string id, Decision d, std::string reason = "because") {
    now += 10;
    return feed(HumanDecided{now, std::move(id), d, std::move(reason), "human:ann"});
  }
  const std::vector<Action>& tick(std::int64_t advance_ms) {
    now += advance_ms;
    return feed(Tick{now});
  }

  std::uint64_t run_id() const { return machine.running() ? machine.running()->run_id : 0; }
  Verdict verdict() const { return machine.state().verdict; }
  std::optional<EscalationReason> escalation() const { return machine.state().escalation; }
  const StartAgent* started() const { return find_action<StartAgent>(last); }
  const Finding& finding(const std::string& id) const {
    for (const auto& f : machine.state().findings) {
      if (f.id == id) return f;
    }
    throw std::runtime_error("no finding " + id);
  }

  Convergence machine;
  std::int64_t now = 1'000'000;
  std::vector<Action> last;
};

}  // namespace gavel::review::testing
