// agents::resolve_agent and make_agent: names resolve through the user's tables, builtins and
// presets, in that order; a preset table keeps the preset's fields it does not change.
#include "agents/agent_factory.hpp"

#include "agents/presets.hpp"

#include <gtest/gtest.h>

namespace gavel::agents {
namespace {

TEST(ResolveAgent, BuiltinsAndPresetsNeedNoConfig) {
  const config::Config none;
  auto rules = resolve_agent(none, "rules");
  ASSERT_TRUE(rules.has_value());
  EXPECT_EQ(rules->kind, config::AgentKind::builtin);
  EXPECT_EQ(rules->builtin, "rules");
  auto codex = resolve_agent(none, "codex");
  ASSERT_TRUE(codex.has_value());
  EXPECT_EQ(codex->kind, config::AgentKind::process);
  EXPECT_EQ(codex->process.reviewer_argv, codex_preset().process.reviewer_argv);
  EXPECT_EQ(resolve_agent(none, "claude")->process.output_format, config::OutputFormat::claude_json);
}

TEST(ResolveAgent, UnknownNameListsTheKnownOnes) {
  config::Config c;
  c.agents["mine"] = config::AgentSpec{};
  auto r = resolve_agent(c, "gpt");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::config);
  for (const char* name : {"'gpt'", "claude", "codex", "mine", "patch", "rules"}) {
    EXPECT_NE(r.error().message.find(name), std::string::npos) << r.error().message;
  }
}

TEST(ResolveAgent, UserTableWinsOverBuiltinAndPreset) {
  config::Config c;
  config::AgentSpec spec;
  spec.kind = config::AgentKind::process;
  spec.process.reviewer_argv = {"my-rules"};
  c.agents["rules"] = spec;
  auto r = resolve_agent(c, "rules");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->kind, config::AgentKind::process);
  EXPECT_EQ(r->name, "rules");
  EXPECT_EQ(r->process.reviewer_argv, std::vector<std::string>{"my-rules"});
}

TEST(ResolveAgent, PresetTableOverridesOnlyWhatItSets) {
  config::Config c;
  config::AgentSpec spec;
  spec.name = "mycodex";
  spec.kind = config::AgentKind::process;
  spec.preset = "codex";
  spec.timeout = std::chrono::seconds(120);
  spec.process.env_allow = {"OPENAI_API_KEY", "EXTRA_VAR"};
  spec.process.env_set = {{"CODEX_HOME", "/tmp/ch"}};
  c.agents["mycodex"] = spec;
  auto r = resolve_agent(c, "mycodex");
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const auto preset = codex_preset();
  EXPECT_EQ(r->name, "mycodex");
  EXPECT_EQ(r->timeout, std::chrono::seconds(120));
  EXPECT_EQ(r->process.reviewer_argv, preset.process.reviewer_argv);
  EXPECT_EQ(r->process.output_format, config::OutputFormat::codex_jsonl);
  EXPECT_EQ(r->process.output_from, config::OutputFrom::file);
  auto has = [&](const std::string& v) {
    const auto& a = r->process.env_allow;
    return std::find(a.begin(), a.end(), v) != a.end();
  };
  EXPECT_TRUE(has("PATH"));
  EXPECT_TRUE(has("EXTRA_VAR"));
  EXPECT_EQ(r->process.env_set.at("CODEX_HOME"), "/tmp/ch");
}

TEST(ResolveAgent, UnknownPresetIsAConfigError) {
  config::Config c;
  config::AgentSpec spec;
  spec.kind = config::AgentKind::process;
  spec.preset = "gemini";
  c.agents["g"] = spec;
  auto r = resolve_agent(c, "g");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::config);
  EXPECT_NE(r.error().message.find("gemini"), std::string::npos);
}

TEST(MakeAgent, BuildsEachKind) {
  auto rules = make_agent(*resolve_agent(config::Config{}, "rules"));
  ASSERT_TRUE(rules.has_value());
  EXPECT_EQ((*rules)->name(), "rules");
  auto codex = make_agent(*resolve_agent(config::Config{}, "codex"));
  ASSERT_TRUE(codex.has_value()) << codex.error().message;
  EXPECT_EQ((*codex)->name(), "codex");
  config::AgentSpec http;
  http.name = "local";
  http.kind = config::AgentKind::http;
  http.http.base_url = "http://127.0.0.1:1/v1";
  http.http.model = "m";
  auto h = make_agent(http);
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ((*h)->name(), "local");
}

TEST(MakeAgent, RefusesBrokenSpecs) {
  config::AgentSpec bad_builtin;
  bad_builtin.name = "x";
  bad_builtin.builtin = "lint";
  EXPECT_EQ(make_agent(bad_builtin).error().code, Errc::config);
  config::AgentSpec no_argv;
  no_argv.name = "p";
  no_argv.kind = config::AgentKind::process;
  EXPECT_FALSE(make_agent(no_argv).has_value());
  config::AgentSpec no_url;
  no_url.name = "h";
  no_url.kind = config::AgentKind::http;
  EXPECT_EQ(make_agent(no_url).error().code, Errc::config);
}

}  // namespace
}  // namespace gavel::agents
