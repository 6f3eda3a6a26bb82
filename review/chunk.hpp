#pragma once
// Splitting a diff into requests that fit a size budget, and merging what came back.
//
// Called by the convergence loop (through the orchestrator) before a review round: the plan says
// what each request carries; after the round, merge_chunk_reviews() folds the per-chunk reports
// into one and states the coverage. Pure: no IO, no clock.
//
// Rules (DESIGN.md, "Chunking"): a diff over the budget is split at least by file, in changeset
// order; a file bigger than the budget is split by hunks, and a hunk bigger than the budget by
// lines into valid sub-hunks; nothing is ever dropped (a piece that cannot fit, such as one line
// longer than the budget, is sent alone and noted as over budget). Content no reviewer can see
// (binary files, submodules) is listed in the coverage note, never silently skipped.
//
// The budget counts patch bytes only; the caller subtracts the prompt's other sections.

#include "review/changeset.hpp"
#include "review/report.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::review {

// Something of the change no reviewer saw, and why.
struct Unreviewed {
  std::string path;
  std::string reason;
};

// One request's worth of the diff.
struct Chunk {
  std::string patch;                       // unified diff text
  std::vector<std::string> files;          // every path with content in this chunk, in order
  std::vector<std::string> partial_files;  // those of which this chunk holds only some hunks
};

struct ChunkPlan {
  std::size_t budget_bytes = 0;  // 0: unlimited
  std::size_t changed_files = 0;
  std::vector<Chunk> chunks;               // never empty when the change has files
  std::vector<Unreviewed> not_reviewed;    // binary content, submodules
  std::vector<std::string> split_files;    // files split over several chunks
  std::vector<std::string> over_budget;    // pieces sent although larger than the budget
};

// Plans the requests for `change`. `budget_bytes` 0 means one request, whatever its size.
ChunkPlan plan_chunks(const Changeset& change, std::size_t budget_bytes);

// Unified-diff text, as `git diff` prints it (without index lines).
std::string render_patch(const Changeset& change);
std::string render_file_header(const FileDiff& file);
std::string render_hunk(const Hunk& hunk);

// Splits `hunk` into consecutive sub-hunks whose rendered text is at most `max_bytes` each
// (one line longer than that makes a sub-hunk of its own). Headers are recomputed.
std::vector<Hunk> split_hunk(const Hunk& hunk, std::size_t max_bytes);

// Whether `chunk` carries content of `path` (for choosing which prior findings to show).
bool chunk_covers(const Chunk& chunk, std::string_view path);

// What one request returned: a report, or the failure that left its files unreviewed.
struct ChunkReview {
  std::size_t chunk = 0;  // index into ChunkPlan::chunks
  std::optional<ReviewReport> report;
  std::string failure;  // when !report
};

struct MergedReview {
  ReviewReport report;
  std::vector<Unreviewed> not_reviewed;  // the plan's, plus files of failed or missing chunks
  bool complete = false;                 // every chunk answered
  std::string coverage_note;             // for the verdict, one paragraph
};

// Folds per-chunk reports into one: findings deduplicated (same_finding), the most severe
// priority and highest confidence kept; "patch is incorrect" wins over "correct"; overall
// confidence is the lowest; prior verdicts on the same finding merge with still_open winning.
MergedReview merge_chunk_reviews(const ChunkPlan& plan, const std::vector<ChunkReview>& reviews);

// Two raisings of one problem from different chunks: same path, overlapping lines, and the same
// title or the same body (case and whitespace folded).
bool same_finding(const RaisedFinding& a, const RaisedFinding& b);

// The coverage statement for a plan (and for `extra` unreviewed items, e.g. failed chunks).
std::string coverage_note(const ChunkPlan& plan, const std::vector<Unreviewed>& extra = {});

}  // namespace gavel::review
