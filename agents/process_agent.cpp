#include "agents/process_agent.hpp"

#include "agents/cli_envelope.hpp"
#include "agents/process_child.hpp"
#include "agents/process_tempdir.hpp"

#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <system_error>

namespace gavel::agents {
namespace {

using config::OutputFrom;
using config::PromptVia;
using std::chrono::milliseconds;

constexpr std::size_t k_excerpt_bytes = 4096;

AgentFailure make_failure(FailureKind kind, std::string message) {
  AgentFailure f;
  f.kind = kind;
  f.message = std::move(message);
  return f;
}

milliseconds effective_timeout(milliseconds task, milliseconds spec) {
  if (task.count() <= 0) return spec;
  if (spec.count() <= 0) return task;
  return std::min(task, spec);
}

std::string seconds_text(milliseconds ms) {
  return std::to_string(ms.count() / 1000) + "." + std::to_string(ms.count() % 1000 / 100) + " s";
}

// The tail of stderr (or of stdout when stderr is blank), with a note of what the caps dropped.
// Secrets are redacted in the whole capture before it is cut, so a cut never splits one.
std::string make_excerpt(const ChildOutcome& o, const std::vector<std::string>& secrets) {
  const bool use_err = o.stderr_text.find_first_not_of(" \t\r\n") != std::string::npos;
  std::string out =
      bounded_tail(redact(use_err ? o.stderr_text : o.stdout_text, secrets), k_excerpt_bytes);
  if (o.stdout_dropped > 0) {
    out +=
        "\n[gavel: " + std::to_string(o.stdout_dropped) + " bytes of stdout over the cap dropped]";
  }
  if (o.stderr_dropped > 0) {
    out += "\n[gavel: " + std::to_string(o.stderr_dropped) + " earlier bytes of stderr dropped]";
  }
  return out;
}

Result<void> check_template(const std::vector<std::string>& argv, const config::ProcessSpec& p,
                            const char* which) {
  if (argv.empty()) return {};
  TemplateValues probe;
  probe.has_schema = true;
  auto expanded = expand_argv(argv, probe);
  if (!expanded) return fail(Errc::config, std::string(which) + ": " + expanded.error().message);
  if (p.prompt_via == PromptVia::file && !mentions_placeholder(argv, "prompt_file")) {
    return fail(Errc::config, std::string(which) + ": prompt_via = file needs {prompt_file}");
  }
  if (p.prompt_via == PromptVia::argument && !mentions_placeholder(argv, "prompt")) {
    return fail(Errc::config, std::string(which) + ": prompt_via = argument needs {prompt}");
  }
  if (p.output_from == OutputFrom::file && !mentions_placeholder(argv, "output_file")) {
    return fail(Errc::config, std::string(which) + ": output_from = file needs {output_file}");
  }
  return {};
}

}  // namespace

Result<void> validate_process_spec(const config::AgentSpec& spec) {
  if (spec.kind != config::AgentKind::process) {
    return fail(Errc::config, "agent '" + spec.name + "' is not a process agent");
  }
  const auto& p = spec.process;
  if (p.reviewer_argv.empty() && p.implementer_argv.empty()) {
    return fail(Errc::config,
                "agent '" + spec.name + "' has neither reviewer_argv nor implementer_argv");
  }
  if (auto r = check_template(p.reviewer_argv, p, "reviewer_argv"); !r) return r;
  return check_template(p.implementer_argv, p, "implementer_argv");
}

ProcessAgent::ProcessAgent(config::AgentSpec spec, EnvLookup env)
    : m_spec(std::move(spec)), m_env(std::move(env)) {}

Result<std::unique_ptr<ProcessAgent>> ProcessAgent::create(config::AgentSpec spec) {
  if (auto valid = validate_process_spec(spec); !valid) return valid.error();
  return std::make_unique<ProcessAgent>(std::move(spec));
}

boost::asio::awaitable<AgentResult> ProcessAgent::run(Task task) {
  // A cancelled caller must still get its `cancelled` result, not an exception from co_await.
  const bool throw_before = co_await boost::asio::this_coro::throw_if_cancelled();
  co_await boost::asio::this_coro::throw_if_cancelled(false);
  AgentResult result = co_await run_task(std::move(task));
  co_await boost::asio::this_coro::throw_if_cancelled(throw_before);
  co_return result;
}

boost::asio::awaitable<AgentResult> ProcessAgent::run_task(Task task) {
  const auto started = std::chrono::steady_clock::now();
  const auto& p = m_spec.process;
  auto finish = [&](AgentResult result) {
    const auto took =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
    if (result) {
      result->duration = took;
      return result;
    }
    AgentFailure failure = result.error();  // error() returns a copy
    failure.duration = took;
    return AgentResult(std::move(failure));
  };
  if (auto valid = validate_process_spec(m_spec); !valid) {
    co_return finish(make_failure(FailureKind::crash, valid.error().message));
  }
  const bool reviewer = task.role == Role::reviewer;
  const auto& argv_template = reviewer ? p.reviewer_argv : p.implementer_argv;
  if (argv_template.empty()) {
    co_return finish(make_failure(
        FailureKind::crash,
        "agent '" + m_spec.name + "' has no " + (reviewer ? "reviewer_argv" : "implementer_argv")));
  }
  auto dir = ProcessTempDir::create();
  if (!dir) co_return finish(make_failure(FailureKind::crash, dir.error().message));

  TemplateValues values;
  values.has_schema = !task.output_schema_json.empty();
  values.schema_json = task.output_schema_json;
  values.workdir = task.workdir.string();
  values.output_file = (dir->path() / "output.txt").string();
  if (mentions_placeholder(argv_template, "prompt")) values.prompt = task.prompt;
  if (p.prompt_via == PromptVia::file || mentions_placeholder(argv_template, "prompt_file")) {
    auto file = dir->write_file("prompt.txt", task.prompt);
    if (!file) co_return finish(make_failure(FailureKind::crash, file.error().message));
    values.prompt_file = file->string();
  }
  if (values.has_schema && mentions_placeholder(argv_template, "schema_file")) {
    auto file = dir->write_file("schema.json", task.output_schema_json);
    if (!file) co_return finish(make_failure(FailureKind::crash, file.error().message));
    values.schema_file = file->string();
  }
  auto argv = expand_argv(argv_template, values);
  if (!argv) co_return finish(make_failure(FailureKind::crash, argv.error().message));

  ChildSpec child;
  child.env = build_child_env(p.env_allow, p.env_set, m_env);
  const auto secrets = secret_values(child.env);
  std::error_code ec;
  child.cwd = task.workdir.empty() ? dir->path() : task.workdir;
  if (!std::filesystem::is_directory(child.cwd, ec)) {
    co_return finish(
        make_failure(FailureKind::crash, "workdir " + child.cwd.string() + " is not a directory"));
  }
  const auto program = find_program(argv->front(), child.env, std::filesystem::current_path(ec));
  if (!program) {
    co_return finish(make_failure(FailureKind::unavailable,
                                  "program '" + argv->front() + "' not found or not executable"));
  }
  child.program = *program;
  child.args.assign(argv->begin() + 1, argv->end());
  if (p.prompt_via == PromptVia::stdin_pipe) child.stdin_data = task.prompt;
  child.max_stdout_bytes = p.max_output_bytes;
  child.max_stderr_bytes = p.max_stderr_bytes;
  child.timeout = effective_timeout(task.timeout, m_spec.timeout);
  child.kill_grace = p.kill_grace;

  const auto timeout = child.timeout;
  spdlog::debug("agent {}: starting {}", m_spec.name, child.program.string());
  const ChildOutcome outcome = co_await run_child(std::move(child));
  if (outcome.group_left_behind) {
    spdlog::error("agent {}: processes of group {} survived SIGKILL", m_spec.name, outcome.pid);
  }

  AgentResult result = make_failure(FailureKind::crash, "");
  switch (outcome.end) {
    case ChildEnd::launch_failed:
      result = make_failure(FailureKind::unavailable, outcome.launch_error);
      break;
    case ChildEnd::cancelled:
      result = make_failure(FailureKind::cancelled, "stopped at the caller's request");
      break;
    case ChildEnd::timed_out:
      result = make_failure(FailureKind::timeout,
                            "no answer within " + seconds_text(timeout) + "; stopped");
      break;
    case ChildEnd::exited:
    case ChildEnd::signalled: {
      RunRecord record;
      record.format = p.output_format;
      record.output_from = p.output_from;
      record.schema_required =
          values.has_schema && (mentions_placeholder(argv_template, "schema_json") ||
                                mentions_placeholder(argv_template, "schema_file"));
      record.exit_code = outcome.exit_code;
      record.term_signal = outcome.end == ChildEnd::signalled ? outcome.term_signal : 0;
      record.stdout_text = outcome.stdout_text;
      record.stdout_dropped = outcome.stdout_dropped;
      record.stderr_text = outcome.stderr_text;
      if (p.output_from == OutputFrom::file) {
        bool truncated = false;
        auto content =
            ProcessTempDir::read_capped(values.output_file, p.max_output_bytes, truncated);
        if (content) record.output_file = std::move(*content);
        record.output_file_truncated = truncated;
      }
      result = interpret_run(record);
      break;
    }
  }
  if (!result) {
    AgentFailure f = result.error();
    f.message = redact(std::move(f.message), secrets);
    f.excerpt = make_excerpt(outcome, secrets);
    spdlog::info("agent {}: {}: {}", m_spec.name, to_string(f.kind), f.message);
    result = std::move(f);
  }
  co_return finish(std::move(result));
}

}  // namespace gavel::agents
