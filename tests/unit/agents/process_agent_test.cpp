// ProcessAgent with real child processes: tests/data/fake_cli/fake_agent.py plays the CLI.
#include "agents/process_agent.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace gavel::agents {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

const std::string k_fake = std::string(GAVEL_TEST_DATA_DIR) + "/fake_cli/fake_agent.py";

template <class T>
T run_sync(asio::awaitable<T> work) {
  asio::io_context ctx;
  auto done = asio::co_spawn(ctx, std::move(work), asio::use_future);
  ctx.run();
  return done.get();
}

config::AgentSpec fake_spec(std::vector<std::string> args) {
  config::AgentSpec spec;
  spec.name = "fake";
  spec.kind = config::AgentKind::process;
  std::vector<std::string> argv = {"python3", k_fake};
  argv.insert(argv.end(), args.begin(), args.end());
  spec.process.reviewer_argv = argv;
  spec.process.implementer_argv = argv;
  spec.process.kill_grace = 200ms;
  spec.timeout = 60s;
  return spec;
}

AgentResult run_agent(const config::AgentSpec& spec, Task task = {}) {
  ProcessAgent agent(spec);
  if (task.prompt.empty()) task.prompt = "review this";
  return run_sync(agent.run(std::move(task)));
}

// A temp dir per test, kept (and named) when the test fails.
class ScratchDir {
 public:
  ScratchDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "gavel-test-XXXXXX").string();
    m_path = ::mkdtemp(templ.data());
  }
  ~ScratchDir() {
    if (::testing::Test::HasFailure()) {
      std::cerr << "kept " << m_path << "\n";
    } else {
      std::filesystem::remove_all(m_path);
    }
  }
  const std::filesystem::path& path() const { return m_path; }

 private:
  std::filesystem::path m_path;
};

TEST(ProcessAgent, PromptOnStdinArrivesWhole) {
  const std::string prompt(1024 * 1024 + 7, 'p');  // more than a pipe buffer
  Task task;
  task.prompt = prompt;
  const auto result = run_agent(fake_spec({"echo-stdin"}), task);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->text, "stdin:" + prompt);
  EXPECT_GT(result->duration.count(), 0);
}

TEST(ProcessAgent, PromptInAPrivateFileThatIsRemovedAfterwards) {
  auto spec = fake_spec({"file-info", "{prompt_file}"});
  spec.process.prompt_via = config::PromptVia::file;
  Task task;
  task.prompt = "prompt in a file";
  const auto result = run_agent(spec, task);
  ASSERT_TRUE(result) << result.error().message;
  std::istringstream lines(result->text);
  std::string mode, path, content;
  std::getline(lines, mode);
  std::getline(lines, path);
  std::getline(lines, content);
  EXPECT_EQ(mode, "0o700");
  EXPECT_EQ(content, "prompt in a file");
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(path).parent_path()));
}

TEST(ProcessAgent, PromptAsOneArgumentWithStdinAtDevNull) {
  auto spec = fake_spec({"echo-args", "{prompt}"});
  spec.process.prompt_via = config::PromptVia::argument;
  Task task;
  task.prompt = "two words; $(not a shell) `x` 'q'";
  const auto result = run_agent(spec, task);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->text, task.prompt);
}

TEST(ProcessAgent, PromptTooLongForAnArgumentFailsWithoutStarting) {
  auto spec = fake_spec({"echo-args", "{prompt}"});
  spec.process.prompt_via = config::PromptVia::argument;
  Task task;
  task.prompt = std::string(200 * 1024, 'x');
  const auto result = run_agent(spec, task);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::crash);
  EXPECT_NE(result.error().message.find("128 KiB"), std::string::npos);
}

TEST(ProcessAgent, SchemaPlaceholdersAndWorkdir) {
  ScratchDir work;
  auto spec = fake_spec({"echo-args", "--schema={schema_json}", "{workdir}", "{{literal}}"});
  Task task;
  task.output_schema_json = R"({"type":"object"})";
  task.workdir = work.path();
  auto result = run_agent(spec, task);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->text,
            "--schema={\"type\":\"object\"}\n" + work.path().string() + "\n{literal}");

  task.output_schema_json.clear();  // no schema: the element naming it is left out
  result = run_agent(spec, task);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->text, work.path().string() + "\n{literal}");

  spec = fake_spec({"cat-file", "{schema_file}"});
  task.output_schema_json = R"({"required":["findings"]})";
  result = run_agent(spec, task);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->text, task.output_schema_json);
}

TEST(ProcessAgent, RunsInTheTaskWorkdir) {
  ScratchDir work;
  Task task;
  task.workdir = work.path();
  const auto result = run_agent(fake_spec({"cwd"}), task);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(std::filesystem::canonical(result->text), std::filesystem::canonical(work.path()));
}

TEST(ProcessAgent, OutputFromAFileIgnoresStdout) {
  auto spec = fake_spec({"write-output", "{output_file}", "the answer"});
  spec.process.output_from = config::OutputFrom::file;
  const auto result = run_agent(spec);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->text, "the answer");
}

TEST(ProcessAgent, OnlyAllowedEnvironmentReachesTheChild) {
  ::setenv("GAVEL_TEST_SECRET_ENV", "hunter2", 1);
  ::setenv("GAVEL_TEST_VISIBLE_ENV", "visible", 1);
  auto spec = fake_spec({"env"});
  spec.process.env_allow = {"PATH", "HOME", "GAVEL_TEST_VISIBLE_ENV", "GAVEL_TEST_UNSET_ENV"};
  spec.process.env_set = {{"GAVEL_SET_ENV", "set by spec"}};
  const auto result = run_agent(spec);
  ::unsetenv("GAVEL_TEST_SECRET_ENV");
  ::unsetenv("GAVEL_TEST_VISIBLE_ENV");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_NE(result->text.find("GAVEL_TEST_VISIBLE_ENV=visible"), std::string::npos);
  EXPECT_NE(result->text.find("GAVEL_SET_ENV=set by spec"), std::string::npos);
  EXPECT_NE(result->text.find("PATH="), std::string::npos);
  EXPECT_EQ(result->text.find("hunter2"), std::string::npos);
  EXPECT_EQ(result->text.find("GAVEL_TEST_SECRET_ENV"), std::string::npos);
  EXPECT_EQ(result->text.find("GAVEL_TEST_UNSET_ENV"), std::string::npos);
}

TEST(ProcessAgent, SecretsNeverReachAFailureMessageOrExcerpt) {
  std::map<std::string, std::string> env = {{"PATH", "/usr/local/bin:/usr/bin:/bin"},
                                            {"FAKE_API_KEY", "sk-test-0123456789abcdef"}};
  auto spec = fake_spec({"leak-secret", "FAKE_API_KEY"});
  spec.process.env_allow = {"PATH", "FAKE_API_KEY"};
  ProcessAgent agent(spec, [&](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional(it->second);
  });
  const auto result = run_sync(agent.run(Task{}));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().excerpt.find("sk-test-0123456789abcdef"), std::string::npos);
  EXPECT_NE(result.error().excerpt.find("debug: key is [redacted]"), std::string::npos);
}

TEST(ProcessAgent, NonZeroExitIsACrashWithTheStderrExcerpt) {
  const auto result = run_agent(fake_spec({"exit", "3", "boom: config broken"}));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::crash);
  EXPECT_NE(result.error().message.find("status 3"), std::string::npos);
  EXPECT_NE(result.error().excerpt.find("boom: config broken"), std::string::npos);
}

TEST(ProcessAgent, QuotaAndAuthAreReadFromTheOutputOfAFailedRun) {
  auto result = run_agent(fake_spec({"exit", "1", "Error: 429 Too Many Requests"}));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::quota);
  result = run_agent(fake_spec({"exit", "1", "Error: 401 Unauthorized"}));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::auth);
}

TEST(ProcessAgent, DeathBySignalIsACrash) {
  const auto result = run_agent(fake_spec({"signal", std::to_string(SIGSEGV)}));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::crash);
  EXPECT_NE(result.error().message.find("SIGSEGV"), std::string::npos) << result.error().message;
}

TEST(ProcessAgent, MissingOrNonExecutableProgramIsUnavailable) {
  auto spec = fake_spec({});
  spec.process.reviewer_argv = {"gavel-no-such-agent-cli"};
  auto result = run_agent(spec);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::unavailable);
  spec.process.reviewer_argv = {std::string(GAVEL_TEST_DATA_DIR) + "/fake_cli/not_executable.sh"};
  result = run_agent(spec);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::unavailable);
}

TEST(ProcessAgent, UnreadableEnvelopeIsMalformedOutput) {
  auto spec = fake_spec({"print", "this is not a claude result object"});
  spec.process.output_format = config::OutputFormat::claude_json;
  const auto result = run_agent(spec);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::malformed_output);
  EXPECT_NE(result.error().excerpt.find("not a claude result"), std::string::npos);
}

TEST(ProcessAgent, CodexEnvelopeEndToEnd) {
  const std::string dir = std::string(GAVEL_TEST_DATA_DIR) + "/cli_envelopes/";
  auto spec = fake_spec(
      {"replay", dir + "codex_success.jsonl", "{output_file}", dir + "codex_success.last.txt"});
  spec.process.output_from = config::OutputFrom::file;
  spec.process.output_format = config::OutputFormat::codex_jsonl;
  const auto result = run_agent(spec);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_NE(result->text.find("Off-by-one"), std::string::npos);
  EXPECT_EQ(result->usage.input_tokens, 24763);
  EXPECT_EQ(result->usage.output_tokens, 122);
}

TEST(ProcessAgent, ClaudeQuotaEnvelopeWithExitOne) {
  const std::string dir = std::string(GAVEL_TEST_DATA_DIR) + "/cli_envelopes/";
  auto spec = fake_spec({"replay", dir + "claude_api_error_429.json", "-", "-", "1"});
  spec.process.output_format = config::OutputFormat::claude_json;
  const auto result = run_agent(spec);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::quota);
}

TEST(ProcessAgent, HugeOutputIsCappedAndReportedNotReadAsAnAnswer) {
  auto spec = fake_spec({"huge", std::to_string(64 * 1024 * 1024)});
  spec.process.max_output_bytes = 1024 * 1024;
  const auto result = run_agent(spec);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::malformed_output);
  EXPECT_NE(result.error().message.find(std::to_string(63 * 1024 * 1024)), std::string::npos)
      << result.error().message;
  EXPECT_LE(result.error().excerpt.size(), 8u * 1024);
}

TEST(ProcessAgent, TimeoutStopsAHangingAgent) {
  auto spec = fake_spec({"hang"});
  spec.timeout = 300ms;
  const auto result = run_agent(spec);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::timeout);
  EXPECT_LT(result.error().duration, 30s);  // it finished at all
}

TEST(ProcessAgent, TaskTimeoutAlsoBounds) {
  Task task;
  task.prompt = "x";
  task.timeout = 300ms;
  const auto result = run_agent(fake_spec({"hang"}), task);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, FailureKind::timeout);
}

TEST(ProcessAgent, ValidationNamesWhatIsMissing) {
  auto spec = fake_spec({"echo-stdin"});
  EXPECT_TRUE(validate_process_spec(spec));
  spec.process.prompt_via = config::PromptVia::file;
  auto v = validate_process_spec(spec);
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("{prompt_file}"), std::string::npos);
  spec = fake_spec({"{nope}"});
  v = validate_process_spec(spec);
  ASSERT_FALSE(v);
  EXPECT_NE(v.error().message.find("unknown placeholder {nope}"), std::string::npos);
  spec.kind = config::AgentKind::http;
  EXPECT_FALSE(ProcessAgent::create(spec));
  EXPECT_TRUE(ProcessAgent::create(fake_spec({"cwd"})));
}

TEST(ProcessAgent, ImplementerRoleUsesItsOwnArgv) {
  auto spec = fake_spec({"print", "reviewer"});
  spec.process.implementer_argv = {"python3", k_fake, "print", "implementer"};
  Task task;
  task.role = Role::implementer;
  const auto result = run_agent(spec, task);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->text, "implementer");
  spec.process.implementer_argv.clear();
  EXPECT_EQ(run_agent(spec, task).error().kind, FailureKind::crash);
}

}  // namespace
}  // namespace gavel::agents
