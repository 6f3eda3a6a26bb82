// The session runner's agent turns: waiting for a retry's time, and the reviewer turn (chunked
// prompts, one agent call per chunk, merge, parse, location checks). See session_runner.hpp.
#include "base/clock.hpp"
#include "loop/session_runner.hpp"

#include "loop/session_detail.hpp"

#include "git/snapshot_files.hpp"
#include "review/chunk.hpp"
#include "review/location_check.hpp"
#include "review/prompt.hpp"
#include "review/report_parser.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <utility>

namespace gavel::loop {

namespace asio = boost::asio;

namespace {

// The part of `change` a chunk carries, for agents that read the structured changeset.
review::Changeset chunk_changeset(const review::Changeset& change, const review::Chunk& chunk) {
  review::Changeset out = change;
  out.files.clear();
  for (const auto& file : change.files) {
    if (review::chunk_covers(chunk, file.path())) out.files.push_back(file);
  }
  return out;
}

std::string chunk_label(const review::Chunk& chunk, std::size_t index, std::size_t count) {
  if (count <= 1) return {};
  std::string files;
  for (const auto& f : chunk.files) files += (files.empty() ? "" : ", ") + f;
  return "request " + std::to_string(index + 1) + " of " + std::to_string(count) + ": " + files;
}

// True when a non-empty report lost every finding to "outside the repository": the agent's
// paths and gavel's root disagree in form, which must not read as a clean review.
bool all_outside_root(const review::ReviewReport& report, const review::CheckedFindings& checked) {
  if (report.findings.empty() || !checked.in_diff.empty() || !checked.adjacent.empty()) return false;
  return std::all_of(checked.rejected.begin(), checked.rejected.end(), [](const auto& r) {
    return !r.raised.location.path.empty() && r.raised.location.path.front() == '/';
  });
}

}  // namespace

asio::awaitable<SessionRunner::TurnResult> SessionRunner::turn(review::StartAgent start,
                                                               std::shared_ptr<const Tree> tree) {
  std::int64_t wait = start.not_before_ms - unix_now_ms();
  if (wait > 0) {
    asio::steady_timer timer(m_executor, std::chrono::milliseconds(wait));
    co_await timer.async_wait(asio::use_awaitable);
  }
  if (start.role == review::Role::reviewer) co_return co_await review_turn(start, std::move(tree));
  co_return co_await implement_turn(start, std::move(tree));
}

SessionRunner::TurnResult SessionRunner::turn_failed(const review::StartAgent& start,
                                                     const std::string& agent,
                                                     std::chrono::steady_clock::time_point started,
                                                     review::Usage usage, review::FailureKind kind,
                                                     std::string message,
                                                     std::chrono::milliseconds retry_after) const {
  report_finished(start, agent, started, usage, kind,
                  std::string(review::to_string(kind)) + ": " + message);
  return TurnResult{
      review::Event(detail::failed(start, kind, std::move(message), usage, retry_after)), nullptr};
}

SessionRunner::TurnResult SessionRunner::agent_failed(const review::StartAgent& start,
                                                      const std::string& agent,
                                                      std::chrono::steady_clock::time_point started,
                                                      review::Usage& usage,
                                                      const agents::AgentFailure& f) const {
  usage += detail::to_review_usage(f.usage);
  const auto kind = detail::to_review_failure(f.kind);
  if (!kind) {
    report_finished(start, agent, started, usage, std::nullopt, "cancelled");
    return TurnResult{};
  }
  std::string message = f.message + (f.excerpt.empty() ? "" : " (output: " + f.excerpt + ")");
  return turn_failed(start, agent, started, usage, *kind, std::move(message), f.retry_after);
}

void SessionRunner::report_finished(const review::StartAgent& start, const std::string& agent,
                                    std::chrono::steady_clock::time_point started,
                                    review::Usage usage, std::optional<review::FailureKind> kind,
                                    std::string failure) const {
  if (!m_observer) return;
  TurnFinished done;
  done.run_id = start.run_id;
  done.role = start.role;
  done.round = start.round;
  done.attempt = start.attempt;
  done.agent = agent;
  done.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  done.usage = usage;
  done.ok = failure.empty();
  done.failure_kind = kind;
  done.failure = std::move(failure);
  m_observer->on_turn_finished(done);
}

asio::awaitable<SessionRunner::TurnResult> SessionRunner::review_turn(
    const review::StartAgent& start, std::shared_ptr<const Tree> tree) {
  agents::Agent& agent = *m_reviewer;
  const review::Changeset& change = tree->snapshot.changes;
  auto budget = static_cast<std::size_t>(std::max<std::int64_t>(0, m_setup.max_request_bytes));
  review::ChunkPlan plan = review::plan_chunks(change, budget);
  if (plan.chunks.empty()) plan.chunks.emplace_back();  // an empty diff is still one review
  const std::size_t count = plan.chunks.size();
  if (m_observer) {
    m_observer->on_turn_started({start.run_id, start.role, start.round, start.attempt, agent.name(), count});
  }
  const auto started = std::chrono::steady_clock::now();
  review::Usage usage;
  auto failure = [&](review::FailureKind kind, std::string message) {
    return turn_failed(start, agent.name(), started, usage, kind, std::move(message));
  };

  std::vector<review::ChunkReview> reviews;
  for (std::size_t i = 0; i < count; ++i) {
    const review::Chunk& chunk = plan.chunks[i];
    review::PromptInputs in;
    in.round = start.round;
    in.repo_root = tree->root;
    in.patch = chunk.patch;
    in.chunk_label = chunk_label(chunk, i, count);
    in.intent = start.inputs.intent;
    for (const auto& f : start.inputs.findings) {
      if (count == 1 || review::chunk_covers(chunk, f.raised.location.path)) in.prior.push_back(f);
    }
    in.responses = start.inputs.responses;
    in.suppressions = detail::prompt_suppressions(start.inputs.suppressions);
    auto prompt = review::render_prompt(review::PromptRole::reviewer, in, m_setup.reviewer_template);
    if (!prompt) co_return failure(review::FailureKind::crash, prompt.error().message);

    auto context = std::make_shared<agents::TaskContext>();
    context->changeset = count == 1 ? change : chunk_changeset(change, chunk);
    context->findings = in.prior;
    agents::Task task;
    task.role = agents::Role::reviewer;
    task.prompt = std::move(*prompt);
    task.output_schema_json = review::reviewer_output_schema();
    task.workdir = tree->root;
    task.timeout = m_setup.reviewer_timeout;
    task.context = std::move(context);
    agents::AgentResult result = co_await detail::call_agent(agent, task, m_setup.reviewer_timeout);
    if (!result) co_return agent_failed(start, agent.name(), started, usage, result.error());
    usage += detail::to_review_usage(result->usage);
    auto report = review::parse_review_report(result->text, review::ParseOptions{tree->root});
    if (!report) co_return failure(review::FailureKind::malformed_output, report.error().message);
    reviews.push_back(review::ChunkReview{i, std::move(*report), {}});
  }

  review::MergedReview merged = review::merge_chunk_reviews(plan, reviews);
  git::GitSnapshotFiles files(*tree->reader, tree->snapshot);
  review::CheckedFindings checked = review::check_locations(merged.report.findings, change, files);
  if (all_outside_root(merged.report, checked)) {
    co_return failure(review::FailureKind::malformed_output,
                      "every finding (" + std::to_string(merged.report.findings.size()) +
                          ") names a path outside the repository root " + tree->root +
                          "; give paths relative to the root or absolute under it");
  }
  report_finished(start, agent.name(), started, usage, std::nullopt, {});
  review::ReviewerReported event;
  event.now_ms = unix_now_ms();
  event.run_id = start.run_id;
  event.agent = agent.name();
  event.report = std::move(merged.report);
  event.checked = std::move(checked);
  event.usage = usage;
  co_return TurnResult{review::Event(std::move(event)), nullptr};
}

}  // namespace gavel::loop
