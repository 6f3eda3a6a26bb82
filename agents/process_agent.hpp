#pragma once
// The process adapter: an Agent that runs a CLI (codex, claude, any other) as a child process
// described by a config::ProcessSpec. See docs/agents.md ("The process adapter").
//
// Who calls it: the orchestrator (or `gavel review --once`) on its io_context thread, through
// Agent::run. Each run: a private 0700 temp dir holding {prompt_file}, {schema_file} and
// {output_file}; the argv template expanded (never a shell); an environment built from nothing
// but the spec's allow-list and env_set; the child started in its own process group with cwd =
// the task's workdir (the temp dir when the task has none); the prompt written to its stdin and
// stdin closed (or stdin is /dev/null); stdout/stderr captured within caps; the envelope read by
// cli_envelope; the temp dir removed. It owns nothing between runs, so one ProcessAgent may run
// several tasks at once on the same executor.
//
// Time: the wall clock per run is the smaller of Task::timeout and AgentSpec::timeout. At the
// deadline, or when the awaiting coroutine is cancelled, the whole process group gets SIGTERM,
// then SIGKILL after ProcessSpec::kill_grace; `run` completes once everything in the group has
// been reaped (see agents/process_child.hpp, which also lists the process-wide effects: SIGPIPE
// ignored, child subreaper).
//
// Never: runs a shell, passes gavel's environment wholesale, puts a secret (the value of an
// environment variable whose name says KEY/TOKEN/SECRET/...) into a failure's message or
// excerpt, parses findings.

#include "agents/agent.hpp"
#include "agents/process_template.hpp"
#include "base/error.hpp"
#include "config/agent_spec.hpp"

#include <memory>
#include <string>

namespace gavel::agents {

// Checks what can be checked before any run: kind process, at least one argv template, valid
// placeholders, and that the templates name the files that prompt_via / output_from require.
Result<void> validate_process_spec(const config::AgentSpec& spec);

class ProcessAgent final : public Agent {
 public:
  // `spec` should have passed validate_process_spec; a run with an invalid one fails as crash.
  // `env` reads gavel's environment (tests pass their own).
  explicit ProcessAgent(config::AgentSpec spec, EnvLookup env = process_env_lookup());

  // validate_process_spec, then the constructor.
  static Result<std::unique_ptr<ProcessAgent>> create(config::AgentSpec spec);

  const std::string& name() const override { return m_spec.name; }
  const config::AgentSpec& spec() const { return m_spec; }

  // Never throws for the agent's failures: they come back as AgentFailure (see agent.hpp). A
  // cancellation (of any type) yields a `cancelled` failure once the group is reaped; the
  // awaiting coroutine's cancellation state is reset when `run` returns.
  boost::asio::awaitable<AgentResult> run(Task task) override;

 private:
  boost::asio::awaitable<AgentResult> run_task(Task task);

  config::AgentSpec m_spec;
  EnvLookup m_env;
};

}  // namespace gavel::agents
