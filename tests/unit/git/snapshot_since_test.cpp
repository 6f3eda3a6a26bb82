// take_since: a snapshot read only where the tree may have changed equals the whole-tree one.
//
// Seeded random repositories (the differential test's generator) go through several batches of
// edits. Before and after each batch the test records every working-tree file (kind, mode,
// bytes or link target) and every index entry, and names as changed exactly the paths whose
// record differs: what a complete watcher would report. After each batch, take_since from the
// previous snapshot's scope must equal take() on a fresh reader: fingerprint, patch, files,
// new texts (a fresh reader, so nothing it remembers helps). GAVEL_SINCE_CASES (default 60) and GAVEL_SINCE_SEED change the run.
#include "git/snapshot.hpp"

#include "tests/support/temp_git_repo.hpp"
#include "tests/unit/git/submodule_repo.hpp"
#include "tests/unit/git/repo_generator.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <sys/stat.h>

namespace gavel::git {
namespace {

namespace fs = std::filesystem;
using test::RepoGenerator;
using test::TempGitRepo;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

// path -> what a watcher could see change: working-tree files, then index entries.
std::map<std::string, std::string> observe(const TempGitRepo& repo) {
  std::map<std::string, std::string> out;
  const fs::path root = repo.path();
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const fs::path rel = it->path().lexically_relative(root);  // fs::relative follows symlinks
    if (rel == ".git") {
      it.disable_recursion_pending();
      continue;
    }
    struct stat st {};
    if (lstat(it->path().c_str(), &st) != 0 || S_ISDIR(st.st_mode)) continue;
    std::string record = std::to_string(st.st_mode) + ":";
    if (S_ISLNK(st.st_mode)) record += fs::read_symlink(it->path()).string();
    else record += repo.read(rel.string());
    out["w " + rel.string()] = std::move(record);
  }
  std::istringstream index(repo.git({"ls-files", "-s", "-z"}));
  std::string entry;
  while (std::getline(index, entry, '\0')) {
    const auto tab = entry.find('\t');
    if (tab != std::string::npos) out["i " + entry.substr(tab + 1)] = entry.substr(0, tab);
  }
  return out;
}

std::vector<std::string> changed_paths(const std::map<std::string, std::string>& before,
                                       const std::map<std::string, std::string>& after) {
  std::set<std::string> out;
  for (const auto& [key, value] : before) {
    auto it = after.find(key);
    if (it == after.end() || it->second != value) out.insert(key.substr(2));
  }
  for (const auto& [key, value] : after) {
    if (!before.contains(key)) out.insert(key.substr(2));
  }
  return {out.begin(), out.end()};
}

SnapshotOptions with_text() {
  SnapshotOptions o;
  o.contents = SnapshotOptions::Contents::new_text;
  return o;
}

// What differs between two snapshots; empty when equal.
std::string compare(const Snapshot& since, const Snapshot& whole) {
  std::ostringstream out;
  if (since.changes.fingerprint != whole.changes.fingerprint) out << "fingerprint differs; ";
  if (since.patch() != whole.patch()) {
    out << "patch differs:\n--- since\n" << since.patch() << "--- whole\n" << whole.patch();
  }
  if (since.changes.files.size() != whole.changes.files.size()) {
    out << "file count " << since.changes.files.size() << " vs " << whole.changes.files.size();
    return out.str();
  }
  for (std::size_t i = 0; i < whole.changes.files.size(); ++i) {
    const auto& a = since.changes.files[i];
    const auto& b = whole.changes.files[i];
    if (a.path() != b.path() || a.status != b.status || a.new_text != b.new_text) {
      out << "file " << i << " (" << b.path() << ") differs; ";
    }
  }
  if (!since.paths.empty()) out << "since snapshot is not whole; ";
  return out.str();
}

TEST(SnapshotSinceTest, EqualsTheWholeSnapshotAfterRandomEdits) {
  const std::uint64_t cases = env_number("GAVEL_SINCE_CASES", 60);
  const std::uint64_t seed0 = env_number("GAVEL_SINCE_SEED", 20261125);
  std::size_t limited = 0, batches = 0;
  for (std::uint64_t c = 0; c < cases; ++c) {
    const std::uint64_t seed = seed0 + c;
    TempGitRepo repo;
    RepoGenerator gen(repo, seed);
    gen.make_base();
    // Even cases read like gaveld (one_shot), odd ones with a long_running reader.
    const ReaderMode mode = c % 2 ? ReaderMode::long_running : ReaderMode::one_shot;
    auto reader = SnapshotReader::open(repo.path(), mode);
    ASSERT_TRUE(reader) << reader.error().message;
    auto first = reader->take(with_text());
    ASSERT_TRUE(first) << first.error().message;
    SnapshotScope scope = first->scope();
    for (int batch = 0; batch < 4; ++batch) {
      const auto before = observe(repo);
      gen.edit();
      const auto changed = changed_paths(before, observe(repo));
      auto since = reader->take_since(scope, changed, with_text());
      ASSERT_TRUE(since) << since.error().message;
      // A fresh reader of the same mode: what differs between the modes is not take_since's.
      auto fresh = SnapshotReader::open(repo.path(), mode);
      ASSERT_TRUE(fresh);
      auto whole = fresh->take(with_text());
      ASSERT_TRUE(whole) << whole.error().message;
      const std::string diff = compare(*since, *whole);
      if (!diff.empty()) {
        std::string recipe;
        for (const auto& s : gen.steps()) recipe += "  " + s + "\n";
        std::string limit;
        for (const auto& p : scope.paths) limit += " " + p;
        limit += " |";
        for (const auto& p : changed) limit += " " + p;
        FAIL() << "seed " << seed << " batch " << batch << ": " << diff << "\nsteps:\n" << recipe
               << "scope | changed:" << limit;
      }
      scope = since->scope();
      ++batches;
    }
    limited += reader->stats().since_limited;
  }
  // Most batches read only their limit (the rest changed a .gitattributes, say).
  EXPECT_GT(limited * 2, batches) << limited << " of " << batches;
}

TEST(SnapshotSinceTest, ReadsOnlyItsLimitWhenTheChangesAreNamed) {
  TempGitRepo repo;
  for (int i = 0; i < 50; ++i) repo.write("d" + std::to_string(i % 5) + "/f" + std::to_string(i), "x\n");
  repo.commit_all("base");
  auto reader = SnapshotReader::open(repo.path());
  ASSERT_TRUE(reader);
  auto first = reader->take();
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->changes.files.empty());
  repo.write("d1/f1", "changed\n");
  repo.write("d3/f8", "changed too\n");  // not named: a limited read does not see it
  auto since = reader->take_since(first->scope(), {"d1/f1"});
  ASSERT_TRUE(since) << since.error().message;
  ASSERT_EQ(since->changes.files.size(), 1u);
  EXPECT_EQ(since->changes.files[0].path(), "d1/f1");
  EXPECT_EQ(reader->stats().since_limited, 1u);
  // The next one names d3/f8 and still covers d1/f1 through the scope.
  auto next = reader->take_since(since->scope(), {"d3/f8"});
  ASSERT_TRUE(next);
  EXPECT_EQ(next->changes.files.size(), 2u);
  EXPECT_EQ(next->changes.fingerprint, reader->take()->changes.fingerprint);
}

// The watcher never enters a submodule: a commit or an edit inside one raises no event in the
// superproject, so take_since reads every gitlink without being told.
TEST(SnapshotSinceTest, SubmodulesAreReadWithoutBeingNamed) {
  TempGitRepo sub;
  TempGitRepo repo;
  test::make_superproject(sub, repo);
  auto reader = SnapshotReader::open(repo.path(), ReaderMode::one_shot);
  ASSERT_TRUE(reader);
  auto first = reader->take();
  ASSERT_TRUE(first);
  ASSERT_TRUE(first->changes.files.empty()) << first->patch();
  repo.git({"-C", "sub", "commit", "-q", "--allow-empty", "-m", "inside"});
  repo.write("top.txt", "top 2\n");
  auto since = reader->take_since(first->scope(), {"top.txt"});
  ASSERT_TRUE(since) << since.error().message;
  auto fresh = SnapshotReader::open(repo.path(), ReaderMode::one_shot);
  auto whole = fresh->take();
  ASSERT_TRUE(whole);
  ASSERT_EQ(whole->changes.files.size(), 2u) << whole->patch();
  EXPECT_EQ(since->changes.fingerprint, whole->changes.fingerprint) << since->patch();
  EXPECT_EQ(reader->stats().since_limited, 1u);
}

TEST(SnapshotSinceTest, ReadsTheWholeTreeWhenItCannotBeEqual) {
  TempGitRepo repo;
  repo.write("a.txt", "a\n");
  repo.write("b.txt", "b\n");
  repo.commit_all("base");
  auto reader = SnapshotReader::open(repo.path());
  ASSERT_TRUE(reader);
  auto first = reader->take();
  ASSERT_TRUE(first);
  // HEAD moved: a.txt's new commit is seen although only b.txt is named.
  repo.write("a.txt", "a2\n");
  repo.commit_all("second");
  repo.write("a.txt", "a3\n");
  repo.write("b.txt", "b2\n");
  auto moved = reader->take_since(first->scope(), {"b.txt"});
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->changes.files.size(), 2u);
  // A changed .gitattributes changes how other files are diffed.
  repo.write(".gitattributes", "a.txt binary\n");
  auto attrs = reader->take_since(moved->scope(), {".gitattributes"});
  ASSERT_TRUE(attrs);
  EXPECT_EQ(attrs->changes.files.size(), 3u);
  EXPECT_TRUE(attrs->changes.files[1].binary) << attrs->patch();
  EXPECT_EQ(reader->stats().since_limited, 0u);
  // Another kind, or a limit given by the caller.
  SnapshotScope staged = attrs->scope();
  staged.kind = review::DiffKind::staged;
  EXPECT_TRUE(reader->take_since(staged, {"a.txt"}));
  EXPECT_EQ(reader->stats().since_limited, 0u);
  SnapshotOptions limited;
  limited.paths = {"a.txt"};
  auto refused = reader->take_since(attrs->scope(), {"a.txt"}, limited);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace gavel::git
