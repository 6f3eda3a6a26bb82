// RepoWatcher's event side: reads inotify events, decides which are relevant (not ignored, not
// git noise), collects their paths and calls on_change once the tree has been quiet for
// `settle`. See docs/daemon.md "Watching".

#include "daemon/watcher_core.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace gavel::daemon {

namespace {

// A new directory with more files than this is reported as the directory itself.
constexpr std::size_t k_max_listed_files = 256;
// A batch with more paths than this becomes a full snapshot.
constexpr std::size_t k_max_paths = 4096;

// Names in the (per-worktree) git directory whose change matters to a review.
bool is_git_state_name(std::string_view name) {
  static constexpr std::array<std::string_view, 8> names = {
      "HEAD",       "index",        "MERGE_HEAD",   "CHERRY_PICK_HEAD",
      "REVERT_HEAD", "BISECT_LOG", "rebase-merge", "rebase-apply"};
  for (auto n : names) {
    if (n == name) return true;
  }
  return false;
}

}  // namespace

void WatcherCore::read_events() {
  m_inotify.async_read_some(
      boost::asio::buffer(m_buffer.get(), k_event_buffer),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
        self->on_read(ec, n);
      });
}

void WatcherCore::on_read(const boost::system::error_code& ec, std::size_t n) {
  if (m_state != State::watching) return;
  if (ec) {
    if (ec == boost::asio::error::operation_aborted) return;
    enter_polling("reading inotify events failed (" + ec.message() + "): polling " +
                  m_rules->workdir() + " instead");
    return;
  }
  std::size_t offset = 0;
  while (offset + sizeof(inotify_event) <= n && m_state == State::watching) {
    inotify_event ev{};
    std::memcpy(&ev, m_buffer.get() + offset, sizeof ev);  // the buffer is not aligned for it
    const char* name = m_buffer.get() + offset + sizeof ev;
    const std::string_view name_view(name, ev.len ? strnlen(name, ev.len) : 0);
    offset += sizeof ev + ev.len;
    handle_event(ev.wd, ev.mask, name_view);
  }
  if (m_state == State::watching) read_events();
}

void WatcherCore::handle_event(int wd, std::uint32_t mask, std::string_view name) {
  if (mask & IN_Q_OVERFLOW) {  // events were lost: paths unknown, watches may be missing
    m_full = true;
    m_rescan = true;
    touch();
    return;
  }
  auto it = m_dirs.find(wd);
  if (it == m_dirs.end()) return;  // a watch we already dropped
  const Dir dir = it->second;      // a copy: handling may erase the entry
  if (mask & IN_IGNORED) {         // the kernel dropped the watch (directory gone, unmount)
    if (wd == m_root_wd) {
      gone("working tree no longer watchable: " + m_rules->workdir());
    } else if (dir.kind == DirKind::gitdir || dir.kind == DirKind::commondir) {
      gone("git directory no longer watchable: " + m_rules->gitdir());
    } else {
      forget(wd);
    }
    return;
  }
  if (dir.kind == DirKind::work) {
    handle_work_event(dir, wd, mask, name);
  } else {
    handle_git_event(dir, mask, name);
  }
}

void WatcherCore::handle_work_event(const Dir& dir, int wd, std::uint32_t mask,
                                    std::string_view name) {
  if (mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)) {
    if (wd == m_root_wd) {
      gone(std::string((mask & IN_MOVE_SELF) ? "working tree moved: " : "working tree deleted: ") +
           m_rules->workdir());
    } else if ((mask & IN_DELETE_SELF) && m_work_dirs.contains(dir.rel)) {
      note(dir.rel);
      remove_subtree(dir.rel);
    }
    return;  // a moved subdirectory is handled by its parent's IN_MOVED_FROM
  }
  if (name.empty()) return;
  if (name == ".git") {  // never descended; losing the root's means the repository is gone
    if (dir.rel.empty() && (mask & (IN_DELETE | IN_MOVED_FROM))) {
      gone(".git removed from " + m_rules->workdir());
    }
    return;
  }
  std::string child = watch::join_rel(dir.rel, name);
  if (mask & IN_ISDIR) {
    if (mask & (IN_CREATE | IN_MOVED_TO)) {
      new_directory(child);
    } else if ((mask & (IN_DELETE | IN_MOVED_FROM)) && m_work_dirs.contains(child)) {
      note(child);  // an ignored directory was never watched, so its removal stays silent
      remove_subtree(child);
    }
    return;
  }
  if (name == ".gitignore") {  // untracked files below it may appear or vanish
    m_rules->invalidate();
    m_rescan = true;  // directories it no longer ignores need watches
    if (dir.rel.empty()) m_full = true;
    note(dir.rel.empty() ? std::move(child) : dir.rel);
    return;
  }
  if (!m_rules->ignored(child, git::PathKind::file)) note(std::move(child));
}

void WatcherCore::handle_git_event(const Dir& dir, std::uint32_t mask, std::string_view name) {
  if (mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)) {
    if (dir.kind == DirKind::gitdir || dir.kind == DirKind::commondir) {
      gone("git directory deleted or moved: " + m_rules->gitdir());
    }
    return;  // a refs/ or info/ directory: IN_IGNORED follows and drops it
  }
  if (name.empty() || name.ends_with(".lock")) return;  // git writes X.lock, then renames it
  switch (dir.kind) {
    case DirKind::gitdir:
      if (is_git_state_name(name) ||
          (name == "packed-refs" && m_rules->gitdir() == m_rules->commondir())) {
        if (name == "index") m_rules->invalidate();  // what is tracked may have changed
        m_git_changed = true;
        touch();
      }
      break;
    case DirKind::commondir:
      if (name == "packed-refs") {
        m_git_changed = true;
        touch();
      }
      break;
    case DirKind::refs:
      if ((mask & IN_ISDIR) && (mask & (IN_CREATE | IN_MOVED_TO))) {
        if (!add_refs_watches(dir.rel + "/" + std::string(name))) return;  // now polling
      }
      m_git_changed = true;
      touch();
      break;
    case DirKind::info:
      if (name == "exclude") {
        m_rules->invalidate();
        m_rescan = true;
        m_full = true;
        touch();
      }
      break;
    case DirKind::work:
      break;
  }
}

void WatcherCore::new_directory(const std::string& rel) {
  const std::string abs = m_rules->workdir() + rel;
  if (access((abs + "/.git").c_str(), F_OK) == 0) {  // a nested repository: never entered
    note(rel);
    return;
  }
  if (m_rules->ignored(rel, git::PathKind::directory)) return;
  // Watch it and everything already below it: files created before the watch existed raise
  // no event of their own, so they are listed from the walk.
  ScanResult result = scan(rel, true, m_dirs.size());
  register_scan(result);
  if (result.files.size() > k_max_listed_files) {
    note(rel);
  } else {
    for (auto& file : result.files) note(std::move(file));
  }
  if (result.limit) enter_polling(limit_message(m_dirs.size(), result.error));
}

void WatcherCore::note(std::string path) {
  if (m_paths.size() >= k_max_paths) {
    m_full = true;
  } else {
    m_paths.insert(std::move(path));
  }
  touch();
}

void WatcherCore::touch() {
  const auto now = std::chrono::steady_clock::now();
  if (!m_pending) m_batch_started = now;
  m_pending = true;
  m_deadline = std::min(now + m_options.settle, m_batch_started + m_options.max_wait);
  arm_settle_timer();
}

// One outstanding wait at a time: a burst of events only moves m_deadline, and the timer, when
// it fires early, waits again for the remainder (no cancel/re-arm per event).
void WatcherCore::arm_settle_timer() {
  if (m_timer_armed) return;
  m_timer_armed = true;
  m_settle_timer.expires_at(m_deadline);
  m_settle_timer.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    self->m_timer_armed = false;
    if (ec || self->m_state != State::watching || !self->m_pending) return;
    if (std::chrono::steady_clock::now() < self->m_deadline) {
      self->arm_settle_timer();
    } else {
      self->flush();
    }
  });
}

void WatcherCore::flush() {
  if (m_rescan) {  // add watches for directories that are missing one
    m_rescan = false;
    ScanResult result = scan("", false, m_dirs.size());
    register_scan(result);
    if (result.limit) {
      enter_polling(limit_message(m_dirs.size(), result.error));
      return;  // the batch stays pending; the first poll reports it
    }
  }
  WatchChange change;
  change.paths.assign(m_paths.begin(), m_paths.end());
  change.git_state_changed = m_git_changed;
  change.full = m_full;
  m_paths.clear();
  m_git_changed = false;
  m_full = false;
  m_pending = false;
  m_rules->trim();
  auto on_change = m_callbacks.on_change;  // a copy: the callback may stop or destroy us
  if (on_change) on_change(std::move(change));
}

}  // namespace gavel::daemon
