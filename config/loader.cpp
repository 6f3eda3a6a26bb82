#include "config/loader.hpp"

#include "config/agent_table.hpp"
#include "config/keys.hpp"

#include <toml++/toml.h>

#include <charconv>
#include <system_error>

namespace gavel::config {

namespace {

enum class Layer { user, repo };

bool is_section(std::string_view section) {
  for (const KeyDef& k : keys()) {
    if (k.name.substr(0, k.name.find('.')) == section) return true;
  }
  return false;
}


std::string where(const std::filesystem::path& file, const toml::node& node) {
  return file.string() + ":" + std::to_string(node.source().begin.line);
}

// A scalar TOML value as the text the key table parses.
std::optional<std::string> scalar_text(const toml::node& node) {
  if (auto s = node.value<std::string>()) return *s;
  if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
  if (node.is_integer()) return std::to_string(*node.value<std::int64_t>());
  if (node.is_floating_point()) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *node.value<double>());
    if (ec == std::errc()) return std::string(buf, end);
  }
  return std::nullopt;
}

Result<void> apply_section(Config& config, const std::filesystem::path& file, Layer layer,
                           std::string_view section, const toml::table& table) {
  for (const auto& [key, node] : table) {
    const std::string name = std::string(section) + "." + std::string(key.str());
    const KeyDef* def = find_key(name);
    if (def == nullptr) {
      return fail(Errc::config, where(file, node) + ": " + name + ": unknown key");
    }
    if (layer == Layer::repo && def->scope == Scope::user_only) {
      return fail(Errc::config, where(file, node) + ": " + name +
                                    ": may be set only in your own config file, not in a "
                                    "repository's " + k_repo_file_name);
    }
    auto text = scalar_text(node);
    if (!text) return fail(Errc::config, where(file, node) + ": " + name + ": expected a value");
    if (auto r = def->set(config, *text); !r) {
      return fail(Errc::config, where(file, node) + ": " + name + ": " + r.error().message);
    }
  }
  return {};
}

Result<void> apply_table(Config& config, const std::filesystem::path& file, Layer layer,
                         const toml::table& root) {
  for (const auto& [key, node] : root) {
    const std::string section(key.str());
    if (section == "agents") {
      if (layer == Layer::repo) {
        return fail(Errc::config, where(file, node) + ": agents: a repository's " +
                                      k_repo_file_name +
                                      " may not define agents or commands to run; define them in "
                                      "your own config file");
      }
      if (auto r = apply_agents(config, file, node); !r) return r;
      continue;
    }
    const toml::table* table = node.as_table();
    if (table == nullptr || !is_section(section)) {
      return fail(Errc::config, where(file, node) + ": " + section + ": unknown section");
    }
    if (auto r = apply_section(config, file, layer, section, *table); !r) return r;
  }
  return {};
}

Result<void> apply_file(Config& config, const std::filesystem::path& file, Layer layer) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return {};
  try {
    return apply_table(config, file, layer, toml::parse_file(file.string()));
  } catch (const toml::parse_error& e) {
    return fail(Errc::config, file.string() + ":" + std::to_string(e.source().begin.line) +
                                  ": not valid TOML: " + std::string(e.description()));
  }
}

Result<void> apply_text(Config& config, const ConfigText& in, Layer layer) {
  try {
    return apply_table(config, in.name, layer, toml::parse(in.text, in.name));
  } catch (const toml::parse_error& e) {
    return fail(Errc::config, in.name + ":" + std::to_string(e.source().begin.line) +
                                  ": not valid TOML: " + std::string(e.description()));
  }
}

}  // namespace

Result<Config> load(const LoadInputs& inputs) {
  Config config;
  if (inputs.user_file) {
    if (auto r = apply_file(config, *inputs.user_file, Layer::user); !r) return r.error();
  }
  if (inputs.repo_text) {
    if (auto r = apply_text(config, *inputs.repo_text, Layer::repo); !r) return r.error();
  } else if (inputs.repo_file) {
    if (auto r = apply_file(config, *inputs.repo_file, Layer::repo); !r) return r.error();
  }
  for (const KeyDef& k : keys()) {
    auto it = inputs.env.find(std::string(k.env));
    if (it == inputs.env.end()) continue;
    if (auto r = k.set(config, it->second); !r) {
      return fail(Errc::config, "environment " + it->first + ": " + r.error().message);
    }
  }
  for (const std::string& o : inputs.overrides) {
    const auto eq = o.find('=');
    const KeyDef* def = eq == std::string::npos ? nullptr : find_key(o.substr(0, eq));
    if (def == nullptr) {
      return fail(Errc::config, "-c " + o + ": expected KEY=VALUE with a known key");
    }
    if (auto r = def->set(config, std::string_view(o).substr(eq + 1)); !r) {
      return fail(Errc::config, "-c " + o + ": " + r.error().message);
    }
  }
  return config;
}

std::optional<std::filesystem::path> default_user_file(const std::map<std::string, std::string>& env) {
  if (auto it = env.find("XDG_CONFIG_HOME"); it != env.end() && !it->second.empty()) {
    return std::filesystem::path(it->second) / "gavel" / "config.toml";
  }
  if (auto it = env.find("HOME"); it != env.end() && !it->second.empty()) {
    return std::filesystem::path(it->second) / ".config" / "gavel" / "config.toml";
  }
  return std::nullopt;
}

std::map<std::string, std::string> environment_map(char** envp) {
  std::map<std::string, std::string> env;
  for (char** e = envp; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    const auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

}  // namespace gavel::config
