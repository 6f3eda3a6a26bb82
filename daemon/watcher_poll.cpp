// RepoWatcher's degraded mode: when no more inotify watches can be had, the tree is sampled
// every poll_interval (stat()s of watched directories and files, no content read) and a
// change is reported with full = true. See docs/daemon.md "Watching".

#include "daemon/watcher_core.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace gavel::daemon {

void WatcherCore::enter_polling(const std::string& message) {
  if (m_state == State::stopped || m_state == State::polling) return;
  release();  // gives every watch back, for other repositories
  m_state = State::polling;
  if (!m_degraded_reported) {
    m_degraded_reported = true;
    spdlog::warn("watcher: {}", message);
    // Posted: enter_polling may run inside start(), before the caller is ready for callbacks.
    boost::asio::post(m_io, [self = shared_from_this(), message] {
      if (self->m_state == State::stopped) return;
      auto on_degraded = self->m_callbacks.on_degraded;
      if (on_degraded) on_degraded(message);
    });
  }
  run_poll(true);
}

void WatcherCore::schedule_poll() {
  m_poll_timer.expires_after(m_options.poll_interval);
  m_poll_timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->m_state != State::polling) return;
    self->run_poll(false);
  });
}

void WatcherCore::run_poll(bool baseline) {
  if (!m_options.scan_executor) {
    finish_poll(watch::sample_repository(*m_rules, m_root_ino), baseline);
    return;
  }
  m_job_running = true;
  boost::asio::post(*m_options.scan_executor, [self = shared_from_this(), baseline] {
    watch::PollSample sample = watch::sample_repository(*self->m_rules, self->m_root_ino);
    boost::asio::post(self->m_io, [self, sample = std::move(sample), baseline] {
      self->m_job_running = false;
      self->finish_poll(sample, baseline);
    });
  });
}

void WatcherCore::finish_poll(const watch::PollSample& sample, bool baseline) {
  if (m_state == State::stopped) release();
  if (m_state != State::polling) return;
  if (sample.gone) {
    gone(sample.reason);
    return;
  }
  const bool work_changed = !baseline && sample.work != m_last_sample.work;
  const bool git_changed = !baseline && sample.git != m_last_sample.git;
  m_last_sample = sample;
  m_rules->trim();
  if (git_changed) m_rules->invalidate();  // the index (what is tracked) may have changed
  // A batch that was settling when inotify was given up is reported by the first poll.
  if (!baseline && (work_changed || git_changed || m_pending)) {
    WatchChange change;
    change.paths.assign(m_paths.begin(), m_paths.end());
    change.git_state_changed = git_changed || m_git_changed;
    change.full = true;
    m_paths.clear();
    m_git_changed = false;
    m_full = false;
    m_pending = false;
    auto on_change = m_callbacks.on_change;
    if (on_change) on_change(std::move(change));
    if (m_state != State::polling) return;
  }
  schedule_poll();
}

}  // namespace gavel::daemon
