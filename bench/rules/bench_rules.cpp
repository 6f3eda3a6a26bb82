// bench_rules: runs the builtin rules reviewer over the corpus (tests/data/rules) and prints,
// per rule, expected / found / missed / false positives, then recall, precision and throughput
// (MB of diff text per second, rules only: the corpus is parsed once, outside the timing).
// Usage: bench_rules [CORPUS_DIR] [SECONDS]
#include "agents/builtin_rules.hpp"
#include "tests/support/diff_fixture.hpp"

#include <chrono>
#include <cstdio>
#include <map>
#include <string>

namespace {

struct Tally {
  int expected = 0;
  int found = 0;
  int false_positive = 0;
};

bool matches(const gavel::test::ExpectedFinding& e, const gavel::agents::RuleFinding& f) {
  const auto& loc = f.raised.location;
  return e.rule == f.rule && e.path == loc.path && loc.lines.start <= e.end && e.start <= loc.lines.end;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gavel;
  const std::string root = argc > 1 ? argv[1] : GAVEL_RULES_CORPUS;
  const double seconds = argc > 2 ? std::stod(argv[2]) : 2.0;
  const auto cases = test::load_rules_corpus(root);
  const agents::RulesOptions options;

  std::map<std::string, Tally> tally;
  std::size_t corpus_bytes = 0;
  int clean_cases = 0, clean_with_findings = 0;
  for (const auto& c : cases) {
    corpus_bytes += c.diff_bytes;
    const auto findings = agents::run_rules(c.changeset, options);
    std::vector<bool> used(findings.size(), false);
    for (const auto& e : c.expected) {
      ++tally[e.rule].expected;
      for (std::size_t i = 0; i < findings.size(); ++i) {
        if (!used[i] && matches(e, findings[i])) {
          used[i] = true;
          ++tally[e.rule].found;
          break;
        }
      }
    }
    for (std::size_t i = 0; i < findings.size(); ++i) {
      if (used[i]) continue;
      ++tally[findings[i].rule].false_positive;
      std::printf("  unexpected: %-28s %s:%d (%s)\n", findings[i].rule.c_str(),
                  findings[i].raised.location.path.c_str(), findings[i].raised.location.lines.start,
                  c.name.c_str());
    }
    if (c.expected.empty()) {
      ++clean_cases;
      clean_with_findings += findings.empty() ? 0 : 1;
    }
  }

  std::printf("\n%-30s %8s %6s %6s %6s %7s\n", "rule", "expected", "found", "missed", "FP", "recall");
  Tally total;
  for (const auto& [rule, t] : tally) {
    std::printf("%-30s %8d %6d %6d %6d %6.0f%%\n", rule.c_str(), t.expected, t.found,
                t.expected - t.found, t.false_positive,
                t.expected ? 100.0 * t.found / t.expected : 100.0);
    total.expected += t.expected;
    total.found += t.found;
    total.false_positive += t.false_positive;
  }
  std::printf("%-30s %8d %6d %6d %6d %6.1f%%\n", "TOTAL", total.expected, total.found,
              total.expected - total.found, total.false_positive,
              total.expected ? 100.0 * total.found / total.expected : 100.0);
  std::printf("precision %.1f%%; clean cases with any finding: %d of %d\n",
              total.found + total.false_positive
                  ? 100.0 * total.found / (total.found + total.false_positive)
                  : 100.0,
              clean_with_findings, clean_cases);

  // Throughput: the whole corpus, repeatedly, for about `seconds`.
  std::size_t bytes = 0, runs = 0, sink = 0;
  const auto start = std::chrono::steady_clock::now();
  std::chrono::duration<double> elapsed{};
  do {
    for (const auto& c : cases) sink += agents::run_rules(c.changeset, options).size();
    bytes += corpus_bytes;
    ++runs;
    elapsed = std::chrono::steady_clock::now() - start;
  } while (elapsed.count() < seconds);
  std::printf("throughput: %.1f MB/s of diff (%zu cases, %.1f KB per pass, %zu passes, %.2f ms "
              "per pass; %zu findings per pass)\n",
              static_cast<double>(bytes) / 1e6 / elapsed.count(), cases.size(),
              static_cast<double>(corpus_bytes) / 1e3, runs, 1e3 * elapsed.count() / static_cast<double>(runs),
              sink / runs);
  return 0;
}
