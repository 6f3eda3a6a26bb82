// `gavel demo`: the main job on the embedded default (docs/cli.md). Two throwaway repositories,
// the builtin agents, no key, no network, no daemon: one session that converges and whose patch
// is applied (with an undo point), and one that escalates to the human, who arbitrates.
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/demo_scenarios.hpp"
#include "cli/proposed_patch.hpp"
#include "cli/session_output.hpp"
#include "cli/session_run.hpp"

#include "git/snapshot.hpp"
#include "loop/loop_policy.hpp"
#include "loop/session_runner.hpp"
#include "review/lifecycle.hpp"
#include "review/priority.hpp"

#include <boost/asio/io_context.hpp>

#include <fstream>
#include <iostream>
#include <sstream>
#include <stdlib.h>
#include <unistd.h>

namespace gavel::cli {

namespace {

struct DemoArgs {
  bool keep = false;
};

class Demo {
 public:
  Demo(std::filesystem::path root, Style style) : m_root(std::move(root)), m_style(style) {}

  // Returns true when the scenario ended as the demo says it does.
  bool converge() {
    auto repo = prepare(converging_scenario(), "shop");
    if (!repo) return false;
    config::Config config;
    config.review.blocking_threshold = 2;
    std::cout << "bar: review.blocking_threshold = P2 (hygiene findings must be fixed)\n\n";
    auto outcome = run(*repo, config, converging_scenario().intent);
    if (!outcome || outcome->verdict != review::Verdict::converged) return false;
    const PatchResult patch =
        settle_patch(*repo, *outcome, config::ApplyPolicy::automatic, /*staged=*/false);
    std::cout << "\nthe implementer's patch, reviewed and " << m_style.bold("applied") << ":\n";
    std::cout << indent(outcome->proposed_patch, "    | ");
    print_patch_result(std::cout, patch);
    return patch.state == PatchResult::State::applied;
  }

  bool disagree() {
    auto repo = prepare(disputed_scenario(), "payments");
    if (!repo) return false;
    config::Config config;
    std::cout << "bar: the default (review.blocking_threshold = P1, insist_limit = 2)\n\n";
    auto outcome = run(*repo, config, disputed_scenario().intent);
    if (!outcome || outcome->verdict != review::Verdict::escalated) return false;
    return arbitrate(*repo);
  }

 private:
  std::optional<std::filesystem::path> prepare(const DemoScenario& s, const std::string& name) {
    std::cout << m_style.bold("== " + s.title) << "\n" << s.story << "\n\n";
    const auto dir = m_root / name;
    if (auto r = git::create_repository(dir, s.committed, "start"); !r) {
      std::cerr << "gavel demo: " << r.error().message << "\n";
      return std::nullopt;
    }
    for (const git::NewFile& f : s.uncommitted) {
      std::ofstream(dir / f.path, std::ios::binary | std::ios::trunc) << f.content;
    }
    std::cout << "repository: " << dir.string() << "\nthe uncommitted change:\n";
    if (auto reader = git::SnapshotReader::open(dir, git::ReaderMode::one_shot)) {
      if (auto snap = reader->take()) std::cout << indent(snap->patch(), "    | ");
    }
    return dir;
  }

  Result<loop::SessionOutcome> run(const std::filesystem::path& repo, const config::Config& config,
                                   const std::string& intent) {
    auto agents = make_session_agents(config, "rules", std::string("patch"));
    if (!agents) return agents.error();
    loop::SessionSetup setup;
    setup.repo = repo;
    setup.intent = intent;
    setup.policy = loop::loop_policy_from(config);
    setup.scratch_parent = m_root;
    m_policy = setup.policy;
    m_progress = std::make_unique<ProgressPrinter>(std::cout, m_style, setup.policy, "  ");
    m_runner = std::make_unique<loop::SessionRunner>(m_io.get_executor(), setup, agents->reviewer,
                                                     agents->implementer, m_progress.get());
    auto outcome = run_session(m_io, *m_runner);
    if (!outcome) std::cerr << "gavel demo: " << outcome.error().message << "\n";
    return outcome;
  }

  // What `gavel arbitrate` shows for each escalated finding, then the human's decision.
  bool arbitrate(const std::filesystem::path& repo) {
    std::cout << "\n" << m_style.bold("the human arbiter") << " (what `gavel arbitrate` shows):\n";
    std::vector<std::string> escalated;
    for (const review::Finding& f : m_runner->state().findings) {
      if (f.state != review::FindingState::escalated) continue;
      escalated.push_back(f.id);
      std::cout << "  " << f.id << "  " << review::to_string(f.raised.priority) << "  "
                << f.raised.location.path << ":" << f.raised.location.lines.start << "  "
                << terminal_safe(f.raised.title) << "\n"
                << "  reviewer (" << f.raised_by << "): " << terminal_safe(f.raised.body) << "\n"
                << "  implementer: " << terminal_safe(f.implementer_note) << "\n"
                << context(repo, f.raised.location);
    }
    if (escalated.empty()) return false;
    const std::string reason =
        "revoked token, kept as a fixture for the client's tests; rotation tracked in SEC-42";
    for (const std::string& id : escalated) {
      std::cout << "  decision: gavel decide " << id << " waive --reason \"" << reason << "\"\n";
      if (auto r = m_runner->decide(id, review::Decision::waive, reason, "human:demo"); !r) {
        std::cerr << "gavel demo: " << r.error().message << "\n";
        return false;
      }
    }
    std::cout << "\n";
    auto outcome = run_session(m_io, *m_runner);
    if (!outcome) return false;
    std::cout << "findings:\n";
    print_findings(std::cout, m_style, m_runner->state().findings, m_policy, true, "    ");
    return outcome->verdict == review::Verdict::converged;
  }

  static std::string context(const std::filesystem::path& repo, const review::Location& at) {
    std::ifstream in(repo / at.path);
    std::ostringstream out;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      if (n < at.lines.start - 2 || n > at.lines.end + 2) continue;
      out << (n >= at.lines.start && n <= at.lines.end ? "  > " : "    ") << n << " | " << line
          << "\n";
    }
    return out.str();
  }

  static std::string indent(const std::string& text, const std::string& prefix) {
    std::istringstream in(text);
    std::ostringstream out;
    for (std::string line; std::getline(in, line);) out << prefix << line << "\n";
    return out.str();
  }

  std::filesystem::path m_root;
  Style m_style;
  boost::asio::io_context m_io;
  review::LoopPolicy m_policy;
  std::unique_ptr<ProgressPrinter> m_progress;
  std::unique_ptr<loop::SessionRunner> m_runner;
};

int run_demo(const DemoArgs& a) {
  std::string pattern = (std::filesystem::temp_directory_path() / "gavel-demo-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "gavel demo: cannot create a temporary directory\n";
    return k_exit_internal;
  }
  const std::filesystem::path root(pattern);
  const Style style{use_color(STDOUT_FILENO)};
  std::cout << style.bold("gavel demo") << ": a reviewer and an implementer check each other's "
            << "work on uncommitted changes,\nwith the builtin agents (no API key, no network, "
            << "no daemon).\n\n";
  bool ok = false;
  {
    Demo first(root, style);
    ok = first.converge();
    std::cout << "\n";
    Demo second(root, style);
    ok = second.disagree() && ok;
  }
  std::cout << "\n"
            << (ok ? style.green("demo finished: both sessions ended as described")
                   : style.red("demo failed: a session did not end as described"))
            << "\n";
  std::error_code ec;
  if (a.keep) {
    std::cout << "the demo repositories are kept in " << root.string() << "\n";
  } else {
    std::filesystem::remove_all(root, ec);
  }
  return ok ? k_exit_ok : k_exit_internal;
}

}  // namespace

Runner attach_demo(CLI::App& app) {
  auto args = std::make_shared<DemoArgs>();
  app.add_flag("--keep", args->keep, "Keep the demo repositories and print where they are");
  return [args] { return run_demo(*args); };
}

}  // namespace gavel::cli
