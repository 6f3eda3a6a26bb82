// bench_hook: what gavel's pre-commit gate adds to `git commit` when the staged change was
// already reviewed (the daemon answers pass at once), next to a plain commit and cheap hooks,
// in the same run on the same machine.
//
//   bench_hook [--runs N] [--warmup N] [--keep]
//
// Starts a real gaveld (private HOME, XDG dirs and socket; builtin agents, no key), creates a
// repository, registers it and runs `gavel hook install`. Then, per run and per variant (order
// rotated each run): append a line to a tracked file, `git add` it, wait until the daemon has a
// converged review of that staged fingerprint (gate.check answers pass), and time only
// `git -c core.hooksPath=DIR commit -q -m x`. Variants: no hook; an empty `#!/bin/sh` hook; a
// small compiled client doing one socket round trip (bench_hook_ping); the full gate
// (`exec gavel hook run`, what the hooks called before gavel-hook); gavel's pre-commit hook as
// installed, alone (gavel-hook's fast path); gavel's hooks as installed (pre-commit + the
// post-commit note). Results: docs/performance.md.
#include "bench/hook/bench_env.hpp"

#include "client/client.hpp"
#include "git/snapshot.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sys/stat.h>
#include <thread>

namespace fs = std::filesystem;
namespace pr = gavel::protocol;
using namespace gavel::bench;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double k_target_ms = 5.0;

struct Variant {
  std::string name;
  fs::path hooks;  // core.hooksPath for the commit
  std::vector<double> ms;   // wall time of each timed commit
  std::vector<double> cpu;  // its CPU time (git and everything it waited for)
};

struct Figures {
  double median = 0, p90 = 0, cpu = 0;  // cpu: median CPU time
};

Figures figures(const Variant& v) {
  std::vector<double> ms = v.ms, cpu = v.cpu;
  return {percentile(ms, 0.5), percentile(ms, 0.9), percentile(cpu, 0.5)};
}

void write_hook(const fs::path& dir, const std::string& name, const std::string& text) {
  fs::create_directories(dir);
  std::ofstream(dir / name) << text;
  ::chmod((dir / name).c_str(), 0755);
}

std::string staged_fingerprint(const fs::path& repo) {
  auto reader = gavel::git::SnapshotReader::open(repo, gavel::git::ReaderMode::one_shot);
  if (!reader) die("cannot open the repository: " + reader.error().message, {});
  gavel::git::SnapshotOptions options;
  options.kind = gavel::review::DiffKind::staged;
  auto snap = reader->take(options);
  if (!snap) die("cannot read the staged change: " + snap.error().message, {});
  return snap->changes.fingerprint;
}

// Waits (up to 60 s) until gate.check passes for the staged change, as it does once the daemon's
// review of the working tree (all of it staged) converged; asks for a staged review if the
// daemon has none after 5 s.
void wait_reviewed(const BenchEnv& env) {
  const std::string fp = staged_fingerprint(env.repo);
  const auto start = Clock::now();
  bool asked = false;
  while (Clock::now() - start < std::chrono::seconds(60)) {
    auto c = gavel::client::Client::connect(env.socket);
    if (!c) die("cannot reach gaveld: " + c.error().message, env.root / "gaveld.log");
    auto gate = c->call(pr::GateCheckRequest{env.repo.string(), fp});
    if (!gate) die("gate.check failed: " + gate.error().message, env.root / "gaveld.log");
    if (gate->status == pr::GateStatus::pass) return;
    if (gate->status == pr::GateStatus::block) die("gate blocks: " + gate->message, env.log());
    if (gate->status == pr::GateStatus::no_session && !asked &&
        Clock::now() - start > std::chrono::seconds(5)) {
      pr::ReviewStartRequest req;
      req.repo = env.repo.string();
      req.scope = pr::DiffScope::staged;
      asked = c->call(req).has_value();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  die("no converged review of the staged change after 60 s", env.root / "gaveld.log");
}

void wait_daemon(const BenchEnv& env) {
  const auto start = Clock::now();
  while (Clock::now() - start < std::chrono::seconds(30)) {
    if (auto c = gavel::client::Client::connect(env.socket); c && c->call(pr::StatusRequest{})) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  die("gaveld did not answer", env.root / "gaveld.log");
}

void setup_repo(const BenchEnv& env) {
  must_run({"git", "init", "-q", "-b", "main", "."}, env);
  must_run({"git", "config", "user.name", "Bench"}, env);
  must_run({"git", "config", "user.email", "bench@example.com"}, env);
  std::ofstream(env.repo / "notes.txt") << "notes\n";
  must_run({"git", "add", "notes.txt"}, env);
  must_run({"git", "commit", "-q", "-m", "init"}, env);
}

std::vector<Variant> make_variants(const BenchEnv& env) {
  const fs::path hooks = env.root / "hooks";
  fs::create_directories(hooks / "none");
  write_hook(hooks / "empty", "pre-commit", "#!/bin/sh\nexit 0\n");
  write_hook(hooks / "ping", "pre-commit", "#!/bin/sh\nexec '" GAVEL_PING_PATH "'\n");
  write_hook(hooks / "full", "pre-commit", "#!/bin/sh\nexec '" GAVEL_CLI_PATH "' hook run\n");
  const fs::path installed = env.repo / ".git" / "hooks";
  std::ifstream script(installed / "pre-commit");
  const std::string text((std::istreambuf_iterator<char>(script)), std::istreambuf_iterator<char>());
  if (text.find("gavel-hook") == std::string::npos) die("the installed hook does not call gavel-hook", {});
  fs::create_directories(hooks / "gate");
  fs::copy_file(installed / "pre-commit", hooks / "gate" / "pre-commit");
  return {{"plain commit (no hook)", hooks / "none", {}, {}},
          {"empty shell hook", hooks / "empty", {}, {}},
          {"compiled client, 1 socket round trip", hooks / "ping", {}, {}},
          {"full gate, `gavel hook run` (before)", hooks / "full", {}, {}},
          {"gavel pre-commit as installed", hooks / "gate", {}, {}},
          {"gavel as installed (+ post-commit)", installed, {}, {}}};
}

// One timed commit of a fresh, reviewed, staged change.
Timed timed_commit(const BenchEnv& env, const Variant& v, int run) {
  std::ofstream(env.repo / "notes.txt", std::ios::app) << "run " << run << " " << v.name << "\n";
  must_run({"git", "add", "notes.txt"}, env);
  wait_reviewed(env);
  const Timed t = run_timed({"git", "-c", "core.hooksPath=" + v.hooks.string(), "commit", "-q",
                             "-m", "x"}, env.repo, env.vars, env.log());
  if (t.status != 0) die("commit failed with " + v.name, env.log());
  return t;
}

// Where the gate's time goes, outside git: the `gavel` process starting and doing nothing, the
// full gate and gavel-hook's fast path on a reviewed staged change, and the compiled client.
std::vector<Variant> make_probes() {
  return {{"gavel --version (process start only)", {}, {}, {}},
          {"gavel hook run (outside git)", {}, {}, {}},
          {"gavel-hook pre-commit (outside git)", {}, {}, {}},
          {"bench_hook_ping (outside git)", {}, {}, {}}};
}

void time_probes(const BenchEnv& env, std::vector<Variant>& probes, int run) {
  std::ofstream(env.repo / "notes.txt", std::ios::app) << "probe " << run << "\n";
  must_run({"git", "add", "notes.txt"}, env);
  wait_reviewed(env);
  const std::vector<std::vector<std::string>> argv{{GAVEL_CLI_PATH, "--version"},
                                                   {GAVEL_CLI_PATH, "hook", "run"},
                                                   {GAVEL_HOOK_PATH, "pre-commit"},
                                                   {GAVEL_PING_PATH}};
  std::vector<std::string> vars = env.vars;  // as git exports it to the hook
  vars.push_back("GIT_INDEX_FILE=" + (env.repo / ".git" / "index").string());
  for (std::size_t i = 0; i < probes.size(); ++i) {
    const Timed t = run_timed(argv[i], env.repo, vars, env.log());
    if (t.status != 0) die(probes[i].name + " failed", env.log());
    probes[i].ms.push_back(t.ms);
    probes[i].cpu.push_back(t.cpu_ms);
  }
}

void print_probes(const std::vector<Variant>& probes) {
  std::printf("\nwhere the time goes (processes run directly, not by git):\n");
  for (const auto& p : probes) {
    const Figures f = figures(p);
    std::printf("%-38s %8.1f %8.1f %8s %8.1f\n", p.name.c_str(), f.median, f.p90, "", f.cpu);
  }
}

void print_table(const std::vector<Variant>& variants) {
  std::printf("%-38s %8s %8s %8s %8s %9s\n", "variant", "median", "p90", "added", "cpu",
              "cpu added");
  const Figures plain = figures(variants[0]);
  for (const auto& v : variants) {
    const Figures f = figures(v);
    std::printf("%-38s %8.1f %8.1f %+8.1f %8.1f %+9.1f\n", v.name.c_str(), f.median, f.p90,
                f.median - plain.median, f.cpu, f.cpu - plain.cpu);
  }
  std::printf("\ntarget: gavel adds at most %.0f ms to git commit (median over plain)\n",
              k_target_ms);
  for (std::size_t i = 3; i < variants.size(); ++i) {
    const double added = figures(variants[i]).median - plain.median;
    std::printf("  %-34s %+6.1f ms  %s\n", variants[i].name.c_str(), added,
                added <= k_target_ms ? "met" : "NOT met");
  }
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 30;
  int warmup = 3;
  bool keep = false;
  CLI::App app{"bench_hook: what gavel's pre-commit gate adds to git commit (reviewed change)"};
  app.add_option("--runs", runs, "timed commits per variant")->check(CLI::Range(1, 10000));
  app.add_option("--warmup", warmup, "untimed rounds of every variant first")
      ->check(CLI::Range(0, 100));
  app.add_flag("--keep", keep, "keep the temp directory and print its path");
  CLI11_PARSE(app, argc, argv);

  const BenchEnv env = BenchEnv::create();
  const std::string load_before = load_average();
  std::ofstream(env.root / "cfg" / "gavel" / "config.toml")
      << "[review]\nreviewer = \"rules\"\nimplementer = \"patch\"\n";
  setup_repo(env);
  std::vector<Variant> variants, probes = make_probes();
  {
    Daemon daemon(GAVEL_DAEMON_PATH, env, {"review.settle_ms=200"});
    wait_daemon(env);
    if (!gavel::client::Client::connect(env.socket)->call(pr::RepoAddRequest{env.repo.string()})) {
      die("repo.add failed", env.root / "gaveld.log");
    }
    must_run({GAVEL_CLI_PATH, "hook", "install"}, env);
    variants = make_variants(env);
    const int n = static_cast<int>(variants.size());
    for (int run = -warmup; run < runs; ++run) {
      for (int k = 0; k < n; ++k) {
        Variant& v = variants[static_cast<std::size_t>((k + run + warmup) % n)];
        const Timed t = timed_commit(env, v, run);
        if (run < 0) continue;
        v.ms.push_back(t.ms);
        v.cpu.push_back(t.cpu_ms);
      }
      if (run >= 0) time_probes(env, probes, run);
    }
  }
  const std::string load_after = load_average();

  std::cout << "bench_hook: git commit of a staged change the daemon already reviewed\n"
            << runs << " timed commits per variant (after " << warmup
            << " warm-up rounds), variants interleaved; times in ms, cpu = user + system time\n"
            << "load average " << load_before << " before, " << load_after << " after; nproc "
            << std::thread::hardware_concurrency() << "\n\n";
  std::cout.flush();
  print_table(variants);
  print_probes(probes);
  if (keep) {
    std::cout << "kept: " << env.root.string() << "\n";
  } else {
    std::error_code ec;
    fs::remove_all(env.root, ec);
  }
  return 0;
}
