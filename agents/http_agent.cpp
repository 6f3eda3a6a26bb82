#include "agents/http_agent.hpp"

#include "agents/http_api.hpp"
#include "agents/http_key.hpp"
#include "agents/http_retry.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <random>

namespace gavel::agents {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr std::size_t k_excerpt_bytes = 2000;

double jitter_draw() {
  thread_local std::mt19937 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

// The first `k_excerpt_bytes` of `body`, not cutting a UTF-8 sequence in two.
std::string bounded(const std::string& body) {
  if (body.size() <= k_excerpt_bytes) return body;
  std::size_t end = k_excerpt_bytes;
  while (end > 0 && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) --end;
  return body.substr(0, end) + "...";
}

// Everything one run needs to turn an attempt's outcome into an AgentResult.
struct RunContext {
  const config::AgentSpec& spec;
  std::string url;
  std::string secret;
  steady_clock::time_point started;
  int attempts = 0;

  milliseconds elapsed() const {
    return std::chrono::duration_cast<milliseconds>(steady_clock::now() - started);
  }
  AgentResult fail(FailureKind kind, const std::string& message, const std::string& body = {},
                   Usage usage = {}, milliseconds retry_after = {}) const {
    AgentFailure failure;
    failure.kind = kind;
    failure.message = scrub_secret(spec.name + ": " + message, secret);
    failure.excerpt = bounded(scrub_secret(body, secret));  // scrub first: a cut never splits it
    failure.usage = usage;
    failure.duration = elapsed();
    failure.attempts = std::max(attempts, 1);
    failure.retry_after = retry_after;
    return failure;
  }
};

std::string status_message(const RunContext& ctx, const HttpResponse& response) {
  std::string message = "HTTP " + std::to_string(response.status) + " from " + ctx.url;
  const std::string detail = api_error_message(response.body);
  if (!detail.empty()) message += ": " + detail;
  return message;
}

}  // namespace

HttpAgent::HttpAgent(config::AgentSpec spec, std::shared_ptr<HttpTransport> transport)
    : m_spec(std::move(spec)), m_transport(std::move(transport)) {
  if (!m_transport) m_transport = std::make_shared<HttpTransport>(2);
}

boost::asio::awaitable<AgentResult> HttpAgent::run(Task task) {
  const auto started = steady_clock::now();
  try {
    co_return co_await run_attempts(task);
  } catch (const boost::system::system_error& e) {
    // A co_await after the caller cancelled us throws operation_aborted.
    if (e.code() != boost::asio::error::operation_aborted) throw;
  }
  RunContext ctx{m_spec, endpoint_url(m_spec.http), {}, started};
  co_return ctx.fail(FailureKind::cancelled, "cancelled");
}

boost::asio::awaitable<AgentResult> HttpAgent::run_attempts(const Task& task) {
  const config::HttpSpec& http = m_spec.http;
  RunContext ctx{m_spec, endpoint_url(http), {}, steady_clock::now()};
  const auto deadline = ctx.started + task.timeout;

  if (!http.api_key_env.empty()) {
    const char* key = std::getenv(http.api_key_env.c_str());
    if (key == nullptr || *key == '\0') {
      co_return ctx.fail(FailureKind::auth,
                         "environment variable " + http.api_key_env + " is not set or empty");
    }
    ctx.secret = key;
  } else if (!http.api_key_file.empty()) {
    auto key = read_key_file(http.api_key_file);
    if (!key) co_return ctx.fail(FailureKind::auth, key.error().message);
    ctx.secret = std::move(*key);
  }
  std::string schema_text = task.output_schema_json;
  if (schema_text.empty() && task.role == Role::implementer) {
    schema_text = implementer_output_schema();
  }
  nlohmann::json schema;
  if (!schema_text.empty()) {
    schema = nlohmann::json::parse(schema_text, nullptr, /*allow_exceptions=*/false);
    if (schema.is_discarded() || !schema.is_object()) {
      co_return ctx.fail(FailureKind::crash, "the task's output schema is not a JSON object");
    }
  }
  const ApiCall call = build_api_call(
      http, ApiInput{task.prompt, schema_text.empty() ? nullptr : &schema, ctx.secret});

  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
  const int max_attempts = std::max(http.max_attempts, 1);
  for (;;) {
    ++ctx.attempts;
    const auto remaining =
        std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
    if (remaining <= milliseconds(0)) {
      co_return ctx.fail(FailureKind::timeout, "no reply within " +
                                                   std::to_string(task.timeout.count()) + " ms");
    }
    // A zero or negative setting means "no limit of its own": the deadline still applies
    // (curl reads 0 as "no timeout", so it is never passed through).
    const milliseconds per_request =
        http.request_timeout > milliseconds(0) ? http.request_timeout : remaining;
    const milliseconds connect =
        http.connect_timeout > milliseconds(0) ? http.connect_timeout : remaining;
    HttpRequest request{call.url,
                        call.headers,
                        call.body,
                        std::min(per_request, remaining),
                        std::min(connect, remaining),
                        http.max_response_bytes};
    const bool clipped_by_deadline = request.timeout >= remaining;
    const TransportResult result = co_await m_transport->post(std::move(request));

    AttemptFailure failure;
    std::string message;
    std::string body;
    std::optional<milliseconds> retry_after;
    if (!result) {
      const TransportError& error = result.error();
      if (error.code == TransportErrc::aborted) co_return ctx.fail(FailureKind::cancelled, "cancelled");
      if (error.code == TransportErrc::timeout && clipped_by_deadline) {
        co_return ctx.fail(FailureKind::timeout, "no reply within " +
                                                     std::to_string(task.timeout.count()) + " ms");
      }
      failure = classify_transport(error.code);
      message = "POST " + ctx.url + " failed: " + error.message;
    } else if (result->status >= 200 && result->status < 300) {
      ApiResult parsed = parse_api_reply(http.api, result->body);
      if (!parsed) {
        const ApiFailure& bad = parsed.error();
        co_return ctx.fail(bad.kind, bad.message, result->body, bad.usage);
      }
      co_return AgentOutput{std::move(parsed->text), parsed->usage, ctx.elapsed(), ctx.attempts};
    } else {
      failure = classify_status(result->status);
      message = status_message(ctx, *result);
      body = result->body;
      retry_after = parse_retry_after(result->retry_after, result->retry_after_ms,
                                      std::chrono::system_clock::now());
    }

    if (failure.retryable == Retryable::no) co_return ctx.fail(failure.kind, message, body);
    if (ctx.attempts >= max_attempts) {
      co_return ctx.fail(failure.kind,
                         message + " (after " + std::to_string(ctx.attempts) + " attempts)", body,
                         {}, retry_after.value_or(milliseconds(0)));
    }
    const milliseconds delay = retry_delay(ctx.attempts, http.backoff_base, jitter_draw(),
                                           retry_after);
    if (steady_clock::now() + delay >= deadline) {
      co_return ctx.fail(failure.kind, message + " (no time left to retry after " +
                                           std::to_string(delay.count()) + " ms)",
                         body, {}, retry_after.value_or(milliseconds(0)));
    }
    spdlog::debug("{}: attempt {} failed ({}); retrying in {} ms", m_spec.name, ctx.attempts,
                  scrub_secret(message, ctx.secret), delay.count());
    timer.expires_after(delay);
    const auto [ec] = co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    if (ec) co_return ctx.fail(FailureKind::cancelled, "cancelled while waiting to retry");
  }
}

const std::string& implementer_output_schema() {
  static const std::string k_schema = nlohmann::json{
      {"type", "object"},
      {"additionalProperties", false},
      {"required", {"patch", "responses", "summary"}},
      {"properties",
       {{"patch", {{"type", "string"}}},
        {"summary", {{"type", "string"}}},
        {"responses",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"additionalProperties", false},
            {"required", {"finding", "action", "rationale"}},
            {"properties",
             {{"finding", {{"type", "string"}}},
              {"action", {{"type", "string"}, {"enum", {"fixed", "disputed"}}}},
              {"rationale", {{"type", "string"}}}}}}}}}}}}
                                           .dump();
  return k_schema;
}

std::string scrub_secret(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  static const std::string k_mask = "[redacted]";
  for (auto pos = text.find(secret); pos != std::string::npos;
       pos = text.find(secret, pos + k_mask.size())) {
    text.replace(pos, secret.size(), k_mask);
  }
  return text;
}

}  // namespace gavel::agents
