// The session runner's driving loop: events in, actions out. See session_runner.hpp.
#include "base/clock.hpp"
#include "loop/session_runner.hpp"

#include "loop/session_detail.hpp"

#include "git/repo_state.hpp"
#include "review/prompt.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <filesystem>
#include <utility>

namespace gavel::loop {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

// How a person names the operation git is in the middle of.
std::string operation_name(git::Operation op) {
  switch (op) {
    case git::Operation::apply_mailbox: return "git am";
    case git::Operation::cherry_pick: return "cherry-pick";
    default: return git::to_string(op);
  }
}

Error busy_error(const git::RepoState& state, const std::string& workdir) {
  return fail(Errc::conflict, "a " + operation_name(state.operation) + " is in progress in " +
                                  workdir + ": finish or abort it, then review");
}

review::SessionState carried_over(const SessionSetup& setup) {
  review::SessionState prior = setup.prior;
  prior.intent = setup.intent;
  return prior;
}

}  // namespace

SessionRunner::SessionRunner(asio::any_io_executor executor, SessionSetup setup,
                             std::shared_ptr<agents::Agent> reviewer,
                             std::shared_ptr<agents::Agent> implementer, SessionObserver* observer)
    : m_executor(executor),
      m_setup(std::move(setup)),
      m_reviewer(std::move(reviewer)),
      m_implementer(std::move(implementer)),
      m_observer(observer),
      m_machine(m_setup.policy, m_setup.seed, carried_over(m_setup)),
      m_wake(executor) {}

SessionRunner::~SessionRunner() = default;

asio::awaitable<Result<SessionOutcome>> SessionRunner::run() {
  if (m_running) co_return fail(Errc::invalid_argument, "the session is already running");
  if (m_cancelled) co_return fail(Errc::cancelled, "the session was cancelled");
  if (!m_started) {
    if (auto r = open_and_snapshot(); !r) co_return r.error();
    m_started = true;
  }
  m_running = true;
  for (;;) {
    while (!m_pending.empty() || !m_events.empty()) {
      if (!m_pending.empty()) {
        review::Action action = std::move(m_pending.front());
        m_pending.pop_front();
        execute(action);
      } else {
        review::Event event = std::move(m_events.front());
        m_events.pop_front();
        feed(std::move(event));
      }
    }
    if (m_cancelled ? m_live.empty() : settled()) break;
    if (!m_cancelled && m_live.empty()) {
      m_running = false;
      co_return fail(Errc::internal, "the session is in progress but no agent is running");
    }
    m_wake.expires_after(std::chrono::seconds(1));
    co_await m_wake.async_wait(asio::as_tuple(asio::use_awaitable));
    // The caller cancelled the awaiting coroutine: stop the agents, then wait for them.
    if ((co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) {
      cancel();
      co_await asio::this_coro::reset_cancellation_state();
    }
    std::int64_t now = unix_now_ms();
    if (!m_cancelled && !m_live.empty() && now - m_last_tick_ms >= 1000) {
      m_last_tick_ms = now;
      feed(review::Tick{now});
    }
  }
  m_running = false;
  if (m_cancelled) co_return fail(Errc::cancelled, "the session was cancelled");
  co_return outcome();
}

Result<void> SessionRunner::open_and_snapshot() {
  for (const auto& [role, text] : {std::pair{review::PromptRole::reviewer, &m_setup.reviewer_template},
                                   std::pair{review::PromptRole::implementer, &m_setup.implementer_template}}) {
    if (text->empty()) continue;
    if (auto r = review::validate_template(role, *text); !r) return r.error();
  }
  auto reader = git::SnapshotReader::open(m_setup.repo, git::ReaderMode::one_shot);
  if (!reader) return reader.error();
  auto state = reader->state();
  if (!state) return state.error();
  if (state->busy()) return busy_error(*state, reader->workdir());
  m_reader = std::make_shared<git::SnapshotReader>(std::move(*reader));
  if (m_setup.first_snapshot) {
    git::Snapshot first = std::move(*m_setup.first_snapshot);
    m_setup.first_snapshot.reset();
    return snapshot_changed(std::move(first));
  }
  git::SnapshotOptions options;
  options.kind = m_setup.kind;
  options.contents = git::SnapshotOptions::Contents::new_text;
  auto snapshot = m_reader->take(options);
  if (!snapshot) return snapshot.error();
  return snapshot_changed(std::move(*snapshot));
}

Result<std::shared_ptr<SessionRunner::Tree>> SessionRunner::make_tree(
    std::shared_ptr<git::SnapshotReader> reader, git::Snapshot snapshot,
    std::shared_ptr<git::ScratchTree> scratch) const {
  std::error_code ec;
  fs::path root = fs::canonical(fs::path(reader->workdir()), ec);
  if (ec) return fail(Errc::io, "cannot resolve " + reader->workdir() + ": " + ec.message());
  auto tree = std::make_shared<Tree>();
  tree->reader = std::move(reader);
  tree->snapshot = std::move(snapshot);
  tree->root = root.string();
  tree->scratch = std::move(scratch);
  return tree;
}

Result<void> SessionRunner::snapshot_changed(git::Snapshot snapshot) {
  if (m_cancelled) return fail(Errc::cancelled, "the session was cancelled");
  if (!m_reader) {  // before run() opened the repository: the snapshot it will start with
    m_setup.first_snapshot = std::move(snapshot);
    return {};
  }
  if (snapshot.state.busy()) return busy_error(snapshot.state, m_reader->workdir());
  auto tree = make_tree(m_reader, std::move(snapshot), nullptr);
  if (!tree) return tree.error();
  m_developer = *tree;
  m_trees.clear();
  m_trees[m_developer->snapshot.changes.fingerprint] = m_developer;
  feed(review::SnapshotChanged{unix_now_ms(), m_developer->snapshot.changes});
  wake();
  return {};
}

Result<void> SessionRunner::decide(std::string_view finding_id, review::Decision decision,
                                   std::string reason, std::string actor) {
  review::HumanDecided event;
  event.now_ms = unix_now_ms();
  event.finding_id = std::string(finding_id);
  event.decision = decision;
  event.reason = std::move(reason);
  event.actor = std::move(actor);
  auto actions = m_machine.on_event(event);
  if (m_observer) m_observer->on_actions(actions, m_machine.state());
  for (auto& action : actions) {
    if (auto* rejected = std::get_if<review::EventRejected>(&action)) return rejected->error;
    m_pending.push_back(std::move(action));
  }
  wake();
  return {};
}

void SessionRunner::cancel() {
  m_cancelled = true;
  for (auto& [run_id, live] : m_live) cancel_run(run_id);
  wake();
}

void SessionRunner::feed(review::Event event) {
  auto actions = m_machine.on_event(event);
  if (m_observer) m_observer->on_actions(actions, m_machine.state());
  for (auto& action : actions) m_pending.push_back(std::move(action));
}

void SessionRunner::execute(const review::Action& action) {
  if (const auto* start = std::get_if<review::StartAgent>(&action)) {
    if (!m_cancelled) start_turn(*start);
  } else if (const auto* stop = std::get_if<review::CancelAgent>(&action)) {
    cancel_run(stop->run_id);
  }
  // Everything else is for the observer, which saw the whole batch in feed().
}

void SessionRunner::start_turn(const review::StartAgent& start) {
  auto tree = m_trees.find(start.snapshot);
  agents::Agent* agent =
      start.role == review::Role::reviewer ? m_reviewer.get() : m_implementer.get();
  if (tree == m_trees.end() || agent == nullptr) {
    std::string why = agent == nullptr ? "no " + std::string(review::to_string(start.role)) + " agent"
                                       : "no snapshot " + start.snapshot + " to work on";
    m_events.push_back(detail::failed(start, review::FailureKind::crash, why, {}));
    return;
  }
  auto signal = std::make_shared<asio::cancellation_signal>();
  m_live[start.run_id] = Live{signal, false};
  asio::co_spawn(m_executor, turn(start, tree->second),
                 asio::bind_cancellation_slot(
                     signal->slot(), [this, start, signal](std::exception_ptr error, TurnResult result) {
                       finish_turn(start.run_id, start, error, std::move(result));
                     }));
}

void SessionRunner::finish_turn(std::uint64_t run_id, const review::StartAgent& start,
                                std::exception_ptr error, TurnResult result) {
  auto live = m_live.find(run_id);
  bool cancelled = live != m_live.end() && live->second.cancelled;
  if (live != m_live.end()) m_live.erase(live);
  if (!cancelled) {
    if (result.event) {
      bool current = m_machine.running() && m_machine.running()->run_id == run_id;
      if (result.tree && current) {
        m_trees.clear();
        m_trees[result.tree->snapshot.changes.fingerprint] = result.tree;
      }
      m_events.push_back(std::move(*result.event));
    } else {
      std::string why = "the agent turn stopped without a result";
      try {
        if (error) std::rethrow_exception(error);
      } catch (const std::exception& e) {
        why = std::string("the agent turn failed: ") + e.what();
      } catch (...) {
      }
      m_events.push_back(detail::failed(start, review::FailureKind::crash, why, {}));
    }
  }
  wake();
}

void SessionRunner::cancel_run(std::uint64_t run_id) {
  auto live = m_live.find(run_id);
  if (live == m_live.end() || live->second.cancelled) return;
  live->second.cancelled = true;
  live->second.signal->emit(asio::cancellation_type::terminal);
}

void SessionRunner::wake() { m_wake.cancel(); }

bool SessionRunner::settled() const {
  return m_machine.state().verdict != review::Verdict::in_progress && m_live.empty() &&
         m_pending.empty() && m_events.empty();
}

SessionOutcome SessionRunner::outcome() const {
  const auto& state = m_machine.state();
  SessionOutcome out;
  out.verdict = state.verdict;
  out.escalation = state.escalation;
  out.summary = state.verdict_summary;
  if (m_developer) out.snapshot = m_developer->snapshot.changes.fingerprint;
  if (!m_scratch || m_scratch_cycle != state.cycle) return out;
  // Offer only what the reviewer saw: the scratch tree must still be the last reviewed snapshot.
  const auto reviewed = m_trees.find(state.reviewed_snapshot);
  if (reviewed == m_trees.end() || reviewed->second->scratch != m_scratch) return out;
  auto now = reviewed->second->reader->take();
  if (!now || now->changes.fingerprint != state.reviewed_snapshot) {
    out.patch_error = "the scratch worktree changed after its last review, so its patch is not offered";
    return out;
  }
  if (auto patch = m_scratch->changes_since_created()) {
    out.proposed_patch = std::move(*patch);
  } else {
    out.patch_error = "cannot read the proposed patch: " + patch.error().message;
  }
  return out;
}

}  // namespace gavel::loop
