#pragma once
// Pure helpers of the process adapter: argv template expansion, the child's environment, program
// lookup and secret redaction. No process is started here; ProcessAgent calls these on its
// io_context thread before launching, and tests call them directly.

#include "base/error.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::agents {

// Values substituted for the placeholders of config::ProcessSpec argv templates.
struct TemplateValues {
  std::string prompt;       // {prompt}
  std::string prompt_file;  // {prompt_file}
  std::string output_file;  // {output_file}
  std::string schema_file;  // {schema_file}
  std::string schema_json;  // {schema_json}
  std::string workdir;      // {workdir}
  bool has_schema = false;  // false: elements naming a schema placeholder are left out
};

// Largest single argument Linux accepts (MAX_ARG_STRLEN); longer ones fail at exec with E2BIG.
inline constexpr std::size_t k_max_arg_bytes = 128 * 1024 - 1;

// Expands every element of `argv_template`. Fails (Errc::config) on an unknown placeholder, an
// unmatched brace, or an empty result; (Errc::invalid_argument) on an argument longer than
// k_max_arg_bytes, naming the element, never its content.
Result<std::vector<std::string>> expand_argv(const std::vector<std::string>& argv_template,
                                             const TemplateValues& values);

// True when some element of `argv_template` mentions `{name}` (name without braces).
bool mentions_placeholder(const std::vector<std::string>& argv_template, std::string_view name);

// Reads a variable of gavel's own environment; tests pass a map instead of ::getenv.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_env_lookup();

// The child's environment as NAME=VALUE strings, sorted by name: the names of `allow` that
// `lookup` finds, then `set` on top (overriding). Nothing else of gavel's environment passes.
std::vector<std::string> build_child_env(const std::vector<std::string>& allow,
                                         const std::map<std::string, std::string>& set,
                                         const EnvLookup& lookup);

// Finds `program` the way execvp would, but against `child_env`'s PATH (falling back to
// /usr/local/bin:/usr/bin:/bin when it has none). A name containing '/' is taken as a path
// (relative ones against `base_dir`). Returns nullopt when no executable regular file is found.
std::optional<std::filesystem::path> find_program(const std::string& program,
                                                  const std::vector<std::string>& child_env,
                                                  const std::filesystem::path& base_dir);

// The values of `child_env` entries whose name looks secret (contains KEY, TOKEN, SECRET,
// PASSWORD, AUTH or CREDENTIAL, any case), at least 6 characters long.
std::vector<std::string> secret_values(const std::vector<std::string>& child_env);

// Replaces every occurrence of each of `secrets` in `text` by "[redacted]".
std::string redact(std::string text, const std::vector<std::string>& secrets);

}  // namespace gavel::agents
