#pragma once
// What an agent said in one round, once parsed and validated: the contract between the output
// parser (review/report_parser.hpp), location checks (review/location_check.hpp) and the
// convergence machine (review/convergence.hpp). Plain values; a field may be added, none renamed.

#include "review/finding.hpp"

#include <optional>
#include <string>
#include <vector>

namespace gavel::review {

// A reviewer's verdict on a finding raised in an earlier round, named by gavel's id or by any
// title the finding has carried.
struct PriorVerdict {
  enum class Kind { resolved, still_open, withdrawn };
  std::string id;     // gavel's finding id; may be empty when `title` is given
  std::string title;  // may be empty when `id` is given
  Kind verdict = Kind::still_open;
  std::string note;
};

// A finding the reviewer raised that gavel refused (bad path, past EOF, ...): recorded with the
// reason, never blocking, never shown to the implementer, its target never read.
struct RejectedFinding {
  RaisedFinding raised;
  std::string reason;
};

struct ReviewReport {
  std::vector<RaisedFinding> findings;  // shape-valid; location checks happen separately
  std::vector<PriorVerdict> prior;
  std::optional<bool> overall_correct;  // "patch is correct" / "patch is incorrect"
  std::string overall_explanation;
  double overall_confidence = 0.0;
};

// The implementer's answer per finding.
struct FindingResponse {
  enum class Action { fixed, disputed };
  std::string finding;  // gavel's id or a title
  Action action = Action::fixed;
  std::string rationale;
};

struct ImplementerReport {
  std::string patch;  // unified diff; empty when the agent edited the worktree itself
  std::vector<FindingResponse> responses;
  std::string summary;
};

}  // namespace gavel::review
