// The builtin rules reviewer, rule by rule: each rule fires on a positive and stays quiet on
// its near-misses; only added lines count. Vendor-format tokens are assembled at run time
// ("gh" "p_...") so this file does not itself look like it holds secrets.
#include "agents/builtin_rules.hpp"

#include "tests/support/diff_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace gavel::agents {
namespace {

// A changeset adding `path` with `text` (every line added, new_text set).
review::Changeset added(const std::string& path, const std::string& text) {
  std::string diff = "diff --git a/" + path + " b/" + path + "\nnew file mode 100644\n--- /dev/null\n+++ b/" +
                     path + "\n";
  std::string body;
  int count = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    const bool last = nl == std::string::npos;
    body += "+" + text.substr(pos, last ? std::string::npos : nl - pos) + "\n";
    if (last) body += "\\ No newline at end of file\n";
    ++count;
    pos = last ? text.size() : nl + 1;
  }
  diff += "@@ -0,0 +1," + std::to_string(count) + " @@\n" + body;
  return test::changeset_from_diff(diff, {{path, text}});
}

std::vector<std::string> rules_of(const review::Changeset& cs, const RulesOptions& o = {}) {
  std::vector<std::string> out;
  for (const auto& f : run_rules(cs, o)) out.push_back(f.rule);
  return out;
}

bool fires(const std::string& path, const std::string& text, const std::string& rule) {
  const auto r = rules_of(added(path, text));
  return std::find(r.begin(), r.end(), rule) != r.end();
}

const std::string k_ghp = std::string("gh") + "p_pfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0Rlg";
const std::string k_akia = std::string("AK") + "IAUJZDE8GXD6NCF10E";

TEST(BuiltinRulesSecrets, VendorTokensFire) {
  EXPECT_TRUE(fires("a.py", "TOKEN = \"" + k_ghp + "\"\n", "secret.github-token"));
  EXPECT_TRUE(fires("a.py", "key = '" + k_akia + "'\n", "secret.aws-access-key-id"));
  EXPECT_TRUE(fires("a.env", std::string("SLACK=xo") + "xb-049746507529-1703423667127-zJr4i0B3JrTAwR4y9ojfljoQ\n",
                    "secret.slack-token"));
  EXPECT_TRUE(fires("a.ts", std::string("const k = \"sk") + "-proj-8zRA9a9SkpXz9w3QlY7Zkuvqdt7s8Stqcbnr3yBdG\";\n",
                    "secret.openai-key"));
  EXPECT_TRUE(fires("a.ts", std::string("k = \"sk") + "-ant-api03-Db-xHKas1VOqg6YYZYn9ZhyiA4uoRgnatmUdjAWtG\"\n",
                    "secret.anthropic-key"));
  EXPECT_TRUE(fires("a.js", std::string("maps('AI") + "zahT61qtc4xatws8phP9nhFyJfm5di4PzJ59F')\n",
                    "secret.google-api-key"));
  EXPECT_TRUE(fires("a.rb", std::string("Stripe.api_key = 'sk") + "_live_SH4487q7J58m1CiAhzCueQpB'\n",
                    "secret.stripe-live-key"));
}

TEST(BuiltinRulesSecrets, DocumentationTokensAndLookalikesAreQuiet) {
  EXPECT_TRUE(rules_of(added("a.env", std::string("AWS_ACCESS_KEY_ID=AK") + "IAIOSFODNN7EXAMPLE\n")).empty());
  EXPECT_TRUE(rules_of(added("a.env", "GITHUB_TOKEN=ghp_" + std::string(36, 'x') + "\n")).empty());
  EXPECT_TRUE(rules_of(added("a.env", "OPENAI_API_KEY=sk-your-key-here-0123456789abcdefghij\n")).empty());
  EXPECT_TRUE(rules_of(added("s.css", ".sk-fading-circle-spinner-container-large-x { }\n")).empty());
  EXPECT_TRUE(rules_of(added("a.rb", std::string("Stripe.api_key = 'sk") + "_test_4eC39HqLyjWDarjtT1zdp7dc'\n")).empty());
  EXPECT_TRUE(rules_of(added("a.go", "const prefix = \"AKIA\" // AWS ids\n")).empty());
}

TEST(BuiltinRulesSecrets, PrivateKeyNeedsKeyMaterial) {
  const std::string begin = std::string("-----BEGIN RSA PRIVATE") + " KEY-----";
  const std::string key = begin + "\n" + std::string(64, 'A') + "Zm9v\n" + std::string(64, 'b') +
                          "\n-----END RSA PRIVATE KEY-----\n";
  const auto findings = run_rules(added("deploy/key.pem", key), {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "secret.private-key");
  EXPECT_EQ(findings[0].raised.priority, review::Priority::p0);
  EXPECT_EQ(findings[0].raised.location.lines.start, 1);
  EXPECT_EQ(findings[0].raised.location.lines.end, 4);
  EXPECT_TRUE(rules_of(added("pem.go", "const hdr = \"" + begin + "\"\nfunc f() {}\n")).empty());
  EXPECT_TRUE(rules_of(added("README.md", begin + "\n...\n-----END RSA PRIVATE KEY-----\n")).empty());
}

TEST(BuiltinRulesSecrets, GenericAssignmentNeedsEntropyAndACredentialName) {
  EXPECT_TRUE(fires("db.py", "DB_PASSWORD = \"x9F!k2Lq#8vPz\"\n", "secret.generic-assignment"));
  EXPECT_TRUE(fires("c.json", "{\"api_key\": \"9f8e7d6c5b4a39281706f5e4d3c2b1a0\"}\n", "secret.generic-assignment"));
  EXPECT_TRUE(fires("c.go", "token := \"Zt8qP2xLm9Kw4RvB7nY3\"\n", "secret.generic-assignment"));
  EXPECT_TRUE(fires("app.yaml", "client_secret: Zt8qP2xLm9Kw4RvB7nY3\n", "secret.generic-assignment"));
  EXPECT_TRUE(fires("login.py", "login(user, password=\"Sup3rS3cr3tPa55\")\n", "secret.generic-assignment"));
  for (const char* quiet : {
           "PASSWORD_PROMPT = \"Enter your password: \"\n",
           "password = os.environ[\"DB_PASSWORD\"]\n",
           "token = os.getenv(\"TOKEN\", \"\")\n",
           "if password == \"Zt8qP2xLm9Kw4RvB7nY3\":\n",
           "DB_PASSWORD = \"changeme\"\n",
           "api_key = \"<your-api-key>\"\n",
           "secret = \"${SECRET_FROM_ENV}\"\n",
           "password_hash = \"$2b$12$KIXQJQ0vIh0sSUl6QUlbW.2nE9p5m8PqjN8i7mKfQ0o8zv3Yw1rNa\"\n",
           "token_url = \"https://oauth2.googleapis.com/token\"\n",
           "tokenizer = \"bert-base-uncased-v2X\"\n",
           "db_password = \"postgres\"\n",
           "release_sha = \"3f786850e387550fdab836ed7e6dc881de23001b\"\n",
       }) {
    EXPECT_TRUE(rules_of(added("x.py", quiet)).empty()) << quiet;
  }
  // Unquoted values only count in configuration files.
  EXPECT_TRUE(rules_of(added("x.py", "token: Zt8qP2xLm9Kw4RvB7nY3\n")).empty());
}

TEST(BuiltinRulesSecrets, UrlCredentialsExceptLocalDevelopment) {
  EXPECT_TRUE(fires("c.yml", "url: postgres://billing:Xk29fPq1zR@prod-db.corp:5432/b\n", "secret.url-credentials"));
  EXPECT_TRUE(rules_of(added("c.yml", "url: postgres://postgres:postgres@db:5432/app\n")).empty());
  EXPECT_TRUE(rules_of(added("c.yml", "url: redis://app:Xk29fPq1zR@localhost:6379\n")).empty());
}

TEST(BuiltinRulesSecrets, TestPathsAreDemotedNotSilenced) {
  const auto findings = run_rules(added("tests/fixtures/auth.py", "TOKEN = \"" + k_ghp + "\"\n"), {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].raised.priority, review::Priority::p1);
  EXPECT_LT(findings[0].raised.confidence, 0.9);
  EXPECT_EQ(findings[0].raised.body.find(k_ghp), std::string::npos) << "never echo the secret";
}

TEST(BuiltinRulesConflict, MarkersAsGitSeesThem) {
  const auto findings =
      run_rules(added("a.c", "int x;\n<<<<<<< HEAD\nint y = 1;\n=======\nint y = 2;\n>>>>>>> topic\n"), {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "conflict.marker");
  EXPECT_EQ(findings[0].raised.priority, review::Priority::p0);
  EXPECT_EQ(findings[0].raised.location.lines.start, 2);
  EXPECT_EQ(findings[0].raised.location.lines.end, 6);
  EXPECT_FALSE(findings[0].raised.suggested_fix.has_value());
  EXPECT_TRUE(fires("a.c", ">>>>>>>\r\n", "conflict.marker"));
  EXPECT_TRUE(rules_of(added("a.md", "Title\n=======\n\ntext\n")).empty());
  EXPECT_TRUE(rules_of(added("a.c", "<<<<<<<< eight\n  <<<<<<< indented\n>>>>>>>x\n")).empty());
}

TEST(BuiltinRulesWhitespace, GitDiffCheckErrors) {
  EXPECT_TRUE(fires("a.py", "x = 1  \n", "whitespace.trailing"));
  EXPECT_TRUE(fires("a.py", "x = 1\t\n", "whitespace.trailing"));
  EXPECT_TRUE(fires("Makefile", "all:\n \techo hi\n", "whitespace.space-before-tab"));
  EXPECT_TRUE(fires("a.txt", "a\n\n\n", "whitespace.blank-at-eof"));
  EXPECT_TRUE(fires("a.txt", "a\nb", "whitespace.no-final-newline"));
  EXPECT_TRUE(fires("a.txt", "a\r\nb\n", "whitespace.trailing")) << "cr-at-eol is off by default";
  EXPECT_TRUE(rules_of(added("a.py", "def f():\n\treturn 1\n")).empty());
  EXPECT_TRUE(rules_of(added("a.md", "hard  \nbreak\n")).empty());
  EXPECT_TRUE(rules_of(added("a.patch", "x \n")).empty());
}

TEST(BuiltinRulesWhitespace, CrlfFilesAndCrAtEol) {
  auto r = rules_of(added("run.bat", "@echo off\r\nexit /b 0\r\n"));
  EXPECT_EQ(r, std::vector<std::string>{"whitespace.crlf"});
  RulesOptions cr;
  cr.cr_at_eol = true;
  EXPECT_TRUE(rules_of(added("a.txt", "a\r\nb\n"), cr).empty());
  r = rules_of(added("run.bat", "@echo off \r\nexit /b 0\r\n"));
  EXPECT_NE(std::find(r.begin(), r.end(), "whitespace.trailing"), r.end());
}

TEST(BuiltinRulesWhitespace, RunsOfLinesMakeOneFinding) {
  const auto findings = run_rules(added("a.py", "a = 1 \nb = 2 \nc = 3\nd = 4 \n"), {});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].raised.location.lines.start, 1);
  EXPECT_EQ(findings[0].raised.location.lines.end, 2);
  EXPECT_EQ(findings[1].raised.location.lines.start, 4);
  ASSERT_TRUE(findings[0].raised.suggested_fix.has_value());
  EXPECT_NE(findings[0].raised.suggested_fix->find("-a = 1 \n-b = 2 \n+a = 1\n+b = 2\n"), std::string::npos);
}

TEST(BuiltinRulesDebug, ConservativeTable) {
  EXPECT_TRUE(fires("a.js", "  debugger;\n", "debug.js-debugger"));
  EXPECT_TRUE(fires("src/a.tsx", "console.log(x);\n", "debug.console-log"));
  EXPECT_TRUE(fires("a.py", "import pdb; pdb.set_trace()\n", "debug.python-pdb"));
  EXPECT_TRUE(fires("a.py", "breakpoint()\n", "debug.python-breakpoint"));
  EXPECT_TRUE(fires("a.py", "print(\"DEBUG\", x)\n", "debug.python-print"));
  EXPECT_TRUE(fires("a.rs", "let y = dbg!(x);\n", "debug.rust-dbg"));
  EXPECT_TRUE(fires("a.rb", "binding.pry\n", "debug.ruby-debugger"));
  EXPECT_TRUE(fires("a.go", "\tspew.Dump(v)\n", "debug.go-breakpoint"));
  EXPECT_TRUE(fires("a.php", "var_dump($x);\n", "debug.php-dump"));
  for (const auto& [path, text] : std::vector<std::pair<std::string, std::string>>{
           {"a.py", "print(\"Saved\", n, \"rows\")\n"},
           {"a.rs", "println!(\"{x}\");\n"},
           {"main.go", "fmt.Println(\"usage\")\n"},
           {"a.js", "console.error(err);\n"},
           {"a.js", "// console.log(x);\n"},
           {"scripts/build.js", "console.log(\"done\");\n"},
           {"a.c", "printf(\"%d\\n\", x);\n"},
           {"a.txt", "debugger;\n"},
       }) {
    EXPECT_TRUE(rules_of(added(path, text)).empty()) << path << ": " << text;
  }
}

TEST(BuiltinRulesDebug, FixDeletesTheLineOrLeavesPassInAnEmptyBlock) {
  auto findings = run_rules(added("a.py", "if x:\n    breakpoint()\ny = 1\n"), {});
  ASSERT_EQ(findings.size(), 1u);
  ASSERT_TRUE(findings[0].raised.suggested_fix.has_value());
  EXPECT_NE(findings[0].raised.suggested_fix->find("-    breakpoint()\n+    pass\n"), std::string::npos);
  findings = run_rules(added("a.js", "f();\nconsole.log(x);\ng();\n"), {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].raised.suggested_fix->find("@@ -1,3 +1,2 @@\n f();\n-console.log(x);\n g();\n"),
            std::string::npos);
  findings = run_rules(added("a.rs", "let y = dbg!(x);\n"), {});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_FALSE(findings[0].raised.suggested_fix.has_value()) << "not a whole-line statement";
}

TEST(BuiltinRulesFiles, SizeLimitAndBinaryAdditions) {
  RulesOptions small;
  small.max_file_bytes = 10;
  EXPECT_EQ(rules_of(added("data.csv", "a,b,c\n1,2,3\n"), small), std::vector<std::string>{"file.too-large"});
  EXPECT_TRUE(rules_of(added("data.csv", "a,b,c\n1,2,3\n")).empty());
  EXPECT_TRUE(rules_of(added("package-lock.json", "{\n  \"a\": 1\n}\n"), small).empty());
  const auto bin = test::changeset_from_diff(
      "diff --git a/out/app.o b/out/app.o\nnew file mode 100644\nindex 0000000..1234567\n"
      "Binary files /dev/null and b/out/app.o differ\n"
      "diff --git a/img/logo.png b/img/logo.png\nnew file mode 100644\nindex 0000000..1234567\n"
      "Binary files /dev/null and b/img/logo.png differ\n");
  const auto findings = run_rules(bin, {});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].raised.priority, review::Priority::p2);  // app.o before the asset
  EXPECT_EQ(findings[0].raised.location.path, "out/app.o");
  EXPECT_EQ(findings[1].raised.priority, review::Priority::p3);
}

TEST(BuiltinRules, OnlyAddedLinesAreInspected) {
  const std::string diff =
      "diff --git a/src/net.js b/src/net.js\n--- a/src/net.js\n+++ b/src/net.js\n"
      "@@ -1,4 +1,4 @@\n function load(url) {   \n   debugger;\n-  return fetch(url);\n"
      "+  return fetch(url, opts);\n }\n";
  EXPECT_TRUE(rules_of(test::changeset_from_diff(diff)).empty());
  const std::string removed =
      "diff --git a/k.py b/k.py\n--- a/k.py\n+++ b/k.py\n@@ -1,2 +1,1 @@\n-TOKEN = \"" + k_ghp +
      "\"\n x = 1\n";
  EXPECT_TRUE(rules_of(test::changeset_from_diff(removed)).empty());
}

TEST(BuiltinRules, FamiliesCanBeSwitchedOff) {
  RulesOptions off;
  off.whitespace = false;
  EXPECT_TRUE(rules_of(added("a.py", "x = 1  \n"), off).empty());
  off.secrets = false;
  EXPECT_TRUE(rules_of(added("a.py", "TOKEN = \"" + k_ghp + "\"\n"), off).empty());
}

}  // namespace
}  // namespace gavel::agents
