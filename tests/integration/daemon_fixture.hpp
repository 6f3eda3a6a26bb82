#pragma once
// DaemonFixture: a real gaveld process for integration tests. Each test gets a temp git
// repository (TempGitRepo) and, beside it, a private HOME, XDG dirs, a 0700 socket directory
// and a user config file; gaveld runs with GAVEL_SOCKET pointing there and its stderr in
// gaveld.log (printed when a test fails). Scripted agents are shell scripts written by the test.
// Used from the test thread only.

#include "client/client.hpp"
#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gavel::test {

class DaemonFixture : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Starts gaveld with `-c` overrides (settle 200 ms is always added first).
  void start_daemon(const std::vector<std::string>& overrides = {});
  // Sends `sig` and waits (up to `within`) for the exit; returns the exit status or -1.
  int stop_daemon(int sig, std::chrono::seconds within = std::chrono::seconds(15));
  client::Client client();
  template <class Req>
  typename Req::Response call(const Req& req) {
    auto c = client();
    auto r = c.call(req);
    EXPECT_TRUE(r) << (r ? "" : r.error().message);
    if (!r) throw std::runtime_error("call failed: " + r.error().message);
    return *r;
  }
  void add_repo();
  // Writes the user config file (config.toml) with `text`.
  void write_config(const std::string& text);
  // Writes an executable script under the temp root and returns its path.
  std::string script(const std::string& name, const std::string& body);
  // A process agent [agents.NAME] running `reviewer` / `implementer` scripts.
  static std::string agent_table(const std::string& name, const std::string& reviewer,
                                 const std::string& implementer);
  // Polls `pred` every 50 ms until true or `timeout` (generous: loaded 2-core machines).
  static bool wait_for(const std::function<bool()>& pred,
                       std::chrono::seconds timeout = std::chrono::seconds(60));
  // Scripted agents named "scr": the reviewer raises one P1 finding "bug here" on a.txt:1 while
  // a.txt holds BUG (sleeping `reviewer_sleep` first; its pid goes to reviewer.pids), the
  // implementer replaces BUG by FIXED in its scratch tree. `extra` is appended to config.toml.
  void use_scripted_agents(int reviewer_sleep, const std::string& extra = {});
  std::vector<int> reviewer_pids() const;
  std::vector<protocol::SessionSummary> sessions();
  bool final_state(const protocol::SessionSummary& s) const;
  std::string log_text() const;
  std::string repo_path() const;

  std::optional<TempGitRepo> m_repo;
  std::string m_root;
  std::string m_socket;
  pid_t m_pid = -1;
};

}  // namespace gavel::test
