#pragma once
// Internal to gavel_protocol: strict field readers for from_json. Each throws FieldError naming
// the field and what was expected ("repo": expected a string), which the codec turns into a
// "bad_request" reply (requests) or an Errc::parse error (replies, events). Nested values get
// their path prefixed ("session.round"). Not for use outside protocol/*.cpp.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace gavel::protocol::detail {

using nlohmann::json;

class FieldError : public std::runtime_error {
 public:
  FieldError(std::string path, std::string problem)
      : std::runtime_error("\"" + path + "\": " + problem),
        m_path(std::move(path)),
        m_problem(std::move(problem)) {}
  const std::string& path() const noexcept { return m_path; }
  const std::string& problem() const noexcept { return m_problem; }

 private:
  std::string m_path;
  std::string m_problem;
};

template <class T> struct is_vector : std::false_type {};
template <class T> struct is_vector<std::vector<T>> : std::true_type {};
template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};

// Decodes `v` as a T; `where` names it in errors. Object types use their from_json (ADL).
template <class T>
T decode(const json& v, const std::string& where) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is_string()) throw FieldError(where, "expected a string");
    return v.get<std::string>();
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_boolean()) throw FieldError(where, "expected true or false");
    return v.get<bool>();
  } else if constexpr (std::is_integral_v<T>) {
    if (!v.is_number_integer()) throw FieldError(where, "expected a whole number");
    if (v.is_number_unsigned()) {
      const auto u = v.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
        throw FieldError(where, "number out of range");
      }
      return static_cast<T>(u);
    }
    const auto i = v.get<std::int64_t>();
    if (i < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
        i > static_cast<std::int64_t>(std::numeric_limits<T>::max())) {
      throw FieldError(where, "number out of range");
    }
    return static_cast<T>(i);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!v.is_number()) throw FieldError(where, "expected a number");
    return v.get<T>();
  } else if constexpr (is_vector<T>::value) {
    if (!v.is_array()) throw FieldError(where, "expected an array");
    T out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      out.push_back(decode<typename T::value_type>(v[i], where + "[" + std::to_string(i) + "]"));
    }
    return out;
  } else if constexpr (is_optional<T>::value) {
    if (v.is_null()) return std::nullopt;
    return decode<typename T::value_type>(v, where);
  } else {
    if (!v.is_object()) throw FieldError(where, "expected an object");
    T out;
    try {
      from_json(v, out);
    } catch (const FieldError& e) {
      throw FieldError(where + "." + e.path(), e.problem());
    }
    return out;
  }
}

// A field that must be present.
template <class T>
void required(const json& obj, const char* key, T& out) {
  const auto it = obj.find(key);
  if (it == obj.end()) throw FieldError(key, "missing");
  out = decode<T>(*it, key);
}

// A field that may be absent (or null): `out` keeps its default then.
template <class T>
void optional(const json& obj, const char* key, T& out) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return;
  out = decode<T>(*it, key);
}

// An enum carried as its wire name; `parse` maps a name to a value, `names` lists them.
template <class E, class Parse>
E enum_value(const json& v, const std::string& where, Parse parse, std::string_view names) {
  if (!v.is_string()) throw FieldError(where, "expected one of " + std::string(names));
  const auto e = parse(v.get_ref<const std::string&>());
  if (!e) {
    throw FieldError(where, "expected one of " + std::string(names) + ", got \"" +
                                v.get_ref<const std::string&>() + "\"");
  }
  return *e;
}

template <class E, class Parse>
void required_enum(const json& obj, const char* key, E& out, Parse parse, std::string_view names) {
  const auto it = obj.find(key);
  if (it == obj.end()) throw FieldError(key, "missing");
  out = enum_value<E>(*it, key, parse, names);
}

template <class E, class Parse>
void optional_enum(const json& obj, const char* key, E& out, Parse parse, std::string_view names) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return;
  out = enum_value<E>(*it, key, parse, names);
}

}  // namespace gavel::protocol::detail
