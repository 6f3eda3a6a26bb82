#include "agents/process_child.hpp"

#include "agents/process_boost.hpp"
#include "agents/process_child_detail.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

#include <memory>

#include <cerrno>
#include <csignal>
#include <sys/wait.h>

namespace gavel::agents {
namespace asio = boost::asio;
namespace bp = boost::process::v2;
using std::chrono::steady_clock;

namespace detail {

ChildRun::ChildRun(asio::any_io_executor ex, ChildSpec spec)
    : m_spec(std::move(spec)),
      m_stdin(ex),
      m_stdout(ex),
      m_stderr(ex),
      m_deadline(ex),
      m_tick(ex),
      m_done(ex, steady_clock::time_point::max()),
      m_out(m_spec.max_stdout_bytes),
      m_err(m_spec.max_stderr_bytes) {}

ChildRun::~ChildRun() {
  // Only reached early if the executor was torn down mid-run: take the group down with us.
  if (m_pid > 0 && !m_group_gone) {
    ::kill(-m_pid, SIGKILL);
    if (m_exited) reap_group();
  }
  forget_agent();
}

void ChildRun::start() {
  m_started_at = steady_clock::now();
  if (m_spec.stdin_data) {
    m_stdin_busy = true;
    asio::async_write(m_stdin, asio::buffer(*m_spec.stdin_data),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                        self->m_stdin_busy = false;
                        if (ec && ec != asio::error::operation_aborted) self->m_stdin_broken = true;
                        self->close_stdin();
                        self->check_finished();
                      });
  }
  read_stdout();
  read_stderr();
  m_proc->async_wait(
      [self = shared_from_this()](boost::system::error_code ec, int) { self->on_exit(ec); });
  m_deadline.expires_after(m_spec.timeout);
  m_deadline.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->stop(StopReason::timeout);
  });
}

void ChildRun::read_stdout() {
  m_stdout.async_read_some(
      asio::buffer(m_out_chunk),
      [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
        self->m_out.append(self->m_out_chunk.data(), n);
        if (!ec) return self->read_stdout();
        boost::system::error_code ignored;
        self->m_stdout.close(ignored);
        self->check_finished();
      });
}

void ChildRun::read_stderr() {
  m_stderr.async_read_some(
      asio::buffer(m_err_chunk),
      [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
        self->m_err.append(self->m_err_chunk.data(), n);
        if (!ec) return self->read_stderr();
        boost::system::error_code ignored;
        self->m_stderr.close(ignored);
        self->check_finished();
      });
}

void ChildRun::close_stdin() {
  boost::system::error_code ignored;
  if (m_stdin.is_open()) m_stdin.close(ignored);
}

void ChildRun::on_exit(boost::system::error_code ec) {
  m_exited = true;
  if (ec) {
    spdlog::warn("agent process {}: waiting for it failed: {}", m_pid, ec.message());
    m_wait_status.reset();
  } else {
    m_wait_status = m_proc->native_exit_code();
  }
  close_stdin();
  schedule_tick(std::chrono::milliseconds(0));
}

void ChildRun::stop(StopReason why) {
  if (!m_exited && m_reason == StopReason::none) m_reason = why;
  close_stdin();
  if (m_term_sent || m_finished || m_group_gone) return;
  m_term_sent = true;
  m_term_at = steady_clock::now();
  ::kill(-m_pid, SIGTERM);
  schedule_tick(k_tick);
}

void ChildRun::schedule_tick(std::chrono::milliseconds delay) {
  if (m_finished) return;
  m_tick.expires_after(delay);
  m_tick.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->tick();
  });
}

bool ChildRun::group_alive() {
  if (!m_exited) return true;  // the leader itself; reaping it is the process handle's job
  reap_group();
  return ::kill(-m_pid, 0) == 0 || errno != ESRCH;
}

void ChildRun::reap_group() {
  // Grandchildren reparented to us (we are a subreaper) and still in the child's group.
  while (::waitpid(-m_pid, nullptr, WNOHANG) > 0) {
  }
}

void ChildRun::tick() {
  const auto now = steady_clock::now();
  if (m_exited && !m_group_gone) {
    if (!group_alive()) {
      m_group_gone = true;
    } else if (!m_term_sent) {
      stop(StopReason::none);  // leftovers of a child that exited by itself
    }
  }
  if (m_term_sent && !m_kill_sent && !m_group_gone && now >= m_term_at + m_spec.kill_grace) {
    m_kill_sent = true;
    m_kill_at = now;
    ::kill(-m_pid, SIGKILL);
  }
  if (m_kill_sent && !m_group_gone && now >= m_kill_at + k_reap_limit) {
    spdlog::error("agent process group {} survived SIGKILL; giving up on it", m_pid);
    m_group_gone = true;
    m_left_behind = true;
  }
  if (m_group_gone && (m_stdout.is_open() || m_stderr.is_open())) {
    if (!m_drain_started) {
      m_drain_started = true;
      m_drain_at = now;
    } else if (now >= m_drain_at + k_pipe_drain) {
      spdlog::warn("agent process {}: output pipes held open outside its group; closing", m_pid);
      boost::system::error_code ignored;
      m_stdout.close(ignored);
      m_stderr.close(ignored);
    }
  }
  check_finished();
  if (!m_finished) schedule_tick(k_tick);
}

void ChildRun::check_finished() {
  // A leader that survived SIGKILL (stuck in the kernel) was given up on: the run finishes
  // without its exit status rather than waiting forever; its wait handler keeps this alive.
  const bool leader_done = m_exited || m_left_behind;
  if (m_finished || !leader_done || !m_group_gone || m_stdin_busy || m_stdout.is_open() ||
      m_stderr.is_open()) {
    return;
  }
  m_finished = true;
  forget_agent();  // the leader is reaped and its group is gone (or given up on)
  m_deadline.cancel();
  m_tick.cancel();
  m_done.cancel();
}

ChildOutcome ChildRun::take_outcome() {
  ChildOutcome out = std::move(m_launch_outcome);
  if (m_pid <= 0) return out;
  out.pid = m_pid;
  out.duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - m_started_at);
  const int status = m_wait_status.value_or(0);
  if (m_wait_status && WIFSIGNALED(status)) out.term_signal = WTERMSIG(status);
  if (m_reason == StopReason::timeout) {
    out.end = ChildEnd::timed_out;
  } else if (m_reason == StopReason::cancelled) {
    out.end = ChildEnd::cancelled;
  } else if (out.term_signal != 0) {
    out.end = ChildEnd::signalled;
  } else {
    out.end = ChildEnd::exited;
    out.exit_code = m_wait_status && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  out.stdout_text = std::move(m_out.text);
  out.stdout_dropped = m_out.dropped;
  m_err.finish();
  out.stderr_text = std::move(m_err.text);
  out.stderr_dropped = m_err.dropped;
  out.stdin_broken = m_stdin_broken;
  out.group_left_behind = m_left_behind;
  return out;
}

}  // namespace detail

asio::awaitable<ChildOutcome> run_child(ChildSpec spec) {
  // Cancellation of any type stops the child, and we keep waiting for the reap, so later awaits
  // must not throw; a cancellation that came before we started is noted before the reset.
  const bool throw_before = co_await asio::this_coro::throw_if_cancelled();
  co_await asio::this_coro::throw_if_cancelled(false);
  auto state = co_await asio::this_coro::cancellation_state;
  const bool cancelled_early = state.cancelled() != asio::cancellation_type::none;
  co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());

  auto run =
      std::make_shared<detail::ChildRun>(co_await asio::this_coro::executor, std::move(spec));
  if (!cancelled_early && run->launch()) {
    run->start();
    while (!run->finished()) {
      state = co_await asio::this_coro::cancellation_state;
      if (state.cancelled() != asio::cancellation_type::none) {
        run->stop(detail::StopReason::cancelled);
        co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
        continue;
      }
      co_await run->done_event().async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }
  ChildOutcome outcome = run->take_outcome();
  if (cancelled_early) outcome.end = ChildEnd::cancelled;
  co_await asio::this_coro::reset_cancellation_state();
  co_await asio::this_coro::throw_if_cancelled(throw_before);
  co_return outcome;
}

}  // namespace gavel::agents
