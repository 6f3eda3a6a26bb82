#pragma once
// Helpers for the session runner's tests (tests/unit/loop/session_*_test.cpp): a scripted
// Agent that answers canned texts call by call, an observer that records what it is told, and
// a way to run SessionRunner::run() to completion on a private io_context. Test thread only.

#include "loop/session_runner.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace gavel::loop::test {

// One answer of a ScriptedAgent.
struct Step {
  enum class Kind { text, failure, hang } kind = Kind::text;
  std::string text;  // kind text: the final message
  agents::FailureKind failure = agents::FailureKind::crash;
  // Called with the task before answering (e.g. to edit the scratch worktree like a CLI agent).
  std::function<void(const agents::Task&)> effect;
  // Called with the task to compute the text (overrides `text` when set).
  std::function<std::string(const agents::Task&)> answer;
  std::chrono::milliseconds retry_after{0};  // kind failure: the server's Retry-After
};

inline Step say(std::string text) {
  return Step{Step::Kind::text, std::move(text), {}, {}, {}, {}};
}
inline Step hang() { return Step{Step::Kind::hang, {}, {}, {}, {}, {}}; }

// Answers its steps in order; the last step repeats once the script runs out. Records every task.
class ScriptedAgent final : public agents::Agent {
 public:
  ScriptedAgent(std::string name, std::vector<Step> steps)
      : m_name(std::move(name)), m_steps(std::move(steps)) {}

  const std::string& name() const override { return m_name; }
  std::size_t calls() const { return tasks.size(); }

  boost::asio::awaitable<agents::AgentResult> run(agents::Task task) override {
    tasks.push_back(task);
    const Step& step = m_steps.at(std::min(tasks.size(), m_steps.size()) - 1);
    if (step.effect) step.effect(task);
    if (step.kind == Step::Kind::hang) {
      boost::asio::steady_timer forever(co_await boost::asio::this_coro::executor,
                                        std::chrono::hours(24));
      co_await forever.async_wait(boost::asio::use_awaitable);  // until cancelled
    }
    if (step.kind == Step::Kind::failure) {
      agents::AgentFailure failure;
      failure.kind = step.failure;
      failure.message = "scripted failure";
      failure.retry_after = step.retry_after;
      co_return agents::AgentResult(boost::system::in_place_error, std::move(failure));
    }
    agents::AgentOutput out;
    out.text = step.answer ? step.answer(task) : step.text;
    out.usage.input_tokens = 10;
    out.usage.output_tokens = 5;
    co_return out;
  }

  std::vector<agents::Task> tasks;

 private:
  std::string m_name;
  std::vector<Step> m_steps;
};

// Records every callback.
class RecordingObserver final : public SessionObserver {
 public:
  void on_actions(const std::vector<review::Action>& batch, const review::SessionState&) override {
    for (const auto& a : batch) actions.push_back(a);
  }
  void on_turn_started(const TurnStarted& t) override { started.push_back(t); }
  void on_turn_finished(const TurnFinished& t) override { finished.push_back(t); }

  template <class T>
  std::vector<T> all() const {
    std::vector<T> out;
    for (const auto& a : actions) {
      if (const auto* p = std::get_if<T>(&a)) out.push_back(*p);
    }
    return out;
  }

  std::vector<review::Action> actions;
  std::vector<TurnStarted> started;
  std::vector<TurnFinished> finished;
};

// Runs `runner.run()` on `io` until it returns.
inline Result<SessionOutcome> run_to_end(boost::asio::io_context& io, SessionRunner& runner) {
  std::optional<Result<SessionOutcome>> out;
  boost::asio::co_spawn(io, runner.run(),
                        [&](std::exception_ptr error, Result<SessionOutcome> result) {
                          if (error) std::rethrow_exception(error);
                          out = std::move(result);
                        });
  io.restart();
  io.run();
  if (!out) throw std::logic_error("run() did not complete");
  return std::move(*out);
}

// A policy for tests: tiny backoff, everything else the defaults.
inline review::LoopPolicy test_policy() {
  review::LoopPolicy p;
  p.backoff_ms = {1, 1, 1};
  return p;
}

// A Codex-style review with the given findings (JSON objects, comma-separated).
inline std::string review_json(const std::string& findings, bool correct = false) {
  return std::string(R"({"findings": [)") + findings + R"(], "overall_correctness": ")" +
         (correct ? "patch is correct" : "patch is incorrect") +
         R"(", "overall_explanation": "scripted", "overall_confidence_score": 0.8})";
}

inline std::string finding_json(const std::string& title, int priority, const std::string& path,
                                int line) {
  return R"({"title": ")" + title + R"(", "body": "scripted finding", "confidence_score": 0.9, )" +
         R"("priority": )" + std::to_string(priority) +
         R"(, "code_location": {"absolute_file_path": ")" + path +
         R"(", "line_range": {"start": )" + std::to_string(line) + R"(, "end": )" +
         std::to_string(line) + "}}}";
}

}  // namespace gavel::loop::test
