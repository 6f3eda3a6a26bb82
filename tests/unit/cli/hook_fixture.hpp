#pragma once
// The fixture the pre-commit gate tests share (hook_test.cpp: `gavel hook run`;
// hook_fast_test.cpp: the `gavel-hook` client): a real repository with one committed file, a
// scripted daemon on a real socket, and helpers that run the built `gavel` and real
// `git commit` in the repository with the daemon's socket in the environment.
#include "tests/support/temp_git_repo.hpp"
#include "tests/unit/cli/scripted_daemon.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <mutex>
#include <string>
#include <vector>

namespace gavel::cli::testing {

inline const std::string k_gavel = std::string(GAVEL_BINARY_DIR) + "/cli/gavel";

inline bool has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

class HookFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    m_repo.write("cart.py", "def total(items):\n    return sum(items)\n");
    m_repo.commit_all("cart");
  }
  std::vector<std::string> env(std::vector<std::string> extra = {}) const {
    std::vector<std::string> all = m_repo.env();
    all.push_back(m_daemon.env());
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  }
  test::RunResult gavel(std::vector<std::string> args, std::vector<std::string> extra = {}) const {
    args.insert(args.begin(), k_gavel);
    return test::run_process(args, m_repo.path(), env(std::move(extra)));
  }
  test::RunResult commit(std::vector<std::string> args = {"-m", "change"},
                         std::vector<std::string> extra = {}) const {
    args.insert(args.begin(), {"git", "commit", "-q"});
    return test::run_process(args, m_repo.path(), env(std::move(extra)));
  }
  void install() const {
    const auto r = gavel({"hook", "install"});
    ASSERT_EQ(r.status, 0) << r.out << r.err;
  }
  void stage_change() const {
    m_repo.write("cart.py", "def total(items):\n    return sum(items)\n\n\ndef count(items):\n"
                            "    return len(items)\n");
    m_repo.git({"add", "cart.py"});
  }
  std::string staged_fingerprint() const {
    const auto r = gavel({"snapshot", "--staged", "--json"});
    return nlohmann::json::parse(r.out)["fingerprint"];
  }
  std::string head() const { return m_repo.git({"rev-parse", "HEAD"}); }
  void script(std::vector<protocol::GateCheckResponse> answers) {
    std::lock_guard l(m_daemon.handler().mutex);
    m_daemon.handler().gate_script.assign(answers.begin(), answers.end());
  }
  static protocol::GateCheckResponse pass() {
    return {protocol::GateStatus::pass, "s-1", {}, std::nullopt, "converged"};
  }

  test::TempGitRepo m_repo;
  ScriptedDaemon m_daemon{m_repo.root()};
};

}  // namespace gavel::cli::testing
