// RepoWatcher's lifecycle: start (open the repository, scan the tree, add the git directory's
// watches), stop, and "gone". Event handling is in watcher_events.cpp, degraded mode in
// watcher_poll.cpp.

#include "daemon/watcher.hpp"

#include "daemon/watcher_core.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <dirent.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

namespace gavel::daemon {

namespace {

constexpr std::uint32_t k_work_mask = IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE |
                                      IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF |
                                      IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK;
constexpr std::uint32_t k_git_mask = IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                                     IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR |
                                     IN_DONT_FOLLOW;

std::string read_sysctl(const char* path) {
  std::ifstream in(path);
  std::string value;
  in >> value;
  return value.empty() ? "?" : value;
}

}  // namespace

// ---- RepoWatcher: a handle that stops its core when dropped --------------------------------

RepoWatcher::RepoWatcher(boost::asio::any_io_executor io, std::filesystem::path workdir,
                         RepoWatcherOptions options, RepoWatcherCallbacks callbacks)
    : m_core(std::make_shared<WatcherCore>(std::move(io), std::move(workdir), std::move(options),
                                           std::move(callbacks))) {}

RepoWatcher::~RepoWatcher() { m_core->stop(); }

Result<void> RepoWatcher::start() { return m_core->start(); }
void RepoWatcher::stop() { m_core->stop(); }
bool RepoWatcher::ready() const noexcept {
  return m_core->state() == WatcherCore::State::watching ||
         m_core->state() == WatcherCore::State::polling;
}
bool RepoWatcher::degraded() const noexcept {
  return m_core->state() == WatcherCore::State::polling;
}
bool RepoWatcher::stopped() const noexcept {
  return m_core->state() == WatcherCore::State::stopped;
}
std::size_t RepoWatcher::watch_count() const noexcept { return m_core->watch_count(); }
const std::string& RepoWatcher::workdir() const noexcept { return m_core->workdir(); }

// ---- WatcherCore lifecycle ------------------------------------------------------------------

WatcherCore::WatcherCore(boost::asio::any_io_executor io, std::filesystem::path workdir,
                         RepoWatcherOptions options, RepoWatcherCallbacks callbacks)
    : m_io(io), m_workdir_arg(std::move(workdir)), m_options(std::move(options)),
      m_callbacks(std::move(callbacks)), m_inotify(io), m_settle_timer(io), m_poll_timer(io) {}

const std::string& WatcherCore::workdir() const noexcept {
  static const std::string none;
  return m_rules ? m_rules->workdir() : none;
}

Result<void> WatcherCore::start() {
  if (m_state != State::created) return fail(Errc::invalid_argument, "watcher already started");
  auto rules = git::IgnoreRules::open(m_workdir_arg);
  if (!rules) return rules.error();
  m_rules = std::make_unique<git::IgnoreRules>(std::move(*rules));
  struct stat st {};
  if (lstat(m_rules->workdir().c_str(), &st) != 0) {
    return fail(Errc::io, "cannot stat " + m_rules->workdir() + ": " + std::strerror(errno));
  }
  m_root_ino = st.st_ino;

  const int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err != EMFILE && err != ENFILE && err != ENOMEM) {
      return fail(Errc::io, std::string("inotify_init1: ") + std::strerror(err));
    }
    enter_polling("no inotify instance available (" + std::string(std::strerror(err)) +
                  "; fs.inotify.max_user_instances = " +
                  read_sysctl("/proc/sys/fs/inotify/max_user_instances") + "): polling " +
                  m_rules->workdir() + " instead");
    return {};
  }
  m_inotify.assign(fd);
  m_buffer = std::make_unique<char[]>(k_event_buffer);

  if (!m_options.scan_executor) {
    finish_initial_scan(scan("", false, 0));
    return {};
  }
  // The walk touches only m_rules and the descriptor number; the io side waits for the result.
  m_state = State::scanning;
  m_job_running = true;
  boost::asio::post(*m_options.scan_executor, [self = shared_from_this()] {
    ScanResult result = self->scan("", false, 0);
    boost::asio::post(self->m_io, [self, result = std::move(result)]() mutable {
      self->m_job_running = false;
      self->finish_initial_scan(std::move(result));
    });
  });
  return {};
}

void WatcherCore::finish_initial_scan(ScanResult result) {
  if (m_state == State::stopped) {  // stop() left the descriptor to us
    release();
    return;
  }
  register_scan(result);
  m_rules->trim();  // the walk's answers were cached on the scan thread; not needed idle
  if (result.limit) {
    enter_polling(limit_message(m_dirs.size(), result.error));
    return;
  }
  if (!add_git_watches()) return;
  m_state = State::watching;
  read_events();
  // Posted: without a scan executor this runs inside start(), before the caller is ready.
  boost::asio::post(m_io, [self = shared_from_this()] {
    if (self->m_state != State::watching) return;
    auto on_ready = self->m_callbacks.on_ready;
    if (on_ready) on_ready();
  });
}

int WatcherCore::add_watch(const std::string& abs, std::uint32_t mask, int* err) {
  const int wd = inotify_add_watch(m_inotify.native_handle(), abs.c_str(), mask);
  *err = wd < 0 ? errno : 0;
  return wd;
}

WatcherCore::ScanResult WatcherCore::scan(const std::string& start_rel, bool collect_files,
                                          std::size_t held) {
  ScanResult out;
  const std::string& root = m_rules->workdir();
  watch::TreeVisitor visitor;
  visitor.on_dir = [&](const std::string& rel, const struct stat&) {
    if (m_work_dirs.contains(rel)) return watch::Visit::descend;  // already watched
    if (m_options.max_watches && held + out.added.size() >= m_options.max_watches) {
      out.limit = true;
      return watch::Visit::stop;
    }
    int err = 0;
    const int wd = add_watch(rel.empty() ? root : root + rel, k_work_mask, &err);
    if (wd >= 0) {
      out.added.emplace_back(wd, rel);
      return watch::Visit::descend;
    }
    if (err == ENOSPC) {
      out.limit = true;
      out.error = err;
      return watch::Visit::stop;
    }
    return watch::Visit::skip;  // vanished or unreadable meanwhile
  };
  if (collect_files) {
    visitor.on_file = [&](const std::string& rel, const struct stat&) {
      out.files.push_back(rel);
    };
  }
  watch::walk_tree(root, start_rel, *m_rules, visitor);
  return out;
}

void WatcherCore::register_scan(const ScanResult& result) {
  for (const auto& [wd, rel] : result.added) {
    m_dirs[wd] = Dir{rel, DirKind::work};
    m_work_dirs[rel] = wd;
    if (rel.empty()) m_root_wd = wd;
  }
}

bool WatcherCore::add_watch_checked(const std::string& abs, DirKind kind, const std::string& rel) {
  if (m_options.max_watches && m_dirs.size() >= m_options.max_watches) {
    enter_polling(limit_message(m_dirs.size(), 0));
    return false;
  }
  int err = 0;
  const int wd = add_watch(abs, k_git_mask, &err);
  if (wd >= 0) {
    m_dirs[wd] = Dir{rel, kind};
    return true;
  }
  if (err == ENOSPC) {
    enter_polling(limit_message(m_dirs.size(), err));
    return false;
  }
  return true;  // missing (e.g. no info/): nothing to watch there
}

bool WatcherCore::add_refs_watches(const std::string& rel) {
  const std::string abs = m_rules->commondir() + rel;
  if (!add_watch_checked(abs, DirKind::refs, rel)) return false;
  std::unique_ptr<DIR, int (*)(DIR*)> d(opendir(abs.c_str()), closedir);
  if (!d) return true;
  std::vector<std::string> subdirs;
  while (const dirent* e = readdir(d.get())) {
    const std::string_view name = e->d_name;
    if (name == "." || name == ".." || e->d_type != DT_DIR) continue;
    subdirs.emplace_back(name);
  }
  for (const auto& name : subdirs) {
    if (!add_refs_watches(rel + "/" + name)) return false;
  }
  return true;
}

bool WatcherCore::add_git_watches() {
  const std::string& gitdir = m_rules->gitdir();
  const std::string& commondir = m_rules->commondir();
  struct stat st {};
  if (lstat(gitdir.c_str(), &st) != 0) {
    gone("git directory missing: " + gitdir);
    return false;
  }
  if (!add_watch_checked(gitdir, DirKind::gitdir, "")) return false;
  if (commondir != gitdir && !add_watch_checked(commondir, DirKind::commondir, "")) return false;
  if (!add_refs_watches("refs/heads")) return false;
  return add_watch_checked(commondir + "info", DirKind::info, "info");
}

void WatcherCore::remove_subtree(const std::string& rel) {
  auto it = m_work_dirs.lower_bound(rel);
  while (it != m_work_dirs.end() &&
         (it->first == rel || (it->first.starts_with(rel) && it->first.size() > rel.size() &&
                               it->first[rel.size()] == '/'))) {
    inotify_rm_watch(m_inotify.native_handle(), it->second);  // may already be gone: fine
    m_dirs.erase(it->second);
    it = m_work_dirs.erase(it);
  }
}

void WatcherCore::forget(int wd) {
  auto it = m_dirs.find(wd);
  if (it == m_dirs.end()) return;
  if (it->second.kind == DirKind::work) {
    auto w = m_work_dirs.find(it->second.rel);
    if (w != m_work_dirs.end() && w->second == wd) m_work_dirs.erase(w);
  }
  m_dirs.erase(it);
}

void WatcherCore::stop() {
  if (m_state == State::stopped) return;
  m_state = State::stopped;
  m_settle_timer.cancel();
  m_poll_timer.cancel();
  m_paths.clear();
  m_pending = false;
  m_callbacks = {};  // callbacks run from copies, so clearing from inside one is safe
  // A job on the scan executor may be using the descriptor and reading m_work_dirs: its
  // completion handler releases them instead.
  if (!m_job_running) release();
}

void WatcherCore::release() {
  boost::system::error_code ec;
  m_inotify.close(ec);  // drops every watch at once
  m_dirs.clear();
  m_work_dirs.clear();
  m_root_wd = -1;
}

void WatcherCore::gone(const std::string& reason) {
  if (m_state == State::stopped) return;
  auto on_gone = m_callbacks.on_gone;
  spdlog::warn("watcher: {}; unwatching", reason);
  stop();
  if (on_gone) on_gone(reason);
}

std::string WatcherCore::limit_message(std::size_t held, int err) const {
  const std::string why =
      err == ENOSPC
          ? "fs.inotify.max_user_watches = " + read_sysctl("/proc/sys/fs/inotify/max_user_watches")
          : "max_watches = " + std::to_string(m_options.max_watches);
  return "inotify watch limit reached for " + m_rules->workdir() + " after " +
         std::to_string(held) + " watches (" + why + "); polling it every " +
         std::to_string(m_options.poll_interval.count()) +
         " ms instead. Raise the limit with: sysctl fs.inotify.max_user_watches=524288";
}

}  // namespace gavel::daemon
