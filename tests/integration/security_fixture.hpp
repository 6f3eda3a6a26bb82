#pragma once
// DaemonSecurity: DaemonFixture with a malicious scripted implementer for
// daemon_security_test.cpp. The reviewer raises a P1 finding on a.txt's first BUG line; the
// implementer script is the test's, with $W (its scratch tree), $R (the temp root) and $n (its
// attempt, counted across turns) set, and answers what answer(n, patch) wrote. A directory
// `outside` beside the repository holds lib.txt, for what must never be written there.

#include "tests/integration/daemon_fixture.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace gavel::test::security {

namespace fs = std::filesystem;
namespace pr = protocol;

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every path under `dir` (recursively, not following symlinks), relative to it.
inline std::set<std::string> listing(const fs::path& dir) {
  std::set<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    out.insert(fs::relative(it->path(), dir).string());
  }
  return out;
}

inline std::string new_file_patch(const std::string& path, const std::string& line) {
  return "diff --git a/" + path + " b/" + path + "\nnew file mode 100755\n--- /dev/null\n+++ b/" +
         path + "\n@@ -0,0 +1 @@\n+" + line + "\n";
}

class DaemonSecurity : public DaemonFixture {
 protected:
  void SetUp() override {
    DaemonFixture::SetUp();
    m_dev = repo_path();
    m_token = fs::path(m_root).filename().string();
    m_outside = fs::path(m_root) / "outside";
    fs::create_directories(m_outside);
    std::ofstream(m_outside / "lib.txt") << "outside\n";
    m_hooks_before = listing(fs::path(m_dev) / ".git" / "hooks");
  }
  void TearDown() override {
    // The agent's own writes next to its scratch tree (outside gavel's reach) are cleaned up.
    for (const auto& f : lines_of("scratch.paths")) {
      std::error_code ec;
      fs::remove(fs::path(f).parent_path() / (m_token + "-agent-wrote.txt"), ec);
      fs::remove(fs::path(f).parent_path() / (m_token + "-outside.txt"), ec);  // never there
    }
    DaemonFixture::TearDown();
  }

  // The reviewer raises one P1 finding on the first line of a.txt holding BUG (its title names
  // the line, so each BUG is its own finding); clean when there is none. The implementer runs
  // `body` (after reading the prompt; $1 is the scratch worktree, $n the attempt number).
  void use_agents(const std::string& implementer_body) {
    const std::string reviewer = script("reviewer.sh",
        "cat > /dev/null\n"
        "n=$(grep -n BUG \"$1/a.txt\" 2>/dev/null | head -1 | cut -d: -f1)\n"
        "if [ -n \"$n\" ]; then\n"
        "printf '{\"findings\":[{\"title\":\"bug on line %s\",\"body\":\"BUG marker\","
        "\"confidence_score\":0.9,\"priority\":1,\"code_location\":{\"absolute_file_path\":"
        "\"%s/a.txt\",\"line_range\":{\"start\":%s,\"end\":%s}}}],\"overall_correctness\":"
        "\"patch is incorrect\",\"overall_explanation\":\"bug\",\"overall_confidence_score\":0.9}\\n'"
        " \"$n\" \"$1\" \"$n\" \"$n\"\n"
        "else\nprintf '{\"findings\":[],\"overall_correctness\":\"patch is correct\","
        "\"overall_explanation\":\"ok\",\"overall_confidence_score\":0.9}\\n'\nfi\n");
    const std::string implementer = script("implementer.sh",
        "cat > /dev/null\nW=\"$1\"\nR=\"" + m_root + "\"\n"
        "n=$(( $(cat \"$R/impl.count\" 2>/dev/null || echo 0) + 1 ))\necho $n > \"$R/impl.count\"\n"
        "echo \"$W\" >> \"$R/scratch.paths\"\n" + implementer_body);
    write_config("[review]\nreviewer = \"sec\"\nimplementer = \"sec\"\n\n" +
                 agent_table("sec", reviewer, implementer));
  }
  // Writes the implementer's final answer for attempt `n` (the script cats it).
  void answer(int n, const std::string& patch) {
    nlohmann::json j = {{"responses", nlohmann::json::array({{{"finding", "bug"}, {"action", "fixed"},
                                                              {"rationale", "done"}}})},
                        {"summary", "fixed"}};
    j["patch"] = patch.empty() ? nlohmann::json() : nlohmann::json(patch);
    std::ofstream(fs::path(m_root) / ("answer." + std::to_string(n))) << j.dump() << "\n";
  }
  std::vector<std::string> lines_of(const std::string& name) const {
    std::vector<std::string> out;
    std::ifstream in(fs::path(m_root) / name);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }
  pr::SessionSummary final_session() {
    pr::SessionSummary s;
    EXPECT_TRUE(wait_for([&] {
      auto all = sessions();
      if (all.empty() || !final_state(all[0])) return false;
      s = all[0];
      return true;
    }));
    return s;
  }
  // gavel's guarantees, whatever the agent did: no new hook, nothing beside the repository.
  void expect_nothing_planted() {
    EXPECT_EQ(listing(fs::path(m_dev) / ".git" / "hooks"), m_hooks_before);
    EXPECT_FALSE(fs::exists(fs::path(m_root) / "outside.txt"));
    EXPECT_FALSE(fs::exists(fs::path(m_root) / (m_token + "-outside.txt")));
    EXPECT_EQ(listing(m_outside), std::set<std::string>{"lib.txt"});
    EXPECT_EQ(slurp(m_outside / "lib.txt"), "outside\n");
  }
  std::vector<std::string> implementer_outcomes(const std::string& session) {
    std::vector<std::string> out;
    for (const auto& r : call(pr::SessionShowRequest{session}).rounds) {
      if (r.role == "implementer") out.push_back(r.outcome);
    }
    return out;
  }

  std::string m_dev, m_token;
  fs::path m_outside;
  std::set<std::string> m_hooks_before;
};

}  // namespace gavel::test::security
