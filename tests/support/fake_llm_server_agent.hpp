#pragma once
// Header-only helpers for tests that point an agents::HttpAgent at a FakeLlmServer: a spec for
// the server, and ways to run Agent::run to completion on a private io_context (plainly, with a
// cancellation after a delay, or raced against a timer with `||`). Used by agents_test only
// (it links gavel_agents; gavel_test_support itself does not).

#include "agents/agent.hpp"
#include "config/agent_spec.hpp"
#include "tests/support/fake_llm_server.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <string>

namespace gavel::test {

// An http AgentSpec for `api` at `server`, keyed by the environment variable `key_env`.
inline config::AgentSpec fake_http_spec(config::HttpApi api, const FakeLlmServer& server,
                                        std::string key_env = {}) {
  config::AgentSpec spec;
  spec.name = "fake-http";
  spec.kind = config::AgentKind::http;
  spec.http.api = api;
  spec.http.base_url = api == config::HttpApi::anthropic_messages ? server.anthropic_base_url()
                                                                  : server.openai_base_url();
  spec.http.model = "fake-model";
  spec.http.api_key_env = std::move(key_env);
  return spec;
}

// Runs `agent.run(task)` on a fresh io_context; with `cancel_after`, emits a terminal
// cancellation into it after that long.
inline agents::AgentResult run_agent(agents::Agent& agent, agents::Task task,
                                     std::optional<std::chrono::milliseconds> cancel_after = {}) {
  boost::asio::io_context io;
  boost::asio::cancellation_signal signal;
  boost::asio::steady_timer timer(io);
  std::optional<agents::AgentResult> result;
  std::exception_ptr error;
  if (cancel_after) {
    timer.expires_after(*cancel_after);
    timer.async_wait([&](boost::system::error_code ec) {
      if (!ec) signal.emit(boost::asio::cancellation_type::terminal);
    });
  }
  boost::asio::co_spawn(
      io, agent.run(std::move(task)),
      boost::asio::bind_cancellation_slot(
          signal.slot(), [&](std::exception_ptr e, agents::AgentResult r) {
            error = e;
            result = std::move(r);
            timer.cancel();
          }));
  io.run();
  if (error) std::rethrow_exception(error);
  return std::move(*result);
}

// Races `agent.run(task)` against a `deadline` timer with `||` (STYLE.md rule 12); true when
// the agent finished first.
inline bool race_agent(agents::Agent& agent, agents::Task task, std::chrono::milliseconds deadline) {
  using namespace boost::asio::experimental::awaitable_operators;
  boost::asio::io_context io;
  bool agent_won = false;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, deadline);
        const auto winner = co_await (agent.run(std::move(task)) ||
                                      timer.async_wait(boost::asio::use_awaitable));
        agent_won = winner.index() == 0;
      },
      boost::asio::detached);
  io.run();
  return agent_won;
}

}  // namespace gavel::test
