#include "bench/daemon/sandbox.hpp"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <thread>

#include <stdlib.h>
#include <sys/stat.h>

namespace gavel::bench {

namespace fs = std::filesystem;

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void on_signal(int) { g_interrupted = 1; }

// The scripted reviewer: stamp first (bash builtins only: no fork before the stamp), then read
// the prompt and answer with a review that has no finding, so the session converges at once.
constexpr const char* k_reviewer = R"(printf '%s\n' "$EPOCHREALTIME" >> '@STAMPS@'
cat > /dev/null
printf '%s\n' '{"findings":[],"overall_correctness":"patch is correct","overall_explanation":"ok","overall_confidence_score":0.9}'
)";

constexpr const char* k_implementer = R"(cat > /dev/null
printf '%s\n' '{"responses":[],"summary":"nothing to do"}'
)";

}  // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::sigaction(sig, &sa, nullptr);
}

void throw_if_interrupted() {
  if (g_interrupted) throw std::runtime_error("interrupted");
}

void sleep_checked(std::chrono::milliseconds d) {
  using Clock = std::chrono::steady_clock;
  const auto end = Clock::now() + d;
  for (auto now = Clock::now(); now < end; now = Clock::now()) {
    throw_if_interrupted();
    std::this_thread::sleep_for(
        std::min<Clock::duration>(end - now, std::chrono::milliseconds(100)));
  }
  throw_if_interrupted();
}

Sandbox::Sandbox() {
  std::string tmpl = (fs::temp_directory_path() / "gavel-bench-daemon-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  m_root = fs::canonical(tmpl);
  for (const char* d : {"home", "cfg/gavel", "state", "run", "repos"}) {
    fs::create_directories(m_root / d);
  }
  ::chmod((m_root / "run").c_str(), 0700);
}

Sandbox::~Sandbox() {
  if (m_keep) {
    std::cerr << "kept " << m_root << "\n";
    return;
  }
  std::error_code ec;
  fs::remove_all(m_root, ec);
  if (ec) std::cerr << "could not remove " << m_root << ": " << ec.message() << "\n";
}

std::vector<std::string> Sandbox::daemon_env() const {
  const char* path = std::getenv("PATH");
  return {"HOME=" + (m_root / "home").string(), "XDG_CONFIG_HOME=" + (m_root / "cfg").string(),
          "XDG_STATE_HOME=" + (m_root / "state").string(), "GAVEL_SOCKET=" + socket().string(),
          "GIT_CONFIG_NOSYSTEM=1", std::string("PATH=") + (path ? path : "/usr/bin:/bin")};
}

fs::path Sandbox::write_script(const std::string& name, const std::string& body) const {
  const fs::path p = m_root / name;
  std::ofstream(p) << "#!/bin/bash\n" << body;
  ::chmod(p.c_str(), 0755);
  return p;
}

void Sandbox::write_config() const {
  std::string reviewer = k_reviewer;
  reviewer.replace(reviewer.find("@STAMPS@"), 8, stamp_file().string());
  const fs::path rev = write_script("reviewer.sh", reviewer);
  const fs::path impl = write_script("implementer.sh", k_implementer);
  std::ofstream(m_root / "cfg/gavel/config.toml")
      << "[daemon]\nnotify_command = \"\"\n\n"
      << "[review]\nreviewer = \"bench\"\nimplementer = \"bench\"\n\n"
      << "[agents.bench]\nkind = \"process\"\nreviewer_argv = [\"" << rev.string()
      << "\", \"{workdir}\"]\nimplementer_argv = [\"" << impl.string()
      << "\", \"{workdir}\"]\nprompt_via = \"stdin\"\noutput_from = \"stdout\"\n"
      << "output_format = \"text\"\nkill_grace_ms = 500\n";
}

std::vector<long long> Sandbox::review_stamps() const {
  // Lines like "1764030000.123456" (a ',' in locales that use one; gaveld passes no LANG).
  std::vector<long long> out;
  std::ifstream in(stamp_file());
  for (std::string line; std::getline(in, line);) {
    const auto dot = line.find_first_of(".,");
    if (dot == std::string::npos) continue;
    out.push_back(std::stoll(line.substr(0, dot)) * 1'000'000'000LL +
                  std::stoll(line.substr(dot + 1)) * 1'000LL);
  }
  return out;
}

}  // namespace gavel::bench
