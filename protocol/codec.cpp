#include "protocol/codec.hpp"

#include "protocol/json.hpp"
#include "protocol/json_fields.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <utility>

namespace gavel::protocol {

using detail::FieldError;

namespace {

// Each request type sits at its command's index, and each response at its request's.
template <std::size_t... I>
constexpr bool variants_in_step(std::index_sequence<I...>) {
  return ((static_cast<std::size_t>(std::variant_alternative_t<I, Request>::k_command) == I &&
           std::is_same_v<typename std::variant_alternative_t<I, Request>::Response,
                          std::variant_alternative_t<I, Response>>) &&
          ...);
}
static_assert(variants_in_step(std::make_index_sequence<std::variant_size_v<Request>>{}),
              "Request, Response and Command must list the commands in the same order");

template <class Variant, std::size_t I>
Variant decode_at(const json& j) {
  std::variant_alternative_t<I, Variant> value;
  from_json(j, value);
  return Variant{std::in_place_index<I>, std::move(value)};
}

template <class Variant, std::size_t... I>
constexpr auto decoders(std::index_sequence<I...>) {
  return std::array<Variant (*)(const json&), sizeof...(I)>{&decode_at<Variant, I>...};
}

template <class Variant>
Variant decode_alternative(std::size_t index, const json& j) {
  static constexpr auto k_table =
      decoders<Variant>(std::make_index_sequence<std::variant_size_v<Variant>>{});
  return k_table.at(index)(j);
}

std::string dump_line(const json& j) {
  // Invalid UTF-8 (agent output may carry any bytes) is replaced, never thrown.
  auto text = j.dump(-1, ' ', false, json::error_handler_t::replace);
  text.push_back('\n');
  return text;
}

BadRequest bad(std::optional<std::int64_t> id, std::string message) {
  return BadRequest{id, WireError{std::string(codes::bad_request), std::move(message)}};
}

std::optional<json> parse_object(std::string_view line, std::string& why) {
  try {
    auto j = json::parse(line);
    if (!j.is_object()) {
      why = "expected a JSON object";
      return std::nullopt;
    }
    return j;
  } catch (const json::exception& e) {
    why = std::string("not JSON: ") + e.what();
    return std::nullopt;
  }
}

json id_value(std::optional<std::int64_t> id) { return id ? json(*id) : json(nullptr); }

}  // namespace

void throw_exception_from_error(const BadRequest& e, const boost::source_location&) {
  throw ErrorException(fail(Errc::invalid_argument, e.error.code + ": " + e.error.message));
}

DecodedRequest decode_request(std::string_view line) {
  std::string why;
  const auto j = parse_object(line, why);
  if (!j) return bad(std::nullopt, why);

  std::optional<std::int64_t> id;
  const auto id_it = j->find("id");
  if (id_it == j->end()) return bad(std::nullopt, "\"id\": missing");
  try {
    id = detail::decode<std::int64_t>(*id_it, "id");
  } catch (const FieldError& e) {
    return bad(std::nullopt, e.what());
  }

  const auto cmd_it = j->find("command");
  if (cmd_it == j->end()) return bad(id, "\"command\": missing");
  if (!cmd_it->is_string()) return bad(id, "\"command\": expected a string");
  const auto& name = cmd_it->get_ref<const std::string&>();
  const auto command = command_from_name(name);
  if (!command) {
    return BadRequest{id, WireError{std::string(codes::unknown_command),
                                    "no command named \"" + name + "\""}};
  }

  static const json k_no_args = json::object();
  const auto args_it = j->find("args");
  const json* args = &k_no_args;
  if (args_it != j->end() && !args_it->is_null()) {
    if (!args_it->is_object()) return bad(id, name + ": \"args\": expected an object");
    args = &*args_it;
  }
  try {
    return RequestEnvelope{*id, decode_alternative<Request>(static_cast<std::size_t>(*command),
                                                            *args)};
  } catch (const FieldError& e) {
    return bad(id, name + ": argument " + e.what());
  } catch (const json::exception& e) {
    return bad(id, name + ": " + e.what());
  }
}

std::string encode_request(std::int64_t id, const Request& request) {
  json args;
  std::visit([&](const auto& r) { to_json(args, r); }, request);
  return dump_line(json{{"id", id}, {"command", to_string(command_of(request))}, {"args", args}});
}

std::string encode_response(std::optional<std::int64_t> id, const Response& response) {
  json result;
  std::visit([&](const auto& r) { to_json(result, r); }, response);
  return dump_line(json{{"id", id_value(id)}, {"ok", true}, {"result", result}});
}

std::string encode_error(std::optional<std::int64_t> id, const WireError& error) {
  return dump_line(json{{"id", id_value(id)},
                        {"ok", false},
                        {"error", json{{"code", error.code}, {"message", error.message}}}});
}

std::string encode_event(const Event& event) {
  json j;
  std::visit([&](const auto& e) { to_json(j, e); }, event);
  j["event"] = event_name(event);
  return dump_line(j);
}

Result<ServerLine> decode_server_line(std::string_view line, Command expected) {
  std::string why;
  const auto j = parse_object(line, why);
  if (!j) return fail(Errc::parse, "daemon sent a bad line: " + why);
  try {
    if (const auto ev = j->find("event"); ev != j->end()) {
      const auto name = detail::decode<std::string>(*ev, "event");
      const auto index = event_index(name);
      if (!index) return fail(Errc::parse, "daemon sent an unknown event \"" + name + "\"");
      return ServerLine{decode_alternative<Event>(*index, *j)};
    }
    Reply reply;
    if (const auto id = j->find("id"); id != j->end() && !id->is_null()) {
      reply.id = detail::decode<std::int64_t>(*id, "id");
    }
    bool ok = false;
    detail::required(*j, "ok", ok);
    if (ok) {
      const auto result = j->find("result");
      if (result == j->end()) throw FieldError("result", "missing");
      if (!result->is_object()) throw FieldError("result", "expected an object");
      reply.body = decode_alternative<Response>(static_cast<std::size_t>(expected), *result);
    } else {
      WireError error;
      const auto err = j->find("error");
      if (err == j->end() || !err->is_object()) throw FieldError("error", "expected an object");
      detail::required(*err, "code", error.code);
      detail::optional(*err, "message", error.message);
      reply.body = std::move(error);
    }
    return ServerLine{std::move(reply)};
  } catch (const FieldError& e) {
    return fail(Errc::parse, std::string("daemon sent a bad ") + std::string(to_string(expected)) +
                                 " reply: " + e.what());
  } catch (const json::exception& e) {
    return fail(Errc::parse, std::string("daemon sent a bad line: ") + e.what());
  }
}

}  // namespace gavel::protocol
