// The rules corpus (tests/data/rules): every case raises exactly its expected findings, every
// suggested fix is a patch `git apply --check` accepts against the snapshot, and the patch
// implementer applying them all through git leaves files the rules find nothing fixable in.
#include "agents/builtin_patch.hpp"
#include "agents/builtin_rules.hpp"

#include "tests/support/diff_fixture.hpp"
#include "tests/support/temp_git_repo.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

namespace gavel::agents {
namespace {

using ApplyResult = boost::system::result<void, std::string>;

const std::vector<test::RulesCase>& corpus() {
  static const auto cases = test::load_rules_corpus(std::string(GAVEL_TEST_DATA_DIR) + "/rules");
  return cases;
}

std::string describe(const RuleFinding& f) {
  return f.rule + " " + f.raised.location.path + " " + std::to_string(f.raised.location.lines.start) +
         "-" + std::to_string(f.raised.location.lines.end);
}

// Writes the snapshot (the case's after/ files) into `repo`.
void write_snapshot(const test::TempGitRepo& repo, const test::RulesCase& c) {
  for (const auto& [path, text] : c.after) repo.write(path, text);
}

ApplyResult git_apply(const test::TempGitRepo& repo, const std::string& patch, bool check_only) {
  static int n = 0;
  const auto file = repo.root() / ("p" + std::to_string(n++) + ".patch");
  std::ofstream(file, std::ios::binary) << patch;
  std::vector<std::string> args{"apply"};
  if (check_only) args.push_back("--check");
  args.push_back(file.string());
  const auto r = repo.run_git(args);
  if (r.status != 0) return ApplyResult(boost::system::in_place_error, r.err);
  return {};
}

TEST(BuiltinRulesCorpus, HasCasesOfBothKinds) {
  int clean = 0, dirty = 0;
  for (const auto& c : corpus()) (c.expected.empty() ? clean : dirty)++;
  EXPECT_GE(clean, 5);
  EXPECT_GE(dirty, 5);
}

TEST(BuiltinRulesCorpus, EachCaseRaisesExactlyItsExpectedFindings) {
  for (const auto& c : corpus()) {
    SCOPED_TRACE(c.name);
    const auto findings = run_rules(c.changeset, {});
    std::vector<bool> used(findings.size(), false);
    for (const auto& e : c.expected) {
      bool found = false;
      for (std::size_t i = 0; i < findings.size() && !found; ++i) {
        const auto& loc = findings[i].raised.location;
        if (!used[i] && findings[i].rule == e.rule && loc.path == e.path && loc.lines.start == e.start &&
            loc.lines.end == e.end) {
          used[i] = found = true;
        }
      }
      EXPECT_TRUE(found) << "missed " << e.rule << " " << e.path << " " << e.start << "-" << e.end;
    }
    for (std::size_t i = 0; i < findings.size(); ++i) {
      EXPECT_TRUE(used[i]) << "unexpected " << describe(findings[i]);
    }
  }
}

TEST(BuiltinRulesCorpus, EverySuggestedFixAppliesToTheSnapshot) {
  int fixes = 0;
  for (const auto& c : corpus()) {
    SCOPED_TRACE(c.name);
    test::TempGitRepo repo;
    write_snapshot(repo, c);
    for (const auto& f : run_rules(c.changeset, {})) {
      if (!f.raised.suggested_fix) continue;
      ++fixes;
      const auto r = git_apply(repo, *f.raised.suggested_fix, /*check_only=*/true);
      EXPECT_TRUE(r.has_value()) << describe(f) << ": " << (r ? "" : r.error()) << "\n"
                                 << *f.raised.suggested_fix;
    }
  }
  EXPECT_GE(fixes, 8);
}

TEST(BuiltinRulesCorpus, PatchImplementerAppliesAllFixesThroughGit) {
  for (const auto& c : corpus()) {
    SCOPED_TRACE(c.name);
    test::TempGitRepo repo;
    write_snapshot(repo, c);
    auto context = std::make_shared<TaskContext>();
    context->changeset = c.changeset;
    const auto raised = run_rules(c.changeset, {});
    int fixable = 0;
    std::set<std::pair<std::string, std::string>> fixed_kinds;  // (rule, path) that had a fix
    for (const auto& r : raised) {
      if (r.raised.suggested_fix) fixed_kinds.emplace(r.rule, r.raised.location.path);
      review::Finding f;
      f.id = r.rule + "@" + std::to_string(r.raised.location.lines.start);
      f.raised = r.raised;
      f.raised_by = "rules";
      fixable += r.raised.suggested_fix ? 1 : 0;
      context->findings.push_back(std::move(f));
    }
    context->apply_patch = [&repo](const std::string& patch, bool check_only) {
      return git_apply(repo, patch, check_only);
    };
    const auto report = implement_fixes(*context);
    ASSERT_TRUE(report.has_value());
    ASSERT_EQ(report->responses.size(), raised.size());
    int fixed = 0;
    for (const auto& r : report->responses) fixed += r.action == review::FindingResponse::Action::fixed;
    EXPECT_EQ(fixed, fixable) << report->summary;

    // Re-review the files as they are now (every line, so pre-existing problems show too): no
    // rule that had a fix fires again on the file it fixed.
    std::map<std::string, std::string> now;
    std::string diff;
    for (const auto& [path, text] : c.after) {
      if (text.find('\0') != std::string::npos) continue;
      now[path] = repo.read(path);
      diff += "diff --git a/" + path + " b/" + path + "\nnew file mode 100644\n--- /dev/null\n+++ b/" + path + "\n";
    }
    auto cs = test::changeset_from_diff(diff, now);
    for (auto& file : cs.files) {  // every line of the new text counts as added
      review::Hunk hunk;
      int n = 0;
      std::size_t pos = 0;
      const std::string& text = *file.new_text;
      while (pos < text.size()) {
        const std::size_t nl = text.find('\n', pos);
        review::DiffLine line;
        line.origin = review::LineOrigin::added;
        line.new_line = ++n;
        line.text = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
        line.no_newline_at_eof = nl == std::string::npos;
        hunk.lines.push_back(std::move(line));
        pos = nl == std::string::npos ? text.size() : nl + 1;
      }
      file.hunks = {std::move(hunk)};
    }
    for (const auto& f : run_rules(cs, {})) {
      EXPECT_FALSE(fixed_kinds.contains({f.rule, f.raised.location.path})) << "still there: " << describe(f);
    }
  }
}

TEST(BuiltinRulesCorpus, SpotChecksOfFixedFiles) {
  for (const auto& c : corpus()) {
    if (c.name != "debug_leftovers") continue;
    test::TempGitRepo repo;
    write_snapshot(repo, c);
    auto context = std::make_shared<TaskContext>();
    context->changeset = c.changeset;
    for (const auto& r : run_rules(c.changeset, {})) {
      review::Finding f;
      f.raised = r.raised;
      context->findings.push_back(std::move(f));
    }
    context->apply_patch = [&repo](const std::string& patch, bool check_only) {
      return git_apply(repo, patch, check_only);
    };
    ASSERT_TRUE(implement_fixes(*context).has_value());
    const std::string orders = repo.read("api/orders.py");
    EXPECT_NE(orders.find("    if code.expired:\n        pass\n"), std::string::npos) << orders;
    EXPECT_EQ(orders.find("pdb"), std::string::npos);
    EXPECT_NE(orders.find("print(\"Applied discount\""), std::string::npos) << "not a debug print";
    const std::string cart = repo.read("web/src/cart.ts");
    EXPECT_EQ(cart.find("debugger"), std::string::npos);
    EXPECT_NE(cart.find("console.error"), std::string::npos);
    return;
  }
  FAIL() << "debug_leftovers case missing";
}

}  // namespace
}  // namespace gavel::agents
