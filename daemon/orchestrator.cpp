#include "daemon/orchestrator.hpp"

#include "base/clock.hpp"
#include "daemon/log_setup.hpp"
#include "git/repository.hpp"
#include "loop/repo_config.hpp"

#include <boost/asio/post.hpp>

#include <algorithm>

namespace gavel::daemon {

namespace asio = boost::asio;

Orchestrator::Orchestrator(asio::io_context& io, asio::thread_pool& pool, DaemonOptions options,
                           config::Config config, Registry registry)
    : m_io(io),
      m_pool(pool),
      m_options(std::move(options)),
      m_config(std::move(config)),
      m_registry(std::move(registry)),
      m_free_slots(std::max(1, m_config.daemon.max_concurrent_agents)),
      m_reaper(io) {}

Orchestrator::~Orchestrator() = default;

void Orchestrator::start() {
  const auto paths = m_registry.repos();
  for (const auto& path : paths) {
    auto repo = add_repo(path, false);
    if (repo) continue;
    const Errc code = repo.error().code;
    if (code == Errc::not_a_repository || code == Errc::bare_repository || code == Errc::not_found) {
      log("daemon")->warn("{}: no longer a repository ({}); unregistered", path,
                          repo.error().message);
      (void)m_registry.remove(path);
    } else {
      log("daemon")->error("{}: not watched: {}", path, repo.error().message);
    }
  }
  log("daemon")->info("gaveld {} ready: {} repositories, {} agent slots", GAVEL_VERSION,
                      m_repos.size(), m_free_slots);
}

Result<RepoService*> Orchestrator::add_repo(const std::string& path, bool persist) {
  auto svc = RepoService::open(m_io.get_executor(), *this, path);
  if (!svc) return svc.error();
  const std::string key = (*svc)->path();
  if (auto it = m_repos.find(key); it != m_repos.end()) return it->second.get();
  if (persist) {
    if (auto r = m_registry.add(key); !r) return r.error();
  }
  if (auto r = (*svc)->start(); !r) {
    if (persist) (void)m_registry.remove(key);
    return r.error();
  }
  RepoService* raw = svc->get();
  m_repos.emplace(key, std::move(*svc));
  log("daemon")->info("{}: registered", key);
  return raw;
}

Result<RepoService*> Orchestrator::find_repo(const std::string& path) {
  std::string key = path;
  while (key.size() > 1 && key.back() == '/') key.pop_back();
  if (auto it = m_repos.find(key); it != m_repos.end()) return it->second.get();
  auto repo = git::Repository::open(path);
  if (repo) {
    key = repo->workdir();
    while (key.size() > 1 && key.back() == '/') key.pop_back();
    if (auto it = m_repos.find(key); it != m_repos.end()) return it->second.get();
  }
  return fail(Errc::not_found, "no registered repository at " + path + " (run `gavel repo add`)");
}

Result<RepoService*> Orchestrator::find_by_tag(const std::string& tag) {
  for (auto& [path, repo] : m_repos) {
    if (repo->tag() == tag) return repo.get();
  }
  return fail(Errc::not_found, "no registered repository holds ids ending in -" + tag);
}

void Orchestrator::publish(const protocol::Event& event) {
  if (m_server) m_server->publish(event);
}

review::Usage Orchestrator::used_today(RepoService& asking, std::int64_t except_session) {
  const std::int64_t since = local_day_start_ms(unix_now_ms());
  review::Usage total;
  for (auto& [path, repo] : m_repos) {
    total += repo->usage_since(since, repo.get() == &asking ? except_session : 0);
  }
  // `asking` is not registered yet while it starts (add_repo registers it after start()).
  if (!m_repos.contains(asking.path())) {
    total += asking.usage_since(since, except_session);
  }
  return total;
}

void Orchestrator::request_slot(RepoService& repo) {
  if (m_free_slots > 0) {
    --m_free_slots;
    repo.slot_granted();
    return;
  }
  log("repo")->info("{}: waiting for an agent slot ({} in use)", repo.path(),
                    m_config.daemon.max_concurrent_agents);
  m_waiting.push_back(&repo);
}

void Orchestrator::release_slot(RepoService& /*repo*/) {
  if (m_waiting.empty()) {
    ++m_free_slots;
    return;
  }
  RepoService* next = m_waiting.front();
  m_waiting.pop_front();
  next->slot_granted();
}

void Orchestrator::repo_gone(const std::string& path, const std::string& reason) {
  auto it = m_repos.find(path);
  if (it == m_repos.end()) return;
  log("daemon")->warn("{}: gone ({}); unregistered", path, reason);
  (void)m_registry.remove(path);
  auto svc = std::move(it->second);
  m_repos.erase(it);
  retire(std::move(svc), false);
}

void Orchestrator::retire(std::unique_ptr<RepoService> repo, bool interrupted) {
  repo->stop(interrupted);
  m_retired.push_back(std::move(repo));
  reap();
}

void Orchestrator::reap() {
  std::erase_if(m_retired, [](const auto& r) { return r->idle(); });
  if (m_retired.empty() && !m_stopping) return;
  if (m_stopping) return;  // the shutdown loop reaps
  m_reaper.expires_after(std::chrono::milliseconds(100));
  m_reaper.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) reap();
  });
}

void Orchestrator::begin_shutdown(std::chrono::milliseconds grace) {
  if (m_stopping) return;
  m_stopping = true;
  log("daemon")->info("stopping: cancelling sessions");
  if (m_server) m_server->stop();
  for (auto& [path, repo] : m_repos) m_retired.push_back(std::move(repo));
  m_repos.clear();
  for (auto& repo : m_retired) repo->stop(true);
  while (!m_waiting.empty()) {  // a stopped service gives a granted slot straight back
    RepoService* next = m_waiting.front();
    m_waiting.pop_front();
    next->slot_granted();
  }
  m_deadline = std::chrono::steady_clock::now() + grace;
  asio::post(m_io, [this] { shutdown_step(); });
}

void Orchestrator::shutdown_step() {
  std::erase_if(m_retired, [](const auto& r) { return r->idle(); });
  if (!m_retired.empty() && std::chrono::steady_clock::now() < m_deadline) {
    m_reaper.expires_after(std::chrono::milliseconds(25));
    m_reaper.async_wait([this](const boost::system::error_code&) { shutdown_step(); });
    return;
  }
  if (!m_retired.empty()) {
    log("daemon")->warn("stopping with {} repositories still busy", m_retired.size());
  }
  log("daemon")->info("stopped");
  if (m_on_stopped) m_on_stopped();
}

void Orchestrator::reload() {
  auto config = loop::load_config("/", m_options.overrides);
  if (!config) {
    log("daemon")->error("SIGHUP: the new configuration is invalid; keeping the old one: {}",
                         config.error().message);
    return;
  }
  m_config = std::move(*config);
  if (m_options.log_level.empty()) {
    if (auto r = configure_logging(m_config.daemon.log_level); !r) {
      log("daemon")->error("SIGHUP: {}", r.error().message);
    }
  }
  for (auto& [path, repo] : m_repos) {
    if (auto r = repo->reload_config(); !r) {
      log("daemon")->error("{}: SIGHUP: keeping the old configuration: {}", path, r.error().message);
    }
  }
  log("daemon")->info("configuration reloaded");
}

}  // namespace gavel::daemon
