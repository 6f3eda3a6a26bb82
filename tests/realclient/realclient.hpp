#pragma once
// Shared pieces of the real-client tests: the real codex and claude CLIs (installed from npm by
// scripts/install-agent-clis) run through gavel's ProcessAgent and presets against an in-process
// FakeLlmServer, inside a private network namespace.
//
// Who calls: codex_cli_test.cpp and claude_cli_test.cpp, on the test thread. The executable is
// started only by tests/realclient/run-in-netns, which checks the prerequisites (reporting
// SKIPPED when one is missing), enters `unshare -n` with loopback up and passes the CLI's path
// in GAVEL_REALCLIENT_CODEX / GAVEL_REALCLIENT_CLAUDE. Inside, nothing is skipped: a missing CLI
// or a network interface other than loopback is a test FAILURE, so the tests never pass
// without having run the CLIs.
//
// Every CLI runs with an environment built from nothing (ProcessAgent's allow-list fed by
// `fake_env`): PATH, an empty HOME inside the test's temp dir, a dummy key and the fake server's
// base URL. What the server received is written to `server.jsonl` in the temp dir, which is kept
// when a test fails.

#include "agents/agent.hpp"
#include "agents/process_template.hpp"
#include "review/changeset.hpp"
#include "tests/support/fake_llm_server.hpp"
#include "tests/support/temp_git_repo.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace gavel::test::realclient {

// The dummy API key handed to the CLIs; the fake server's log must show it.
inline constexpr const char* k_dummy_key = "gavel-realclient-dummy-key";

// The CLI named by environment variable `var` (set by run-in-netns). Records a fatal-style
// failure (ADD_FAILURE) and returns an empty path when it is unset or not executable.
std::filesystem::path cli_from_env(const char* var);

// True when this process is in a network namespace whose only interface is loopback, and
// loopback is up; otherwise false with the reason in `why`.
bool in_private_netns(std::string& why);

// An EnvLookup for ProcessAgent that sees only `vars` (plus PATH from GAVEL_REALCLIENT_PATH,
// or /usr/local/bin:/usr/bin:/bin).
agents::EnvLookup fake_env(std::map<std::string, std::string> vars);

// A developer's repository with one committed file and an uncommitted change to it:
//   src/calc.cpp: divide() committed; average() added, uncommitted, dividing by `count`
// (line 6 is `  return divide(total, count);`); and a committed .claude/settings.json whose hooks
// would create hook_marker() if an agent applied the project's settings. Also an empty HOME.
class DevRepo {
 public:
  DevRepo();
  TempGitRepo& repo() { return m_repo; }
  std::filesystem::path home() const { return m_repo.root() / "home"; }
  std::string abs(const std::string& rel) const { return (m_repo.path() / rel).string(); }
  std::filesystem::path hook_marker() const { return m_repo.root() / "project-hook-ran"; }

  // The uncommitted change as gavel snapshots it (with file contents) and its patch text.
  review::Changeset snapshot(std::string& patch) const;
  // Every file under the working tree (not .git) with its content, plus `git status` and HEAD:
  // compared before and after a run to prove the developer's repository was not touched.
  std::string state() const;

 private:
  TempGitRepo m_repo;
};

// The prompt gavel renders for a reviewer of `patch`, and for an implementer that must fix the
// finding raised in the reviewer tests.
std::string reviewer_prompt(const std::string& repo_root, const std::string& patch);
std::string implementer_prompt(const std::string& repo_root, const std::string& patch);

// The reviewer report the fake model answers with: one P1 finding at `abs_path` line 6.
nlohmann::json reviewer_report(const std::string& abs_path);
// The implementer report the fake model answers with (the edit is made by the CLI's tools).
nlohmann::json implementer_report();

// Runs `agent` on `task` to completion (its own io_context).
agents::AgentResult run(agents::Agent& agent, agents::Task task);

// Every "text" string in `value` (recursively), joined with newlines: what a model was shown.
std::string texts_of(const nlohmann::json& value);

// Writes the server's request log (one JSON object a line) to `path`.
void write_log(const FakeLlmServer& server, const std::filesystem::path& path);

// Describes a failed run for an assertion message.
std::string describe(const agents::AgentResult& result);

}  // namespace gavel::test::realclient
