#pragma once
// A finding: one problem raised by a reviewer, as gavel tracks it across rounds.
//
// Plain values only. Identity (review/finding_id.hpp), the lifecycle (review/lifecycle.hpp) and
// the loop (review/convergence.hpp) operate on these. A field may be added; none is renamed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gavel::review {

// P0 blocking .. P2 should-fix; P3 (nit) is accepted on input and mapped per config.
enum class Priority : int { p0 = 0, p1 = 1, p2 = 2, p3 = 3 };

enum class Side { new_side, old_side };

struct LineRange {
  int start = 1;  // 1-based, inclusive
  int end = 1;    // inclusive, >= start
};

struct Location {
  std::string path;  // repository-relative, '/'-separated
  LineRange lines;
  Side side = Side::new_side;
};

// A finding as an agent raised it in one round, parsed and validated, before it is matched
// against what gavel already knows.
struct RaisedFinding {
  std::string title;  // without any "[P1]" tag
  std::string body;
  Priority priority = Priority::p2;
  double confidence = 0.5;  // 0..1
  Location location;
  std::string category;                      // e.g. "secret", "conflict-marker"; may be empty
  std::optional<std::string> suggested_fix;  // a unified diff against the snapshot
};

enum class FindingState {
  open,
  fixed,
  verified,
  reopened,
  disputed,
  withdrawn,
  insisted,
  escalated,
  upheld,
  dismissed,
  waived,
};

// One step in a finding's life: append-only.
struct Transition {
  FindingState from = FindingState::open;
  FindingState to = FindingState::open;
  std::string actor;    // agent name, or "human:<user>"
  std::int64_t at_ms = 0;  // unix epoch milliseconds, supplied by the caller
  std::string reason;
};

struct Finding {
  std::string id;  // stable across rounds (see finding_id.hpp)
  RaisedFinding raised;             // the latest wording and location
  std::vector<std::string> titles;  // every title it has carried, oldest first
  std::string raised_by;            // agent name
  int raised_round = 0;
  FindingState state = FindingState::open;
  bool adjacent = false;  // outside every hunk: reported, never blocking
  std::string anchor;     // the code lines it anchors to, as raised (normalised)
  std::vector<Transition> history;

  // --- identity and loop bookkeeping (review/finding_id.hpp, review/convergence.hpp) ---
  std::string fingerprint;    // content identity when first raised (finding_id.hpp)
  std::string identity_path;  // the file's base-side path: stable across renames
  std::string current_anchor;   // normalised code at the current, re-mapped location
  std::string reviewed_anchor;  // current_anchor when a review last looked at it
  std::string closed_anchor;    // current_anchor when verified/withdrawn: reopening needs a change
  int insists = 0;              // reviewer rounds that kept it after a dispute
  int last_raised_round = 0;    // latest round that raised it (again)
  bool awaiting_human = false;  // triage: the arbiter must uphold or dismiss it first
  bool trace_requested = false;  // dismissed: the implementer must leave a durable trace
  std::string implementer_note;  // the implementer's latest response (fixed/disputed rationale)
  std::string reviewer_note;     // the reviewer's latest verdict note on it
};

}  // namespace gavel::review
