#pragma once
// FakeLlmServer: an LLM API server for tests, on 127.0.0.1 with an OS-picked port.
//
// A test constructs it (it starts serving at once on its own thread, Boost.Beast over one
// io_context), points an agent at base URL openai_base_url() or anthropic_base_url(), and scripts
// replies with enqueue(). Each POST to .../responses, .../chat/completions or .../messages takes
// the first queued reply whose endpoint matches (or is `any`), else the fallback, else a 500
// saying the script ran out; it answers as JSON or SSE depending on the request's "stream"
// (formats: tests/support/fake_llm_server_wire.hpp). `HEAD` of any path answers 200 (claude
// sends `HEAD /`), `GET .../models` an empty list, anything else 404. Every request is logged
// (method, path, headers, body) for assertions. While a reply is held back (delay, chunk_delay,
// hang) the server notices when the client closes the connection and counts it, so a test can
// check that a cancelled client really went away.
// All public methods are thread-safe. The destructor stops the server and joins its thread.

#include "tests/support/fake_llm_server_wire.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace gavel::test {

class FakeLlmServer {
 public:
  // Listens on 127.0.0.1:`port` (0: the OS picks one) and starts serving.
  explicit FakeLlmServer(std::uint16_t port = 0);
  ~FakeLlmServer();
  FakeLlmServer(const FakeLlmServer&) = delete;
  FakeLlmServer& operator=(const FakeLlmServer&) = delete;

  std::uint16_t port() const;
  std::string origin() const;              // "http://127.0.0.1:PORT"
  std::string openai_base_url() const;     // origin() + "/v1"
  std::string anthropic_base_url() const;  // origin(), as ANTHROPIC_BASE_URL expects

  void enqueue(FakeReply reply);
  void enqueue(std::vector<FakeReply> replies);
  // Answers requests when the queue has nothing for their endpoint; nullopt: a 500.
  void set_fallback(std::optional<FakeReply> reply);
  std::size_t pending_replies() const;

  // Called on the server thread for every request, after it is logged.
  void on_request(std::function<void(const FakeRequest&)> callback);

  std::vector<FakeRequest> requests() const;
  std::vector<FakeRequest> requests(FakeEndpoint endpoint) const;
  // Waits until at least `count` requests arrived; false on timeout.
  bool wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const;

  // Clients that closed their connection while a reply was being held back.
  std::size_t client_disconnects() const;
  bool wait_for_client_disconnects(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace gavel::test
