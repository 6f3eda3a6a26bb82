// run_child: output caps with bounded memory, stdin handling and outcomes, with real processes.
#include "agents/process_child.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <fstream>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gavel::agents {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

const std::string k_fake = std::string(GAVEL_TEST_DATA_DIR) + "/fake_cli/fake_agent.py";

ChildOutcome run_sync(ChildSpec spec) {
  asio::io_context ctx;
  auto done = asio::co_spawn(ctx, run_child(std::move(spec)), asio::use_future);
  ctx.run();
  return done.get();
}

ChildSpec shell(const std::string& script) {
  ChildSpec spec;
  spec.program = "/bin/sh";
  spec.args = {"-c", script};
  spec.env = {"PATH=/usr/local/bin:/usr/bin:/bin"};
  spec.cwd = "/";
  spec.timeout = 60s;
  spec.kill_grace = 200ms;
  return spec;
}

long max_rss_kib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(ProcessChild, HugeStdoutKeepsTheHeadWithinTheCapAndMemoryStaysBounded) {
  constexpr std::size_t k_total = 96u * 1024 * 1024;
  constexpr std::size_t k_cap = 1024 * 1024;
  ChildSpec spec;
  spec.program = "/usr/bin/python3";
  spec.args = {k_fake, "huge", std::to_string(k_total)};
  spec.cwd = "/";
  spec.max_stdout_bytes = k_cap;
  const long rss_before = max_rss_kib();
  const auto out = run_sync(spec);
  const long rss_growth_kib = max_rss_kib() - rss_before;
  ASSERT_EQ(out.end, ChildEnd::exited);
  EXPECT_EQ(out.exit_code, 0);
  EXPECT_EQ(out.stdout_text.size(), k_cap);
  EXPECT_EQ(out.stdout_dropped, k_total - k_cap);
  EXPECT_EQ(out.stdout_text.find_first_not_of('x'), std::string::npos);
  EXPECT_LT(rss_growth_kib, 48 * 1024) << "reading 96 MiB must not hold it in memory";
}

TEST(ProcessChild, StderrKeepsTheTail) {
  auto spec = shell("i=0; while [ $i -lt 2000 ]; do echo line$i >&2; i=$((i+1)); done");
  spec.max_stderr_bytes = 100;
  const auto out = run_sync(spec);
  ASSERT_EQ(out.end, ChildEnd::exited);
  EXPECT_EQ(out.stderr_text.size(), 100u);
  EXPECT_NE(out.stderr_text.find("line1999\n"), std::string::npos);
  EXPECT_GT(out.stderr_dropped, 0u);
}

TEST(ProcessChild, StdinIsWrittenThenClosedOrIsDevNull) {
  auto spec = shell("cat; echo end");
  spec.stdin_data = "input";
  auto out = run_sync(spec);
  EXPECT_EQ(out.stdout_text, "inputend\n");
  spec.stdin_data.reset();
  out = run_sync(spec);  // /dev/null: cat sees EOF at once
  EXPECT_EQ(out.stdout_text, "end\n");
}

TEST(ProcessChild, AChildThatClosesStdinEarlyDoesNotHurtUs) {
  auto spec = shell("exec 0<&-; echo ok");
  spec.stdin_data = std::string(4 * 1024 * 1024, 'z');  // more than the pipe holds
  const auto out = run_sync(spec);
  ASSERT_EQ(out.end, ChildEnd::exited);
  EXPECT_EQ(out.stdout_text, "ok\n");
  EXPECT_TRUE(out.stdin_broken);
}

TEST(ProcessChild, ExitCodesSignalsAndEnvironment) {
  auto out = run_sync(shell("exit 7"));
  EXPECT_EQ(out.end, ChildEnd::exited);
  EXPECT_EQ(out.exit_code, 7);
  out = run_sync(shell("kill -ABRT $$"));
  EXPECT_EQ(out.end, ChildEnd::signalled);
  EXPECT_EQ(out.term_signal, SIGABRT);
  auto spec = shell("env");
  spec.env = {"ONLY=this"};
  out = run_sync(spec);
  EXPECT_NE(out.stdout_text.find("ONLY=this"), std::string::npos);
  EXPECT_EQ(out.stdout_text.find("HOME="), std::string::npos);
}

TEST(ProcessChild, NoStrayDescriptorsReachTheChild) {
  const auto out = run_sync(shell("ls /proc/self/fd"));
  // 0, 1, 2 and the fd ls opens to list the directory; nothing of ours.
  int count = 0;
  for (char c : out.stdout_text) count += c == '\n';
  EXPECT_LE(count, 4) << out.stdout_text;
}

TEST(ProcessChild, ALaunchFailureIsReported) {
  ChildSpec spec = shell("true");
  spec.cwd = "/nonexistent-gavel-dir";
  const auto out = run_sync(spec);
  EXPECT_EQ(out.end, ChildEnd::launch_failed);
  EXPECT_FALSE(out.launch_error.empty());
}

TEST(ProcessChild, AnExecFailureInTheChildIsReportedAndReaped) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("gavel-not-a-program-" + std::to_string(::getpid()));
  {
    std::ofstream out(file, std::ios::binary);
    out << std::string(
        "\x7f"
        "ELF-but-not-really\0\1\2",
        22);
  }
  std::filesystem::permissions(file, std::filesystem::perms::owner_all);
  ChildSpec spec = shell("true");
  spec.program = file;
  spec.args.clear();
  const auto out = run_sync(spec);
  std::filesystem::remove(file);
  EXPECT_EQ(out.end, ChildEnd::launch_failed);
  EXPECT_NE(out.launch_error.find("cannot start"), std::string::npos) << out.launch_error;
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1) << "an unreaped child is left";
  EXPECT_EQ(errno, ECHILD);
}

}  // namespace
}  // namespace gavel::agents
