#include "agents/presets.hpp"

namespace gavel::agents {
namespace {

// Proxy and TLS settings a CLI behind a corporate proxy needs; never credentials of ours.
const std::vector<std::string> k_network_env = {"HTTPS_PROXY",   "HTTP_PROXY",  "NO_PROXY",
                                                "https_proxy",   "http_proxy",  "no_proxy",
                                                "SSL_CERT_FILE", "SSL_CERT_DIR"};

std::vector<std::string> with_common_env(std::vector<std::string> names) {
  std::vector<std::string> out = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"};
  out.insert(out.end(), names.begin(), names.end());
  out.insert(out.end(), k_network_env.begin(), k_network_env.end());
  return out;
}

std::vector<std::string> codex_argv(const char* sandbox, const CodexPresetOptions& o) {
  std::vector<std::string> argv = {"codex",
                                   "exec",
                                   "--json",
                                   "--ephemeral",
                                   "-s",
                                   sandbox,
                                   "--skip-git-repo-check",
                                   "-c",
                                   "analytics.enabled=false",
                                   "--disable",
                                   "plugins",
                                   "--output-schema={schema_file}",
                                   "-o",
                                   "{output_file}"};
  if (!o.model.empty()) argv.insert(argv.end(), {"-m", o.model});
  argv.insert(argv.end(), o.extra_args.begin(), o.extra_args.end());
  argv.push_back("-");  // the prompt is read from stdin, which gavel closes after writing it
  return argv;
}

std::vector<std::string> claude_argv(int max_turns, bool edits, const ClaudePresetOptions& o) {
  std::vector<std::string> argv = {"claude",
                                   "-p",
                                   "--output-format",
                                   "json",
                                   "--json-schema={schema_json}",
                                   "--max-turns",
                                   std::to_string(max_turns),
                                   "--no-session-persistence",
                                   // Only the user's settings: a repository's .claude/settings.json
                                   // (hooks, permissions) and .mcp.json must not act on a review.
                                   "--setting-sources",
                                   "user",
                                   "--strict-mcp-config"};
  if (edits) {
    argv.insert(argv.end(), {"--permission-mode", "acceptEdits"});
  } else {
    // A reviewer reads: whatever the user's own settings allow (a defaultMode of acceptEdits,
    // Bash rules), it gets no tool that writes or runs commands in the developer's tree.
    argv.insert(argv.end(),
                {"--disallowedTools", "Edit", "Write", "MultiEdit", "NotebookEdit", "Bash"});
  }
  if (!o.model.empty()) argv.insert(argv.end(), {"--model", o.model});
  argv.insert(argv.end(), o.extra_args.begin(), o.extra_args.end());
  return argv;
}

}  // namespace

config::AgentSpec codex_preset(const CodexPresetOptions& options) {
  config::AgentSpec spec;
  spec.name = "codex";
  spec.kind = config::AgentKind::process;
  auto& p = spec.process;
  p.reviewer_argv = codex_argv("read-only", options);
  p.implementer_argv = codex_argv("workspace-write", options);
  p.prompt_via = config::PromptVia::stdin_pipe;
  p.output_from = config::OutputFrom::file;
  p.output_format = config::OutputFormat::codex_jsonl;
  p.env_allow = with_common_env({"CODEX_HOME", "OPENAI_API_KEY", "OPENAI_BASE_URL"});
  return spec;
}

config::AgentSpec claude_preset(const ClaudePresetOptions& options) {
  config::AgentSpec spec;
  spec.name = "claude";
  spec.kind = config::AgentKind::process;
  auto& p = spec.process;
  p.reviewer_argv = claude_argv(options.reviewer_max_turns, false, options);
  p.implementer_argv = claude_argv(options.implementer_max_turns, true, options);
  p.prompt_via = config::PromptVia::stdin_pipe;
  p.output_from = config::OutputFrom::stdout_pipe;
  p.output_format = config::OutputFormat::claude_json;
  p.env_allow = with_common_env({"ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL",
                                 "ANTHROPIC_MODEL", "CLAUDE_CONFIG_DIR", "NODE_EXTRA_CA_CERTS"});
  p.env_set = {{"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"}};
  return spec;
}

config::AgentSpec generic_preset(std::string name, std::vector<std::string> argv,
                                 std::vector<std::string> env_allow) {
  config::AgentSpec spec;
  spec.name = std::move(name);
  spec.kind = config::AgentKind::process;
  auto& p = spec.process;
  p.reviewer_argv = argv;
  p.implementer_argv = std::move(argv);
  p.prompt_via = config::PromptVia::stdin_pipe;
  p.output_from = config::OutputFrom::stdout_pipe;
  p.output_format = config::OutputFormat::text;
  p.env_allow = with_common_env(std::move(env_allow));
  return spec;
}

std::optional<config::AgentSpec> preset_by_name(std::string_view name) {
  if (name == "codex") return codex_preset();
  if (name == "claude") return claude_preset();
  return std::nullopt;
}

}  // namespace gavel::agents
