#pragma once
// Shared by the state store's tests (tests/unit/daemon/state_*_test.cpp): a temp directory
// that is removed when the test passed and kept (its path printed) when it failed, and a
// finding with every field set.

#include "review/finding.hpp"

#include <gtest/gtest.h>

#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace gavel::daemon::test {

class StateTempDir {
 public:
  StateTempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/gavel-state-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
  }
  StateTempDir(const StateTempDir&) = delete;
  StateTempDir& operator=(const StateTempDir&) = delete;
  ~StateTempDir() {
    if (::testing::Test::HasFailure()) {
      std::fprintf(stderr, "kept test directory: %s\n", m_path.c_str());
      return;
    }
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }

  const std::filesystem::path& path() const { return m_path; }
  // Where a store lives: like `<gitdir>/gavel/`, not yet created.
  std::filesystem::path store_dir() const { return m_path / "git" / "gavel"; }

 private:
  std::filesystem::path m_path;
};

inline std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A finding with every field away from its default.
inline review::Finding full_finding(const std::string& id) {
  review::Finding f;
  f.id = id;
  f.raised.title = "Null deref of p";
  f.raised.body = "p may be null when \"x\" fails\nsecond line";
  f.raised.priority = review::Priority::p1;
  f.raised.confidence = 0.75;
  f.raised.location = {"src/a b.cpp", {12, 14}, review::Side::old_side};
  f.raised.category = "null-deref";
  f.raised.suggested_fix = "--- a/src/a b.cpp\n+++ b/src/a b.cpp\n";
  f.titles = {"Null deref", "Null deref of p"};
  f.raised_by = "codex";
  f.raised_round = 3;
  f.state = review::FindingState::disputed;
  f.adjacent = true;
  f.anchor = "if (p->x) {";
  f.fingerprint = "0123456789abcdef0123456789abcdef";
  f.identity_path = "src/old.cpp";
  f.current_anchor = "if (p->x) { // moved";
  f.reviewed_anchor = "if (p->x) { // reviewed";
  f.closed_anchor = "closed";
  f.insists = 2;
  f.last_raised_round = 5;
  f.awaiting_human = true;
  f.trace_requested = true;
  f.implementer_note = "it cannot be null: checked in caller";
  f.reviewer_note = "still open: caller is not the only one";
  return f;
}

}  // namespace gavel::daemon::test
