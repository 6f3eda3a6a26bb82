#pragma once
// A small JSON Schema (draft-07 subset) validator for tests: exactly the keywords that the
// SARIF 2.1.0 schema and gavel's agent-output schemas use. type, properties, required, enum,
// items, minimum, maximum, $ref ("#/definitions/..." and "#/$defs/..."), additionalProperties
// (boolean or schema), uniqueItems, minItems, pattern, anyOf, oneOf. "format" and annotations
// (description, default, title, $schema, $id) are ignored. unsupported_keywords() lists any
// other keyword a schema uses, so a test can prove the validator covers the whole schema.

#include <nlohmann/json.hpp>

#include <cmath>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace gavel::review::testing {

class SchemaCheck {
 public:
  explicit SchemaCheck(nlohmann::json schema) : m_root(std::move(schema)) {}

  // Every violation of `instance`, each as "<json pointer>: <what>"; empty when valid.
  std::vector<std::string> errors(const nlohmann::json& instance) const {
    std::vector<std::string> out;
    check(m_root, instance, "", out, 0);
    return out;
  }

  // Keywords used anywhere in the schema that this validator does not implement.
  std::set<std::string> unsupported_keywords() const {
    std::set<std::string> out;
    collect(m_root, out);
    return out;
  }

 private:
  using json = nlohmann::json;

  static const std::set<std::string>& known() {
    static const std::set<std::string> k{
        "type",     "properties", "required", "enum",    "items",       "minimum",
        "maximum",  "$ref",       "additionalProperties", "uniqueItems", "minItems",
        "pattern",  "anyOf",      "oneOf",    "format",  "description", "default",
        "title",    "$schema",    "$id",      "definitions", "$defs"};
    return k;
  }

  static void collect(const json& schema, std::set<std::string>& out) {
    if (!schema.is_object()) return;
    for (const auto& [key, value] : schema.items()) {
      if (known().count(key) == 0) out.insert(key);
      if (key == "properties" || key == "definitions" || key == "$defs") {
        for (const auto& [name, sub] : value.items()) collect(sub, out);
      } else if (key == "items" || key == "additionalProperties") {
        collect(value, out);
      } else if (key == "anyOf" || key == "oneOf") {
        for (const json& sub : value) collect(sub, out);
      }
    }
  }

  const json& resolve(const std::string& ref) const {
    static const json k_empty = json::object();
    const json* node = &m_root;
    std::size_t pos = 2;  // after "#/"
    if (ref.rfind("#/", 0) != 0) return k_empty;
    while (pos <= ref.size()) {
      std::size_t slash = ref.find('/', pos);
      if (slash == std::string::npos) slash = ref.size();
      std::string part = ref.substr(pos, slash - pos);
      if (!node->is_object() || !node->contains(part)) return k_empty;
      node = &(*node)[part];
      pos = slash + 1;
    }
    return *node;
  }

  static bool is_type(const json& v, const std::string& type) {
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    if (type == "string") return v.is_string();
    if (type == "boolean") return v.is_boolean();
    if (type == "null") return v.is_null();
    if (type == "number") return v.is_number();
    if (type == "integer") {
      return v.is_number_integer() ||
             (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>());
    }
    return false;
  }

  void check(const json& schema, const json& v, const std::string& path,
             std::vector<std::string>& out, int depth) const {
    if (depth > 200) {
      out.push_back(path + ": schema recursion too deep");
      return;
    }
    if (schema.is_boolean()) {
      if (!schema.get<bool>()) out.push_back(path + ": not allowed");
      return;
    }
    if (!schema.is_object()) return;
    if (auto it = schema.find("$ref"); it != schema.end()) {
      check(resolve(it->get<std::string>()), v, path, out, depth + 1);
      return;  // draft-07: siblings of $ref are ignored
    }
    if (auto it = schema.find("type"); it != schema.end()) {
      bool ok = false;
      if (it->is_string()) ok = is_type(v, it->get<std::string>());
      for (const json& t : it->is_array() ? *it : json::array()) ok = ok || is_type(v, t);
      if (!ok) {
        out.push_back(path + ": expected type " + it->dump() + ", got " + v.type_name());
        return;
      }
    }
    if (auto it = schema.find("enum"); it != schema.end()) {
      bool found = false;
      for (const json& e : *it) found = found || e == v;
      if (!found) out.push_back(path + ": " + v.dump() + " not in enum " + it->dump());
    }
    if (v.is_number()) {
      if (auto it = schema.find("minimum"); it != schema.end() && v.get<double>() < it->get<double>()) {
        out.push_back(path + ": below minimum " + it->dump());
      }
      if (auto it = schema.find("maximum"); it != schema.end() && v.get<double>() > it->get<double>()) {
        out.push_back(path + ": above maximum " + it->dump());
      }
    }
    if (v.is_string()) {
      if (auto it = schema.find("pattern"); it != schema.end()) {
        if (!std::regex_search(v.get<std::string>(), std::regex(it->get<std::string>()))) {
          out.push_back(path + ": does not match pattern " + it->dump());
        }
      }
    }
    if (v.is_object()) check_object(schema, v, path, out, depth);
    if (v.is_array()) check_array(schema, v, path, out, depth);
    if (auto it = schema.find("anyOf"); it != schema.end()) {
      int passing = count_passing(*it, v, path, depth);
      if (passing == 0) out.push_back(path + ": matches no schema of anyOf");
    }
    if (auto it = schema.find("oneOf"); it != schema.end()) {
      int passing = count_passing(*it, v, path, depth);
      if (passing != 1) out.push_back(path + ": matches " + std::to_string(passing) + " of oneOf");
    }
  }

  int count_passing(const json& list, const json& v, const std::string& path, int depth) const {
    int passing = 0;
    for (const json& sub : list) {
      std::vector<std::string> errs;
      check(sub, v, path, errs, depth + 1);
      passing += errs.empty() ? 1 : 0;
    }
    return passing;
  }

  void check_object(const json& schema, const json& v, const std::string& path,
                    std::vector<std::string>& out, int depth) const {
    const json props = schema.value("properties", json::object());
    for (const json& key : schema.value("required", json::array())) {
      if (!v.contains(key.get<std::string>())) {
        out.push_back(path + ": missing required " + key.get<std::string>());
      }
    }
    auto extra = schema.find("additionalProperties");
    for (const auto& [key, value] : v.items()) {
      std::string sub = path + "/" + key;
      if (props.contains(key)) {
        check(props[key], value, sub, out, depth + 1);
      } else if (extra != schema.end()) {
        if (extra->is_boolean() && !extra->get<bool>()) {
          out.push_back(sub + ": additional property not allowed");
        } else if (extra->is_object()) {
          check(*extra, value, sub, out, depth + 1);
        }
      }
    }
  }

  void check_array(const json& schema, const json& v, const std::string& path,
                   std::vector<std::string>& out, int depth) const {
    if (auto it = schema.find("minItems"); it != schema.end() && v.size() < it->get<std::size_t>()) {
      out.push_back(path + ": fewer than " + it->dump() + " items");
    }
    if (schema.value("uniqueItems", false)) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        for (std::size_t j = i + 1; j < v.size(); ++j) {
          if (v[i] == v[j]) out.push_back(path + ": items " + std::to_string(i) + " and " +
                                          std::to_string(j) + " are equal");
        }
      }
    }
    if (auto it = schema.find("items"); it != schema.end()) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        check(*it, v[i], path + "/" + std::to_string(i), out, depth + 1);
      }
    }
  }

  json m_root;
};

}  // namespace gavel::review::testing
