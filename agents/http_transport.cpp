#include "agents/http_transport.hpp"

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <curl/curl.h>

#include <cctype>
#include <mutex>
#include <string_view>
#include <utility>

namespace gavel::agents {
namespace {

constexpr int k_poll_ms = 100;  // bounds how late a shutdown is noticed

void global_init() {
  static const bool k_done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)k_done;
}

}  // namespace

// Shared by the awaiting side (cancellation slot, io thread) and the worker thread.
class TransferControl {
 public:
  explicit TransferControl(std::shared_ptr<std::atomic<bool>> shutdown)
      : m_shutdown(std::move(shutdown)) {}

  void abort() {
    m_abort.store(true);
    std::lock_guard lock(m_mutex);
    if (m_multi != nullptr) curl_multi_wakeup(m_multi);
  }
  bool aborted() const { return m_abort.load() || m_shutdown->load(); }
  void attach(CURLM* multi) {
    std::lock_guard lock(m_mutex);
    m_multi = multi;
  }

 private:
  std::shared_ptr<std::atomic<bool>> m_shutdown;
  std::atomic<bool> m_abort{false};
  std::mutex m_mutex;
  CURLM* m_multi = nullptr;
};

namespace {

struct Sink {
  HttpResponse response;
  std::size_t limit = 0;
  bool too_large = false;
  TransferControl* control = nullptr;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  }
  return true;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t n = size * count;
  if (sink->response.body.size() + n > sink->limit) {
    sink->too_large = true;
    return 0;  // CURLE_WRITE_ERROR
  }
  sink->response.body.append(data, n);
  return n;
}

// Keeps only the headers of the final response (a 100 Continue starts a new block).
std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    sink->response.retry_after.clear();
    sink->response.retry_after_ms.clear();
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  const auto name = trim(line.substr(0, colon));
  const auto value = trim(line.substr(colon + 1));
  if (iequals(name, "retry-after")) sink->response.retry_after = std::string(value);
  if (iequals(name, "retry-after-ms")) sink->response.retry_after_ms = std::string(value);
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Sink*>(user)->control->aborted() ? 1 : 0;
}

TransportErrc classify(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return TransportErrc::connect_failed;
    case CURLE_OPERATION_TIMEDOUT: return TransportErrc::timeout;
    case CURLE_ABORTED_BY_CALLBACK: return TransportErrc::aborted;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return TransportErrc::dropped;
    default: return TransportErrc::fatal;
  }
}

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

void set_options(CURL* easy, const HttpRequest& request, curl_slist* headers, Sink& sink,
                 char* errbuf) {
  curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect must not carry the key away
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");  // never file://, ftp://, ...
  curl_easy_setopt(easy, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(request.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, &sink);
  curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &sink);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
}

// Drives one easy handle through a private multi handle so that abort() can wake the poll.
CURLcode drive(CURL* easy, TransferControl& control) {
  CURLM* multi = curl_multi_init();
  if (multi == nullptr) return CURLE_OUT_OF_MEMORY;
  curl_multi_add_handle(multi, easy);
  control.attach(multi);
  CURLcode result = CURLE_ABORTED_BY_CALLBACK;
  for (int running = 1; !control.aborted();) {
    if (curl_multi_perform(multi, &running) != CURLM_OK) {
      result = CURLE_RECV_ERROR;
      break;
    }
    if (running == 0) {
      int queued = 0;
      const CURLMsg* msg = curl_multi_info_read(multi, &queued);
      result = (msg != nullptr && msg->msg == CURLMSG_DONE) ? msg->data.result : CURLE_RECV_ERROR;
      break;
    }
    curl_multi_poll(multi, nullptr, 0, k_poll_ms, nullptr);
  }
  control.attach(nullptr);
  curl_multi_remove_handle(multi, easy);
  curl_multi_cleanup(multi);
  return result;
}

TransportResult perform_blocking(const HttpRequest& request, TransferControl& control) {
  global_init();
  if (control.aborted()) return TransportError{TransportErrc::aborted, "cancelled before start"};
  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  if (!easy) return TransportError{TransportErrc::fatal, "curl_easy_init failed"};
  curl_slist* raw = nullptr;
  for (const auto& header : request.headers) raw = curl_slist_append(raw, header.c_str());
  raw = curl_slist_append(raw, "Expect:");  // no 100-continue round trip for big prompts
  std::unique_ptr<curl_slist, SlistDeleter> headers(raw);

  Sink sink;
  sink.limit = request.max_response_bytes;
  sink.control = &control;
  char errbuf[CURL_ERROR_SIZE] = {};
  set_options(easy.get(), request, headers.get(), sink, errbuf);

  const CURLcode code = drive(easy.get(), control);
  if (code == CURLE_OK) {
    curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &sink.response.status);
    return std::move(sink.response);
  }
  if (sink.too_large) {
    return TransportError{TransportErrc::too_large,
                          "response body exceeds " + std::to_string(request.max_response_bytes) +
                              " bytes"};
  }
  const TransportErrc errc = control.aborted() ? TransportErrc::aborted : classify(code);
  std::string detail = errbuf[0] != '\0' ? std::string(errbuf) : curl_easy_strerror(code);
  return TransportError{errc, detail};
}

}  // namespace

HttpTransport::HttpTransport(std::size_t threads)
    : m_shutdown(std::make_shared<std::atomic<bool>>(false)), m_pool(threads) {
  global_init();
}

HttpTransport::~HttpTransport() {
  m_shutdown->store(true);
  m_pool.join();
}

boost::asio::awaitable<TransportResult> HttpTransport::post(HttpRequest request) {
  auto control = std::make_shared<TransferControl>(m_shutdown);
  auto initiate = [this, control, request = std::move(request)](auto handler) mutable {
    auto slot = boost::asio::get_associated_cancellation_slot(handler);
    if (slot.is_connected()) {
      slot.assign([control](boost::asio::cancellation_type) { control->abort(); });
    }
    // Keeps the io_context running while the transfer is away on the pool.
    auto work = boost::asio::prefer(boost::asio::get_associated_executor(handler),
                                    boost::asio::execution::outstanding_work.tracked);
    boost::asio::post(m_pool, [control, request = std::move(request), handler = std::move(handler),
                               slot, work]() mutable {
      TransportResult result = perform_blocking(request, *control);
      boost::asio::post(work, [handler = std::move(handler), slot,
                               result = std::move(result)]() mutable {
        if (slot.is_connected()) slot.clear();
        std::move(handler)(std::move(result));
      });
    });
  };
  co_return co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                                 void(TransportResult)>(
      std::move(initiate), boost::asio::use_awaitable);
}

}  // namespace gavel::agents
