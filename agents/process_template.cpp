#include "agents/process_template.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>

#include <sys/stat.h>
#include <unistd.h>

namespace gavel::agents {
namespace {

constexpr std::string_view k_default_path = "/usr/local/bin:/usr/bin:/bin";

const std::string* lookup_value(const TemplateValues& v, std::string_view name) {
  if (name == "prompt") return &v.prompt;
  if (name == "prompt_file") return &v.prompt_file;
  if (name == "output_file") return &v.output_file;
  if (name == "schema_file") return &v.schema_file;
  if (name == "schema_json") return &v.schema_json;
  if (name == "workdir") return &v.workdir;
  return nullptr;
}

// Expands one element; `out` receives the text. Errors name the element's index only.
Result<std::string> expand_one(const std::string& element, std::size_t index,
                               const TemplateValues& values) {
  std::string out;
  const auto where = "argv[" + std::to_string(index) + "]";
  for (std::size_t i = 0; i < element.size(); ++i) {
    const char c = element[i];
    if (c == '}') {
      if (i + 1 < element.size() && element[i + 1] == '}') {
        out += '}';
        ++i;
        continue;
      }
      return fail(Errc::config, where + ": unmatched '}' (write '}}' for a literal brace)");
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < element.size() && element[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    const auto close = element.find('}', i + 1);
    if (close == std::string::npos) {
      return fail(Errc::config, where + ": unmatched '{' (write '{{' for a literal brace)");
    }
    const std::string_view name(element.data() + i + 1, close - i - 1);
    const std::string* value = lookup_value(values, name);
    if (value == nullptr) {
      return fail(Errc::config, where + ": unknown placeholder {" + std::string(name) + "}");
    }
    out += *value;
    i = close;
  }
  return out;
}

bool mentions_schema(const std::string& element) {
  return element.find("{schema_file}") != std::string::npos ||
         element.find("{schema_json}") != std::string::npos;
}

bool is_executable_file(const std::filesystem::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

}  // namespace

Result<std::vector<std::string>> expand_argv(const std::vector<std::string>& argv_template,
                                             const TemplateValues& values) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < argv_template.size(); ++i) {
    if (!values.has_schema && mentions_schema(argv_template[i])) continue;
    auto expanded = expand_one(argv_template[i], i, values);
    if (!expanded) return expanded.error();
    if (expanded->size() > k_max_arg_bytes) {
      return fail(Errc::invalid_argument,
                  "argv[" + std::to_string(i) + "] is " + std::to_string(expanded->size()) +
                      " bytes, over the 128 KiB limit of one argument; pass the prompt on "
                      "stdin or in a file instead");
    }
    out.push_back(std::move(*expanded));
  }
  if (out.empty() || out.front().empty()) {
    return fail(Errc::config, "the argv template names no program");
  }
  return out;
}

bool mentions_placeholder(const std::vector<std::string>& argv_template, std::string_view name) {
  const std::string token = "{" + std::string(name) + "}";
  return std::any_of(argv_template.begin(), argv_template.end(),
                     [&](const std::string& e) { return e.find(token) != std::string::npos; });
}

EnvLookup process_env_lookup() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (const char* v = std::getenv(name.c_str())) return std::string(v);
    return std::nullopt;
  };
}

std::vector<std::string> build_child_env(const std::vector<std::string>& allow,
                                         const std::map<std::string, std::string>& set,
                                         const EnvLookup& lookup) {
  std::map<std::string, std::string> env;
  for (const auto& name : allow) {
    if (name.empty() || name.find('=') != std::string::npos) continue;
    if (auto value = lookup(name)) env[name] = *value;
  }
  for (const auto& [name, value] : set) env[name] = value;
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

std::optional<std::filesystem::path> find_program(const std::string& program,
                                                  const std::vector<std::string>& child_env,
                                                  const std::filesystem::path& base_dir) {
  if (program.empty()) return std::nullopt;
  if (program.find('/') != std::string::npos) {
    std::filesystem::path p(program);
    if (p.is_relative()) p = base_dir / p;
    return is_executable_file(p) ? std::optional(p) : std::nullopt;
  }
  std::string_view path = k_default_path;
  for (const auto& entry : child_env) {
    if (entry.rfind("PATH=", 0) == 0) path = std::string_view(entry).substr(5);
  }
  while (true) {
    const auto colon = path.find(':');
    const auto dir = path.substr(0, colon);
    const auto candidate = std::filesystem::path(dir.empty() ? "." : std::string(dir)) / program;
    if (is_executable_file(candidate)) return candidate;
    if (colon == std::string_view::npos) return std::nullopt;
    path.remove_prefix(colon + 1);
  }
}

std::vector<std::string> secret_values(const std::vector<std::string>& child_env) {
  static constexpr std::array<std::string_view, 6> k_secret_words = {
      "KEY", "TOKEN", "SECRET", "PASSWORD", "AUTH", "CREDENTIAL"};
  std::vector<std::string> out;
  for (const auto& entry : child_env) {
    const auto eq = entry.find('=');
    if (eq == std::string::npos || entry.size() - eq - 1 < 6) continue;
    std::string name = entry.substr(0, eq);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const bool secret = std::any_of(k_secret_words.begin(), k_secret_words.end(),
                                    [&](std::string_view w) { return name.find(w) != name.npos; });
    if (secret) out.push_back(entry.substr(eq + 1));
  }
  return out;
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  static constexpr std::string_view k_mark = "[redacted]";
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (auto pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + k_mark.size())) {
      text.replace(pos, secret.size(), k_mark);
    }
  }
  return text;
}

}  // namespace gavel::agents
