// `gavel hook run`: the pre-commit gate against the daemon (see cli/hook_gate.hpp).
#include "cli/hook_gate.hpp"

#include "cli/cli.hpp"
#include "cli/daemon_client.hpp"
#include "cli/finding_view.hpp"
#include "git/snapshot.hpp"
#include "loop/loop_policy.hpp"
#include "loop/repo_config.hpp"
#include "protocol/names.hpp"
#include "protocol/review_record.hpp"
#include "review/gate.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string_view>
#include <thread>

namespace gavel::cli {

namespace {

namespace pr = protocol;
using Clock = std::chrono::steady_clock;

Result<StagedChange> staged_change(const std::string& dir) {
  auto reader = git::SnapshotReader::open(dir, git::ReaderMode::one_shot);
  if (!reader) return reader.error();
  std::filesystem::path index_file;
  if (const char* index = std::getenv("GIT_INDEX_FILE"); index && *index) {
    index_file = std::filesystem::absolute(index);
  }
  return git::read_staged_change(*reader, index_file);
}

// The daemon's message joins its reasons with "; ": a headline, then one line per blocking
// finding with its decide hint. The findings are listed from gate.findings, so their lines are
// dropped here: each finding is printed once.
std::string headline(const pr::GateCheckResponse& gate) {
  auto names_a_finding = [&](std::string_view part) {
    return std::any_of(gate.findings.begin(), gate.findings.end(), [&](const auto& f) {
      return part.find("`gavel decide " + f.id + " ") != std::string_view::npos;
    });
  };
  std::string out;
  std::string_view rest = gate.message;
  while (!rest.empty()) {
    const std::size_t cut = rest.find("; ");
    const std::string_view part = rest.substr(0, cut);
    rest = cut == std::string_view::npos ? std::string_view{} : rest.substr(cut + 2);
    if (names_a_finding(part)) continue;
    out += (out.empty() ? "" : "; ") + std::string(part);
  }
  return out;
}

int infra_failure(const config::Config& config, const std::string& what) {
  if (config.gate.infra_failure == config::FailMode::closed) {
    std::cerr << "gavel: INFRASTRUCTURE FAILURE (not a finding): " << what
              << "\ngavel: commit refused because gate.infra_failure = closed; retry, or "
                 "bypass once with `git commit --no-verify`\n";
    return k_gate_infra;
  }
  std::cerr << "gavel: warning: infrastructure failure (not a finding): " << what
            << "\ngavel: commit allowed because gate.infra_failure = open\n";
  return k_gate_pass;
}

struct Gate {
  const config::Config& config;
  const StagedChange& change;
  client::Client& client;
  review::LoopPolicy policy;

  int infra(const std::string& what) const { return infra_failure(config, what); }

  std::optional<pr::SessionShowResponse> show(const std::string& session) {
    if (session.empty()) return std::nullopt;
    auto s = client.call(pr::SessionShowRequest{session});
    if (!s) return std::nullopt;
    return std::move(*s);
  }

  nlohmann::json record(const pr::GateCheckResponse& gate) {
    pr::RecordInputs in{gate, change.fingerprint, change.base, show(gate.session), {}};
    if (in.session) {
      for (const auto& f : in.session->findings) {
        auto shown = client.call(pr::FindingShowRequest{f.id});
        in.shown.push_back(shown ? std::optional(std::move(*shown)) : std::nullopt);
      }
    }
    return pr::review_record(in);
  }

  int pass(const pr::GateCheckResponse& gate) {
    save_pending_note(change, record(gate));
    std::cerr << "gavel: pass (" << (gate.session.empty() ? "" : gate.session + ": ")
              << gate.message << ")\n";
    return k_gate_pass;
  }

  int block(const pr::GateCheckResponse& gate) {
    if (auto s = show(gate.session); s && s->session.state == pr::SessionState::infra_failure) {
      return infra("the review of this change ended in an infrastructure failure (session " +
                   gate.session + ")");
    }
    std::cerr << "gavel: commit blocked: " << headline(gate) << "\n";
    for (const auto& f : gate.findings) {
      std::cerr << "  " << review::gate_line(to_finding(f), policy) << "\n";
    }
    std::cerr << "gavel: bypass once with `git commit --no-verify`\n";
    return k_gate_block;
  }

  int decide_or_wait(pr::GateCheckResponse gate) {
    const auto start = Clock::now();
    const auto deadline = start + config.gate.wait;
    std::string last;
    auto next_note = start;
    while (true) {
      switch (gate.status) {
        case pr::GateStatus::pass: return pass(gate);
        case pr::GateStatus::block: return block(gate);
        case pr::GateStatus::no_session: {
          pr::ReviewStartRequest req;
          req.repo = change.repo;
          req.scope = pr::DiffScope::staged;
          auto started = client.call(req);
          if (!started) return infra("the daemon could not start a review: " + started.error().message);
          std::cerr << "gavel: no review of this staged change yet; started " << started->session.id
                    << "\n";
          break;
        }
        case pr::GateStatus::pending: break;
      }
      const auto now = Clock::now();
      const double secs = std::chrono::duration<double>(now - start).count();
      if (now >= deadline) {
        std::cerr << "gavel: commit blocked: the review of this change is still running after "
                  << static_cast<int>(secs) << " s (gate.wait_ms = " << config.gate.wait.count()
                  << "); commit again when `gavel status` shows it finished, or bypass once with "
                     "`git commit --no-verify`\n";
        return k_gate_block;
      }
      if (gate.progress) {
        const auto& p = *gate.progress;
        std::string line = "round " + std::to_string(p.round) + " of " + std::to_string(p.round_limit) +
                           (p.current_agent.empty() ? "" : ", " + p.current_agent + " working");
        if (line != last || now >= next_note) {
          char elapsed[32];
          std::snprintf(elapsed, sizeof elapsed, "%.1f", secs);
          std::cerr << "gavel: waiting for the review: " << line << ", " << elapsed << " s\n";
          last = line;
          next_note = now + std::chrono::seconds(2);
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      auto again = client.call(pr::GateCheckRequest{change.repo, change.fingerprint});
      if (!again) return infra("the daemon failed to answer gate.check: " + again.error().message);
      gate = std::move(*again);
    }
  }
};

}  // namespace

int run_gate(const GateArgs& args) {
  auto config = loop::load_config(args.dir, args.overrides);
  if (!config) {
    std::cerr << "gavel: " << config.error().message << "\n";
    return k_exit_data;
  }
  auto change = staged_change(args.dir);
  if (!change) {
    std::cerr << "gavel: cannot read the staged change: " << change.error().message << "\n";
    return exit_code_for_daemon_error(change.error());
  }
  clear_pending_note(change->gitdir);
  if (change->empty) return k_gate_pass;  // nothing to review; git decides about empty commits
  const bool closed = config->gate.infra_failure == config::FailMode::closed;
  auto c = client::Client::connect(daemon_socket_path());
  if (!c) {
    if (c.error().code != Errc::unavailable) {
      return infra_failure(*config, "cannot reach the daemon: " + c.error().message);
    }
    switch (config->gate.no_daemon) {
      case config::NoDaemonPolicy::inline_review: return run_inline_gate(args, *change, closed);
      case config::NoDaemonPolicy::warn:
        std::cerr << "gavel: warning: no daemon is running, so this commit was NOT reviewed "
                     "(gate.no_daemon = warn; start one with `gavel daemon start`)\n";
        return k_gate_pass;
      case config::NoDaemonPolicy::fail:
        std::cerr << "gavel: commit refused: no daemon is running to review it (gate.no_daemon = "
                     "fail). Start one with `gavel daemon start`, or bypass once with "
                     "`git commit --no-verify`\n";
        return k_gate_no_daemon;
    }
  }
  Gate gate{*config, *change, *c, loop::loop_policy_from(*config, true)};
  auto first = c->call(pr::GateCheckRequest{change->repo, change->fingerprint});
  if (!first) return gate.infra("the daemon failed to answer gate.check: " + first.error().message);
  return gate.decide_or_wait(std::move(*first));
}

}  // namespace gavel::cli
