#pragma once
// An LLM reached over HTTP with libcurl. The key is read from the environment variable named
// here at request time; it is never stored in config values, logs or error messages.

#include <chrono>
#include <cstddef>
#include <string>

namespace gavel::config {

enum class HttpApi { openai_responses, openai_chat, anthropic_messages };

struct HttpSpec {
  HttpApi api = HttpApi::openai_responses;
  std::string base_url;     // e.g. "https://api.openai.com/v1", "http://127.0.0.1:11434/v1"
  std::string model;
  std::string api_key_env;  // e.g. "OPENAI_API_KEY"; empty: no key sent
  // A file holding the key (its first line), read at request time; used when api_key_env is
  // empty. Refused when group or others may read it. "~/" is your home directory.
  std::string api_key_file;
  int max_attempts = 4;     // DESIGN.md: 4 attempts in all
  std::chrono::milliseconds backoff_base{100};  // 100/200/400 ms minimums; Retry-After wins
  std::chrono::milliseconds request_timeout{std::chrono::minutes(5)};
  int max_output_tokens = 8192;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};  // per attempt
  std::size_t max_response_bytes = 32 * 1024 * 1024;  // a larger body is malformed_output
};

}  // namespace gavel::config
