// Registry (repos.json, atomic rewrite), wire ids (daemon/views.hpp) and log specs.
#include "daemon/log_setup.hpp"
#include "daemon/registry.hpp"
#include "daemon/views.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace gavel::daemon {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "gavel-reg-XXXXXX").string();
    path = ::mkdtemp(t.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

TEST(Registry, PersistsAddsAndRemovesAcrossLoads) {
  TempDir dir;
  auto r = Registry::load(dir.path / "state");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->repos().empty());
  ASSERT_TRUE(r->add("/a"));
  ASSERT_TRUE(r->add("/b"));
  ASSERT_TRUE(r->add("/a"));
  ASSERT_TRUE(r->remove("/b"));
  auto again = Registry::load(dir.path / "state");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->repos(), std::vector<std::string>{"/a"});
  EXPECT_FALSE(fs::exists(dir.path / "state" / "repos.json.tmp"));
  EXPECT_EQ(fs::status(dir.path / "state").permissions() & fs::perms::all, fs::perms::owner_all);
}

TEST(Registry, RefusesAFileThatIsNotARegistryAndLeavesIt) {
  TempDir dir;
  std::ofstream(dir.path / "repos.json") << "not json";
  auto r = Registry::load(dir.path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::parse);
  std::ifstream in(dir.path / "repos.json");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "not json");
}

TEST(Views, SessionAndFindingIdsRoundTrip) {
  const std::string tag = repo_tag("/home/me/proj");
  EXPECT_EQ(tag.size(), 6u);
  EXPECT_NE(tag, repo_tag("/home/me/other"));
  auto ref = parse_session_id(session_wire_id(12, tag));
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->id, 12);
  EXPECT_EQ(ref->tag, tag);
  auto of = session_of_finding(finding_prefix(12, tag) + "3");
  ASSERT_TRUE(of);
  EXPECT_EQ(of->id, 12);
  EXPECT_EQ(of->tag, tag);
  EXPECT_FALSE(parse_session_id("s-12"));
  EXPECT_FALSE(parse_session_id("x12-abc"));
  EXPECT_FALSE(session_of_finding("F1"));
}

TEST(Views, StoreStatesMapToWireStates) {
  EXPECT_EQ(session_state_of("awaiting_human"), protocol::SessionState::running);
  EXPECT_EQ(session_state_of("interrupted"), protocol::SessionState::cancelled);
  EXPECT_EQ(session_state_of("converged"), protocol::SessionState::converged);
  EXPECT_FALSE(is_final_state("running"));
  EXPECT_TRUE(is_final_state("escalated"));
}

TEST(LogSetup, AcceptsModuleLevelsAndRefusesUnknownOnes) {
  ASSERT_TRUE(configure_logging("session=debug,warn"));
  EXPECT_EQ(log("session")->level(), spdlog::level::debug);
  EXPECT_EQ(log("daemon")->level(), spdlog::level::warn);
  EXPECT_FALSE(configure_logging("loud"));
  EXPECT_FALSE(configure_logging("nosuch=info"));
  EXPECT_EQ(log("session")->level(), spdlog::level::debug);  // unchanged by a refused spec
  ASSERT_TRUE(configure_logging("info"));
}

}  // namespace
}  // namespace gavel::daemon
