#include "cli/session_run.hpp"

#include "agents/agent_factory.hpp"
#include "cli/cli.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>

namespace gavel::cli {

Result<SessionAgents> make_session_agents(const config::Config& config, const std::string& reviewer,
                                          const std::optional<std::string>& implementer) {
  SessionAgents out;
  auto r = agents::make_session_agent(config, reviewer, out.reviewer_timeout);
  if (!r) return r.error();
  out.reviewer = std::move(*r);
  if (implementer) {
    auto i = agents::make_session_agent(config, *implementer, out.implementer_timeout);
    if (!i) return i.error();
    out.implementer = std::move(*i);
  }
  return out;
}

Result<loop::SessionOutcome> run_session(boost::asio::io_context& io, loop::SessionRunner& runner) {
  std::optional<Result<loop::SessionOutcome>> result;
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) runner.cancel();
  });
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        result = co_await runner.run();
        signals.cancel();
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.run();
  io.restart();
  if (!result) return fail(Errc::internal, "the session ended without a result");
  return std::move(*result);
}

int exit_code_for_error(const Error& error) {
  switch (error.code) {
    case Errc::not_a_repository:
    case Errc::bare_repository:
    case Errc::corrupt:
    case Errc::config:
    case Errc::conflict: return k_exit_data;
    case Errc::invalid_argument: return k_exit_usage;
    case Errc::unavailable: return k_exit_unavailable;
    case Errc::cancelled: return 130;
    default: return k_exit_internal;
  }
}

}  // namespace gavel::cli
