#include "bench/daemon/latency.hpp"

#include "bench/daemon/sandbox.hpp"
#include "protocol/names.hpp"

#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>

namespace gavel::bench {

namespace {

using namespace std::chrono_literals;

long long realtime_ns() {
  struct timespec ts {};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<long long>(ts.tv_sec) * 1'000'000'000LL + ts.tv_nsec;
}

double ms_since(long long t0, long long t) { return static_cast<double>(t - t0) / 1e6; }

// The time of a gaveld log line ("2026-11-25 08:15:29.793 info ..."; local time), in ns.
std::optional<long long> log_time_ns(const std::string& line) {
  std::tm tm{};
  if (line.size() < 23 || !::strptime(line.c_str(), "%Y-%m-%d %H:%M:%S", &tm)) return std::nullopt;
  tm.tm_isdst = -1;
  const long long seconds = ::mktime(&tm);
  return (seconds * 1000 + std::stoll(line.substr(20, 3))) * 1'000'000LL;
}

// Fills the log_* fields from the log lines written since `offset`.
void read_log(const std::filesystem::path& log, std::streamoff offset, long long t0,
              LatencySample& s) {
  std::ifstream in(log);
  in.seekg(offset);
  for (std::string line; std::getline(in, line);) {
    const auto t = log_time_ns(line);
    if (!t) continue;
    auto first = [&](double& field, bool match) {
      if (match && field < 0) field = ms_since(t0, *t);
    };
    first(s.log_changed_ms, line.find(s.repo + ": changed (") != std::string::npos);
    first(s.log_session_ms, line.find(s.repo + ": session ") != std::string::npos &&
                                line.find(" started") != std::string::npos);
    first(s.log_round_ms, line.find(": round 1 (reviewer") != std::string::npos);
  }
}

}  // namespace

LatencyProbe::LatencyProbe(const Sandbox& sandbox) : m_sandbox(sandbox) {
  auto c = client::Client::connect(sandbox.socket().string());
  if (!c) throw std::runtime_error("connect: " + c.error().message);
  m_client.emplace(std::move(*c));
  if (auto r = m_client->call(protocol::SubscribeRequest{}); !r) {
    throw std::runtime_error("subscribe: " + r.error().message);
  }
}

LatencySample LatencyProbe::measure(const BenchRepo& repo, const std::string& repo_path, int file,
                                    int edit) {
  LatencySample s;
  s.repo = repo_path;
  s.file = repo.path_of(file);
  const std::size_t stamps_before = m_sandbox.review_stamps().size();
  const auto log_offset =
      static_cast<std::streamoff>(std::filesystem::file_size(m_sandbox.log_file()));
  const long long t0 = realtime_ns();
  repo.write(file, repo.content_of(file) + "edit " + std::to_string(edit) + "\n");

  const auto deadline = std::chrono::steady_clock::now() + 120s;
  while (s.verdict.empty()) {
    throw_if_interrupted();
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) break;
    auto ev = m_client->next_event(std::min<std::chrono::milliseconds>(left, 200ms));
    const long long t = realtime_ns();
    if (!ev) {
      if (ev.error().code == Errc::timeout) continue;
      throw std::runtime_error("event stream: " + ev.error().message);
    }
    if (protocol::event_repo(*ev) != repo_path) continue;
    if (std::holds_alternative<protocol::SessionStartedEvent>(*ev) && s.session_started_ms < 0) {
      s.session_started_ms = ms_since(t0, t);
    } else if (auto* rs = std::get_if<protocol::RoundStartedEvent>(&*ev);
               rs && rs->round.role == "reviewer" && s.round_started_ms < 0) {
      s.round_started_ms = ms_since(t0, t);
    } else if (auto* v = std::get_if<protocol::VerdictEvent>(&*ev)) {
      s.verdict = std::string(protocol::to_string(v->verdict));
    }
  }
  const auto stamps = m_sandbox.review_stamps();
  if (stamps.size() > stamps_before) s.reviewer_ms = ms_since(t0, stamps[stamps_before]);
  read_log(m_sandbox.log_file(), log_offset, t0, s);
  return s;
}

}  // namespace gavel::bench
