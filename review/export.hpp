#pragma once
// Findings exported for people and tools: JSON (gavel's own format, the one schema the others
// derive from), SARIF 2.1.0 (code scanning UIs) and Markdown (PR comments, terminals).
//
// Called by the CLI (`gavel findings --format`, `gavel review --once --output`) and the daemon;
// pure functions of an ExportInput, no IO, no clock (the caller stamps `generated_at_ms`).
// docs/findings-format.md specifies every field and the priority -> SARIF level mapping
// (P0, P1 -> error; P2 -> warning; P3 -> note).

#include "base/error.hpp"
#include "review/finding.hpp"
#include "review/report.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::review {

// Version of the JSON export's shape; bumped on any incompatible change.
inline constexpr int k_findings_format_version = 1;

// What the export is about: one session of one repository.
struct ExportSession {
  std::string repo;         // absolute path of the working tree
  std::string base_commit;  // hex; empty on an unborn branch
  std::string fingerprint;  // snapshot fingerprint the findings were raised on
  std::string verdict;      // "converged", "blocked", "escalated", "infra_failure", "exhausted", ...
  std::vector<std::string> agents;  // e.g. "codex (reviewer)", "claude (implementer)"
  std::string coverage_note;        // what was not reviewed (review/chunk.hpp)
  std::string tool_version;         // gavel's version
  std::int64_t generated_at_ms = 0; // unix epoch milliseconds; 0: not stated
};

struct ExportInput {
  ExportSession session;
  std::vector<Finding> findings;
  std::vector<RejectedFinding> rejected;  // refused locations, with reasons (JSON, Markdown only)
};

// gavel's JSON format, pretty-printed (docs/findings-format.md).
std::string export_json(const ExportInput& input);
// Reads export_json() output back; Errc::parse on anything else.
Result<ExportInput> import_json(std::string_view text);

// SARIF 2.1.0, one run, one result per finding.
std::string export_sarif(const ExportInput& input);
// SARIF `level` of a priority: "error", "warning" or "note".
std::string_view sarif_level(Priority priority) noexcept;

// A Markdown report: summary table, then each finding with its body and suggested fix.
std::string export_markdown(const ExportInput& input);

}  // namespace gavel::review
