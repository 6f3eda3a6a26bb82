#include "daemon/log_setup.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <map>
#include <mutex>
#include <optional>

namespace gavel::daemon {

namespace {

constexpr std::array<const char*, 3> k_modules{"daemon", "repo", "session"};
constexpr const char* k_pattern = "%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%n] %v";

void create_loggers() {
  static std::once_flag once;
  std::call_once(once, [] {
    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(spdlog::color_mode::automatic);
    auto fallback = std::make_shared<spdlog::logger>("gavel", sink);
    fallback->set_pattern(k_pattern);
    spdlog::set_default_logger(fallback);
    for (const char* name : k_modules) {
      auto logger = std::make_shared<spdlog::logger>(name, sink);
      logger->set_pattern(k_pattern);
      spdlog::register_logger(logger);
    }
  });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

Result<spdlog::level::level_enum> parse_level(std::string_view text) {
  static const std::map<std::string_view, spdlog::level::level_enum> k_levels{
      {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
      {"warning", spdlog::level::warn}, {"error", spdlog::level::err},
      {"critical", spdlog::level::critical}, {"off", spdlog::level::off}};
  auto it = k_levels.find(text);
  if (it == k_levels.end()) {
    return fail(Errc::invalid_argument,
                "log level \"" + std::string(text) +
                    "\": expected trace, debug, info, warn, error, critical or off");
  }
  return it->second;
}

}  // namespace

Result<void> configure_logging(std::string_view spec) {
  create_loggers();
  std::optional<spdlog::level::level_enum> all;
  std::map<std::string, spdlog::level::level_enum> per_module;
  while (!spec.empty()) {
    auto comma = spec.find(',');
    std::string_view item = trim(spec.substr(0, comma));
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    if (eq == std::string_view::npos) {
      auto level = parse_level(item);
      if (!level) return level.error();
      all = *level;
      continue;
    }
    std::string module(trim(item.substr(0, eq)));
    auto level = parse_level(trim(item.substr(eq + 1)));
    if (!level) return level.error();
    bool known = module == "gavel";
    for (const char* name : k_modules) known = known || module == name;
    if (!known) {
      return fail(Errc::invalid_argument,
                  "log module \"" + module + "\": expected daemon, repo, session or gavel");
    }
    per_module[module] = *level;
  }
  if (all) {
    spdlog::default_logger()->set_level(*all);
    for (const char* name : k_modules) spdlog::get(name)->set_level(*all);
  }
  for (const auto& [module, level] : per_module) {
    (module == "gavel" ? spdlog::default_logger() : spdlog::get(module))->set_level(level);
  }
  return {};
}

std::shared_ptr<spdlog::logger> log(std::string_view module) {
  create_loggers();
  auto logger = spdlog::get(std::string(module));
  return logger ? logger : spdlog::default_logger();
}

}  // namespace gavel::daemon
