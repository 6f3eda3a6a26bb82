// The session runner's implementer turn: the cycle's scratch worktree, the agent's work in it,
// and a snapshot of the result. See session_runner.hpp and docs/loop.md step 3.
#include "base/clock.hpp"
#include "loop/session_runner.hpp"

#include "loop/session_detail.hpp"

#include "review/prompt.hpp"
#include "review/report_parser.hpp"

#include <filesystem>
#include <utility>

namespace gavel::loop {

namespace asio = boost::asio;
namespace fs = std::filesystem;

Result<std::shared_ptr<git::ScratchTree>> SessionRunner::scratch_for_cycle(bool fresh) {
  const int cycle = m_machine.state().cycle;
  if (m_scratch && m_scratch_cycle == cycle && !fresh) return m_scratch;
  if (!m_developer) return fail(Errc::internal, "no developer snapshot to copy");
  std::error_code ec;
  fs::path parent = m_setup.scratch_parent.empty() ? fs::temp_directory_path(ec) : m_setup.scratch_parent;
  if (ec) return fail(Errc::io, "no temporary directory for the scratch worktree: " + ec.message());
  auto scratch = git::ScratchTree::create(m_developer->root, m_developer->snapshot.changes, parent);
  if (!scratch) return scratch.error();
  m_scratch = std::make_shared<git::ScratchTree>(std::move(*scratch));
  m_scratch_cycle = cycle;
  return m_scratch;
}

asio::awaitable<SessionRunner::TurnResult> SessionRunner::implement_turn(
    const review::StartAgent& start, std::shared_ptr<const Tree> tree) {
  agents::Agent& agent = *m_implementer;
  if (m_observer) {
    m_observer->on_turn_started({start.run_id, start.role, start.round, start.attempt, agent.name(), 1});
  }
  const auto started = std::chrono::steady_clock::now();
  review::Usage usage;
  auto failure = [&](review::FailureKind kind, std::string message) {
    return turn_failed(start, agent.name(), started, usage, kind, std::move(message));
  };

  // Working on the developer's snapshot means this is the cycle's first implementer turn.
  auto scratch = scratch_for_cycle(tree->scratch == nullptr);
  if (!scratch) co_return failure(review::FailureKind::crash, scratch.error().message);
  std::shared_ptr<git::ScratchTree> work = *scratch;
  std::error_code ec;
  const fs::path root = fs::canonical(work->workdir(), ec);
  if (ec) co_return failure(review::FailureKind::crash, "scratch worktree: " + ec.message());

  review::PromptInputs in;
  in.round = start.round;
  in.repo_root = root.string();
  in.patch = tree->snapshot.patch();
  in.intent = start.inputs.intent;
  in.prior = start.inputs.findings;
  in.verdicts = start.inputs.verdicts;
  auto prompt = review::render_prompt(review::PromptRole::implementer, in, m_setup.implementer_template);
  if (!prompt) co_return failure(review::FailureKind::crash, prompt.error().message);

  auto context = std::make_shared<agents::TaskContext>();
  context->changeset = tree->snapshot.changes;
  context->findings = start.inputs.findings;
  context->apply_patch = [work](const std::string& patch, bool check_only)
      -> boost::system::result<void, std::string> {
    auto mode = check_only ? git::ScratchTree::ApplyMode::check_only : git::ScratchTree::ApplyMode::apply;
    if (auto r = work->apply_patch(patch, mode); !r) return r.error().message;
    return {};
  };
  agents::Task task;
  task.role = agents::Role::implementer;
  task.prompt = std::move(*prompt);
  task.output_schema_json = review::implementer_output_schema();
  task.workdir = root;
  task.timeout = m_setup.implementer_timeout;
  task.context = std::move(context);
  agents::AgentResult result = co_await detail::call_agent(agent, task, m_setup.implementer_timeout);
  if (!result) co_return agent_failed(start, agent.name(), started, usage, result.error());
  usage += detail::to_review_usage(result->usage);
  auto report = review::parse_implementer_report(result->text);
  if (!report) co_return failure(review::FailureKind::malformed_output, report.error().message);
  if (!report->patch.empty()) {
    // An agent without tools (HTTP) answers a patch; gavel applies it, confined to the scratch.
    if (auto applied = work->apply_patch(report->patch, git::ScratchTree::ApplyMode::apply); !applied) {
      co_return failure(review::FailureKind::malformed_output,
                        "the implementer's patch does not apply: " + applied.error().message);
    }
  }

  // Read back through the scratch's own checks: an agent that redirected the scratch
  // repository (core.worktree, .git swapped) would have one tree reviewed, another offered.
  auto reader = work->open_reader();
  if (!reader) {
    const bool redirected = reader.error().code == Errc::invalid_argument;
    co_return failure(redirected ? review::FailureKind::malformed_output : review::FailureKind::crash,
                      "scratch snapshot: " + reader.error().message);
  }
  auto shared_reader = std::make_shared<git::SnapshotReader>(std::move(*reader));
  git::SnapshotOptions options;
  options.contents = git::SnapshotOptions::Contents::new_text;
  auto snapshot = shared_reader->take(options);
  if (!snapshot) co_return failure(review::FailureKind::crash, "scratch snapshot: " + snapshot.error().message);
  auto next = make_tree(shared_reader, std::move(*snapshot), work);
  if (!next) co_return failure(review::FailureKind::crash, next.error().message);

  report_finished(start, agent.name(), started, usage, std::nullopt, {});
  review::ImplementerReported event;
  event.now_ms = unix_now_ms();
  event.run_id = start.run_id;
  event.agent = agent.name();
  event.report = std::move(*report);
  event.snapshot = (*next)->snapshot.changes;
  event.usage = usage;
  co_return TurnResult{review::Event(std::move(event)), *next};
}

}  // namespace gavel::loop
