#include "agents/http_api.hpp"

#include <string>

namespace gavel::agents {
namespace {

std::string trim_slashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

std::string endpoint_url(const config::HttpSpec& spec) {
  using config::HttpApi;
  switch (spec.api) {
    case HttpApi::openai_responses:
    case HttpApi::openai_chat: {
      const std::string base =
          spec.base_url.empty() ? "https://api.openai.com/v1" : trim_slashes(spec.base_url);
      return base + (spec.api == HttpApi::openai_chat ? "/chat/completions" : "/responses");
    }
    case HttpApi::anthropic_messages: {
      const std::string base =
          spec.base_url.empty() ? "https://api.anthropic.com" : trim_slashes(spec.base_url);
      return base + (base.ends_with("/v1") ? "/messages" : "/v1/messages");
    }
  }
  return trim_slashes(spec.base_url);
}

ApiCall build_api_call(const config::HttpSpec& spec, const ApiInput& input) {
  ApiCall call;
  call.url = endpoint_url(spec);
  call.headers = {"Content-Type: application/json", "Accept: application/json"};
  nlohmann::json body;
  switch (spec.api) {
    case config::HttpApi::openai_responses: body = openai_responses_body(spec, input); break;
    case config::HttpApi::openai_chat: body = openai_chat_body(spec, input); break;
    case config::HttpApi::anthropic_messages: body = anthropic_body(spec, input); break;
  }
  if (spec.api == config::HttpApi::anthropic_messages) {
    call.headers.push_back(std::string("anthropic-version: ") + k_anthropic_version);
    if (!input.api_key.empty()) call.headers.push_back("x-api-key: " + input.api_key);
  } else if (!input.api_key.empty()) {
    call.headers.push_back("Authorization: Bearer " + input.api_key);
  }
  call.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return call;
}

ApiResult parse_api_reply(config::HttpApi api, std::string_view body) {
  const auto reply = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (reply.is_discarded() || !reply.is_object()) {
    return api_failure(FailureKind::malformed_output, "the reply body is not a JSON object");
  }
  try {
    switch (api) {
      case config::HttpApi::openai_responses: return parse_openai_responses(reply);
      case config::HttpApi::openai_chat: return parse_openai_chat(reply);
      case config::HttpApi::anthropic_messages: return parse_anthropic(reply);
    }
  } catch (const nlohmann::json::exception& e) {
    // Missing member or wrong type; the ids name the field, never a value.
    return api_failure(FailureKind::malformed_output,
                       std::string("the reply does not have the expected shape: ") + e.what());
  }
  return api_failure(FailureKind::malformed_output, "unknown API");
}

std::string api_error_message(std::string_view body) {
  const auto reply = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (reply.is_discarded() || !reply.is_object()) return {};
  const auto it = reply.find("error");
  if (it == reply.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) {
    const auto message = it->find("message");
    if (message != it->end() && message->is_string()) return message->get<std::string>();
  }
  return {};
}

std::int64_t json_int(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return 0;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return 0;
  return it->get<std::int64_t>();
}

ApiFailure api_failure(FailureKind kind, std::string message, Usage usage) {
  return ApiFailure{kind, std::move(message), usage};
}

}  // namespace gavel::agents
