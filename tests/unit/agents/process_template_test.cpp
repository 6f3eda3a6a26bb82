// Pure helpers of the process adapter: argv templates, the child's environment, lookup, redaction.
#include "agents/process_template.hpp"

#include <gtest/gtest.h>

#include <map>

namespace gavel::agents {
namespace {

TemplateValues values() {
  TemplateValues v;
  v.prompt = "P";
  v.prompt_file = "/t/prompt.txt";
  v.output_file = "/t/out.txt";
  v.schema_file = "/t/schema.json";
  v.schema_json = R"({"a":1})";
  v.workdir = "/w";
  v.has_schema = true;
  return v;
}

TEST(ExpandArgv, SubstitutesEveryPlaceholderWithoutAShell) {
  const auto argv = expand_argv({"tool", "{prompt}", "--o={output_file}", "{prompt_file}",
                                 "{schema_file}", "{schema_json}", "-C", "{workdir}", "$HOME;x"},
                                values());
  ASSERT_TRUE(argv);
  const std::vector<std::string> want = {
      "tool", "P",  "--o=/t/out.txt", "/t/prompt.txt", "/t/schema.json", R"({"a":1})",
      "-C",   "/w", "$HOME;x"};
  EXPECT_EQ(*argv, want);
}

TEST(ExpandArgv, DoubledBracesAreLiteral) {
  const auto argv = expand_argv({"tool", "{{\"k\": {prompt}}}"}, values());
  ASSERT_TRUE(argv);
  EXPECT_EQ((*argv)[1], "{\"k\": P}");
}

TEST(ExpandArgv, SchemaElementsAreDroppedWithoutASchema) {
  auto v = values();
  v.has_schema = false;
  const auto argv =
      expand_argv({"tool", "--output-schema={schema_file}", "--json-schema={schema_json}", "x"}, v);
  ASSERT_TRUE(argv);
  EXPECT_EQ(*argv, (std::vector<std::string>{"tool", "x"}));
}

TEST(ExpandArgv, RejectsUnknownPlaceholdersStrayBracesAndNoProgram) {
  EXPECT_EQ(expand_argv({"tool", "{promt}"}, values()).error().code, Errc::config);
  EXPECT_EQ(expand_argv({"tool", "{prompt"}, values()).error().code, Errc::config);
  EXPECT_EQ(expand_argv({"tool", "a}b"}, values()).error().code, Errc::config);
  EXPECT_EQ(expand_argv({}, values()).error().code, Errc::config);
  EXPECT_EQ(expand_argv({"{workdir}"}, TemplateValues{}).error().code, Errc::config);
}

TEST(ExpandArgv, RejectsAnArgumentOverTheKernelLimitWithoutQuotingIt) {
  auto v = values();
  v.prompt = std::string(k_max_arg_bytes + 1, 's');
  const auto argv = expand_argv({"tool", "{prompt}"}, v);
  ASSERT_FALSE(argv);
  EXPECT_EQ(argv.error().code, Errc::invalid_argument);
  EXPECT_LT(argv.error().message.size(), 300u);
}

TEST(BuildChildEnv, OnlyAllowedNamesThenSetOnTop) {
  const std::map<std::string, std::string> parent = {
      {"PATH", "/bin"}, {"HOME", "/home/u"}, {"OPENAI_API_KEY", "sk-secret"}, {"TERM", "xterm"}};
  const EnvLookup lookup = [&](const std::string& n) -> std::optional<std::string> {
    auto it = parent.find(n);
    return it == parent.end() ? std::nullopt : std::optional(it->second);
  };
  const auto env = build_child_env({"PATH", "HOME", "MISSING", "BAD=NAME"},
                                   {{"HOME", "/tmp/h"}, {"X", "1"}}, lookup);
  EXPECT_EQ(env, (std::vector<std::string>{"HOME=/tmp/h", "PATH=/bin", "X=1"}));
}

TEST(FindProgram, UsesTheChildsPathAndChecksExecutability) {
  const auto sh = find_program("sh", {"PATH=/nonexistent:/bin"}, "/");
  ASSERT_TRUE(sh);
  EXPECT_EQ(*sh, std::filesystem::path("/bin/sh"));
  EXPECT_FALSE(find_program("sh", {"PATH=/nonexistent"}, "/"));
  EXPECT_TRUE(find_program("sh", {}, "/"));  // default PATH
  EXPECT_TRUE(find_program("/bin/sh", {}, "/"));
  EXPECT_TRUE(find_program("bin/sh", {}, "/"));  // relative to base_dir
  EXPECT_FALSE(find_program("/etc/passwd", {}, "/"));
  EXPECT_FALSE(find_program("/bin", {}, "/"));
}

TEST(Redact, HidesValuesOfSecretLookingVariables) {
  const auto secrets = secret_values({"OPENAI_API_KEY=sk-abcdef123", "GH_TOKEN=ghp_xyz789",
                                      "HOME=/home/user", "SHORT_KEY=abc", "MY_PASSWORD=letmein!"});
  EXPECT_EQ(secrets, (std::vector<std::string>{"sk-abcdef123", "ghp_xyz789", "letmein!"}));
  EXPECT_EQ(redact("key sk-abcdef123 and sk-abcdef123 /home/user", secrets),
            "key [redacted] and [redacted] /home/user");
}

}  // namespace
}  // namespace gavel::agents
