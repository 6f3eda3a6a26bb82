#include "tests/realclient/realclient.hpp"

#include "git/snapshot.hpp"
#include "review/prompt.hpp"
#include "tests/support/fake_llm_server_agent.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace gavel::test::realclient {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* k_committed =
    "int divide(int a, int b) {\n"
    "  return a / b;\n"
    "}\n";

constexpr const char* k_changed =
    "int divide(int a, int b) {\n"
    "  return a / b;\n"
    "}\n"
    "\n"
    "int average(int total, int count) {\n"
    "  return divide(total, count);\n"
    "}\n";

// Interface flags of `name` through SIOCGIFFLAGS, in this process's network namespace.
bool interface_up(const char* name) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  ifreq request{};
  std::snprintf(request.ifr_name, sizeof request.ifr_name, "%s", name);
  const bool up = ::ioctl(fd, SIOCGIFFLAGS, &request) == 0 && (request.ifr_flags & IFF_UP);
  ::close(fd);
  return up;
}

}  // namespace

fs::path cli_from_env(const char* var) {
  const char* value = std::getenv(var);
  if (!value || !*value) {
    ADD_FAILURE() << var << " is not set: run this test through tests/realclient/run-in-netns "
                  << "(ctest -L realclient), which reports SKIPPED when a CLI is not installed";
    return {};
  }
  if (::access(value, X_OK) != 0) {
    ADD_FAILURE() << var << "=" << value << " is not an executable file";
    return {};
  }
  return value;
}

bool in_private_netns(std::string& why) {
  // /proc/self/net/dev lists the interfaces of this process's namespace (sysfs may not).
  std::ifstream dev("/proc/self/net/dev");
  std::string line;
  std::vector<std::string> names;
  while (std::getline(dev, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;  // the two header lines
    std::string name = line.substr(0, colon);
    name.erase(0, name.find_first_not_of(' '));
    names.push_back(name);
  }
  if (names != std::vector<std::string>{"lo"}) {
    why = "interfaces other than loopback are visible (not in a private network namespace):";
    for (const auto& n : names) why += " " + n;
    return false;
  }
  if (!interface_up("lo")) {
    why = "loopback is down in this network namespace";
    return false;
  }
  return true;
}

agents::EnvLookup fake_env(std::map<std::string, std::string> vars) {
  const char* path = std::getenv("GAVEL_REALCLIENT_PATH");
  vars.emplace("PATH", path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

DevRepo::DevRepo() {
  m_repo.write("src/calc.cpp", k_committed);
  // A project setting no agent run by gavel may apply: Claude Code runs project hooks even in
  // -p mode unless the preset limits it to user settings.
  const std::string touch = "touch '" + hook_marker().string() + "'";
  const json hook = {{"hooks", json::array({{{"type", "command"}, {"command", touch}}})}};
  m_repo.write(".claude/settings.json",
               json{{"hooks", {{"SessionStart", json::array({hook})},
                               {"UserPromptSubmit", json::array({hook})}}}}
                   .dump(2));
  m_repo.commit_all("calc");
  m_repo.write("src/calc.cpp", k_changed);
  fs::create_directories(home());
}

review::Changeset DevRepo::snapshot(std::string& patch) const {
  auto reader = git::SnapshotReader::open(m_repo.path(), git::ReaderMode::one_shot);
  if (!reader) {
    ADD_FAILURE() << "open: " << reader.error().message;
    return {};
  }
  git::SnapshotOptions options;
  options.contents = git::SnapshotOptions::Contents::new_text;
  auto snap = reader->take(options);
  if (!snap) {
    ADD_FAILURE() << "snapshot: " << snap.error().message;
    return {};
  }
  patch = snap->patch();
  return snap->changes;
}

std::string DevRepo::state() const {
  std::ostringstream out;
  out << "HEAD " << m_repo.git({"rev-parse", "HEAD"});
  out << "status\n" << m_repo.git({"status", "--porcelain", "--untracked-files=all"});
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(m_repo.path()); it != fs::end(it); ++it) {
    if (it->path().filename() == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    out << "== " << fs::relative(f, m_repo.path()).string() << "\n"
        << m_repo.read(fs::relative(f, m_repo.path()).string());
  }
  return out.str();
}

std::string reviewer_prompt(const std::string& repo_root, const std::string& patch) {
  review::PromptInputs inputs;
  inputs.repo_root = repo_root;
  inputs.patch = patch;
  inputs.intent = "Add average() to the calculator.";
  auto prompt = review::render_prompt(review::PromptRole::reviewer, inputs);
  if (!prompt) ADD_FAILURE() << "render_prompt: " << prompt.error().message;
  return prompt ? *prompt : std::string();
}

std::string implementer_prompt(const std::string& repo_root, const std::string& patch) {
  review::PromptInputs inputs;
  inputs.repo_root = repo_root;
  inputs.patch = patch;
  inputs.intent = "Add average() to the calculator.";
  review::Finding finding;
  finding.id = "f-average-zero";
  finding.raised.title = "average() divides by zero when count is 0";
  finding.raised.body = "divide(total, 0) is undefined behaviour.";
  finding.raised.priority = review::Priority::p1;
  finding.raised.location = {"src/calc.cpp", {6, 6}, review::Side::new_side};
  finding.titles = {finding.raised.title};
  finding.raised_by = "reviewer";
  finding.raised_round = 1;
  inputs.prior.push_back(finding);
  auto prompt = review::render_prompt(review::PromptRole::implementer, inputs);
  if (!prompt) ADD_FAILURE() << "render_prompt: " << prompt.error().message;
  return prompt ? *prompt : std::string();
}

json reviewer_report(const std::string& abs_path) {
  const json finding = {
      {"title", "[P1] average() divides by zero when count is 0"},
      {"body", "divide(total, count) with count == 0 is undefined behaviour."},
      {"confidence_score", 0.9},
      {"priority", 1},
      {"code_location", {{"absolute_file_path", abs_path}, {"line_range", {{"start", 6}, {"end", 6}}}}},
      {"category", "correctness"},
      {"suggested_fix", nullptr}};
  return {{"findings", json::array({finding})},
          {"overall_correctness", "patch is incorrect"},
          {"overall_explanation", "average() can divide by zero."},
          {"overall_confidence_score", 0.8},
          {"prior", json::array()}};
}

json implementer_report() {
  return {{"patch", nullptr},
          {"responses", json::array({{{"finding", "f-average-zero"},
                                      {"action", "fixed"},
                                      {"rationale", "average() returns 0 for an empty set."}}})},
          {"summary", "Guarded average() against count == 0."}};
}

agents::AgentResult run(agents::Agent& agent, agents::Task task) {
  return run_agent(agent, std::move(task));
}

std::string texts_of(const json& value) {
  std::string out;
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (key == "text" && item.is_string()) {
        out += item.get<std::string>() + "\n";
      } else {
        out += texts_of(item);
      }
    }
  } else if (value.is_array()) {
    for (const auto& item : value) out += texts_of(item);
  } else if (value.is_string()) {
    // Plain string content (e.g. an Anthropic message whose content is a string).
    out += value.get<std::string>() + "\n";
  }
  return out;
}

void write_log(const FakeLlmServer& server, const fs::path& path) {
  std::ofstream out(path);
  for (const auto& request : server.requests()) out << to_json(request).dump() << "\n";
}

std::string describe(const agents::AgentResult& result) {
  if (result) return "ok: " + result->text;
  const auto& f = result.error();
  return std::string(agents::to_string(f.kind)) + ": " + f.message + "\n--- excerpt ---\n" +
         f.excerpt;
}

}  // namespace gavel::test::realclient
