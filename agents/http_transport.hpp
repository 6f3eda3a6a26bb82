#pragma once
// One HTTP POST with libcurl, run off the io_context on a small worker pool.
//
// HttpTransport is owned by HttpAgent (or shared between several). `post` is awaited from a
// coroutine on the io_context; the blocking transfer runs on the transport's own thread pool and
// its result is posted back to the awaiting coroutine's executor. Cancelling the awaiting
// coroutine (its cancellation slot) aborts the transfer at once (curl_multi_wakeup plus an atomic
// flag read by CURLOPT_XFERINFOFUNCTION) and the operation completes with TransportErrc::aborted.
// The transport never logs headers or bodies and never retries: HttpAgent decides that.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/system/result.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace gavel::agents {

struct HttpRequest {
  std::string url;
  std::vector<std::string> headers;  // "Name: value" lines; may hold a secret, never logged
  std::string body;                  // sent as-is with POST
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};  // whole transfer
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  std::size_t max_response_bytes = 32 * 1024 * 1024;
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::string retry_after;     // raw Retry-After header of the final response, if any
  std::string retry_after_ms;  // raw retry-after-ms header (OpenAI), if any
};

enum class TransportErrc {
  connect_failed,  // refused, unresolvable, unreachable: nothing was sent
  timeout,         // the transfer exceeded `timeout` (or `connect_timeout`)
  aborted,         // cancelled by the caller or by the transport's shutdown
  too_large,       // the body exceeded `max_response_bytes`
  dropped,         // the connection failed mid-transfer (reset, empty reply, truncated body)
  fatal,           // no point retrying: bad URL, TLS verification, unsupported protocol
};

struct TransportError {
  TransportErrc code = TransportErrc::fatal;
  std::string message;  // curl's description; holds the URL but never a header value
};

using TransportResult = boost::system::result<HttpResponse, TransportError>;

class HttpTransport {
 public:
  // Starts `threads` worker threads (the number of transfers that can run at once).
  explicit HttpTransport(std::size_t threads = 2);
  // Aborts every transfer still running (within about 100 ms) and joins the workers.
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Performs `request` on a worker; see the class comment for cancellation.
  boost::asio::awaitable<TransportResult> post(HttpRequest request);

 private:
  std::shared_ptr<std::atomic<bool>> m_shutdown;
  boost::asio::thread_pool m_pool;
};

}  // namespace gavel::agents
