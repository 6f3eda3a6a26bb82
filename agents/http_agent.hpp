#pragma once
// HttpAgent: an Agent that is an LLM reached over HTTP (config::AgentKind::http).
//
// Created by whoever builds agents from config::AgentSpec; `run` is awaited on the daemon's
// io_context thread (or `gavel review --once`'s). Each run sends the task's prompt as one
// non-streaming request (APIs and formats: agents/http_api.hpp), with structured output when
// the task has a schema, and returns the final text and the usage the API reported.
//
// - The API key is read at request time from the environment variable `spec.http.api_key_env`;
//   it is never stored, logged, or left in a failure's message or excerpt (they are scrubbed).
// - Retries: 429, 408, 5xx, refused connections, dropped connections and per-request timeouts
//   are retried up to `max_attempts` in all, after 100/200/400 ms minimum backoff (plus jitter)
//   or the server's Retry-After / retry-after-ms when longer. A 2xx body that cannot be read is
//   malformed_output at once (the orchestrator decides whether to run the round again).
// - `task.timeout` bounds the whole run, retries and waits included (failure: timeout).
// - Cancelling the awaiting coroutine aborts the transfer or wait at once: `cancelled`.
// - An implementer task without a schema gets implementer_output_schema(): the answer is then
//   {"patch", "responses", "summary"} as text; applying the patch is the orchestrator's job.
// Curl runs on the HttpTransport's worker threads, never on the io_context thread.

#include "agents/agent.hpp"
#include "agents/http_transport.hpp"
#include "config/agent_spec.hpp"

#include <memory>
#include <string>

namespace gavel::agents {

class HttpAgent final : public Agent {
 public:
  // `transport` may be shared between agents; null: the agent makes its own (two threads).
  explicit HttpAgent(config::AgentSpec spec, std::shared_ptr<HttpTransport> transport = nullptr);

  const std::string& name() const override { return m_spec.name; }
  boost::asio::awaitable<AgentResult> run(Task task) override;

 private:
  boost::asio::awaitable<AgentResult> run_attempts(const Task& task);

  config::AgentSpec m_spec;
  std::shared_ptr<HttpTransport> m_transport;
};

// The JSON schema (strict-mode compatible) of an HTTP implementer's answer (DESIGN.md, Agents).
const std::string& implementer_output_schema();

// `text` with every occurrence of `secret` replaced by "[redacted]"; `secret` empty: unchanged.
std::string scrub_secret(std::string text, const std::string& secret);

}  // namespace gavel::agents
