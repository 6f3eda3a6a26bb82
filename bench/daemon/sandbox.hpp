#pragma once
// The benchmark's private world: one temp directory holding the generated repositories, a
// private HOME and XDG dirs, a 0700 socket directory, the user config.toml (scripted agents,
// settle period) and the scripted reviewer, which appends the time it started (bash's
// $EPOCHREALTIME, CLOCK_REALTIME, no fork) to a stamp file as its first action and then prints
// an empty review. Removed when the Sandbox is destroyed, unless kept.
//
// Also the interrupt flag: SIGINT, SIGTERM, SIGHUP and SIGPIPE set it and the benchmark's
// waits throw, so that the destructors still stop gaveld and remove the directory.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace gavel::bench {

// Installs the handlers that set the interrupt flag.
void install_interrupt_handlers();
// Throws std::runtime_error("interrupted") when a signal arrived.
void throw_if_interrupted();
// Sleeps `d` (in short steps, checking the interrupt flag).
void sleep_checked(std::chrono::milliseconds d);

class Sandbox {
 public:
  Sandbox();  // creates $TMPDIR/gavel-bench-daemon-XXXXXX
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  const std::filesystem::path& root() const { return m_root; }
  std::filesystem::path repos_dir() const { return m_root / "repos"; }
  std::filesystem::path socket() const { return m_root / "run" / "gaveld.sock"; }
  std::filesystem::path log_file() const { return m_root / "gaveld.log"; }
  std::filesystem::path stamp_file() const { return m_root / "review-starts"; }
  // The environment gaveld runs with: private HOME, XDG dirs and socket; PATH from ours.
  std::vector<std::string> daemon_env() const;
  // Writes config.toml with the scripted agent "bench" as reviewer and implementer.
  void write_config() const;
  // Reviewer start times (CLOCK_REALTIME, ns) written so far, in order.
  std::vector<long long> review_stamps() const;
  void keep() { m_keep = true; }

 private:
  std::filesystem::path write_script(const std::string& name, const std::string& body) const;

  std::filesystem::path m_root;
  bool m_keep = false;
};

}  // namespace gavel::bench
