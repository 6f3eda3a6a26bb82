#pragma once
// Internals of review/report_parser.cpp shared by its translation units (and the fuzz target):
// locating JSON candidates in agent prose, bounded excerpts, and the JSON -> report validation.
// Not part of the module's interface: other code includes review/report_parser.hpp.

#include "review/report_parser.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace gavel::review::detail {

// At most this many candidates are taken from one text, and this many failed starts tried.
inline constexpr std::size_t k_max_candidates = 64;
inline constexpr std::size_t k_max_failed_starts = 32;
// Brace nesting deeper than this is not an agent report.
inline constexpr int k_max_brace_depth = 256;

// Every balanced top-level {...} span of `text`, in order, JSON strings (and braces inside them)
// respected. Spans may still be invalid JSON; nlohmann decides. Each byte examined is charged to
// `budget` (when given); the scan stops when it runs out, so the work over one agent output stays
// linear in its size whatever its shape.
std::vector<std::string_view> find_json_objects(std::string_view text,
                                                std::size_t* budget = nullptr);

// A piece of `text` of at most k_max_excerpt_bytes, cut on a UTF-8 boundary, with invalid bytes
// and control characters (other than newline and tab) replaced by '?', and "..." where cut.
std::string make_excerpt(std::string_view text);

// The same for any text of at most `max_bytes` (the reason of a failure quotes agent text too).
std::string sanitize_text(std::string_view text, std::size_t max_bytes);

// Largest reason carried in a parse failure.
inline constexpr std::size_t k_max_reason_bytes = 600;

// Validates `j` as a reviewer report and fills `out`. Returns "" on success, else the reason.
std::string review_from_json(const nlohmann::json& j, const ParseOptions& options,
                             ReviewReport& out);

// Validates `j` as an implementer report and fills `out`. Returns "" on success, else the reason.
std::string implementer_from_json(const nlohmann::json& j, ImplementerReport& out);

}  // namespace gavel::review::detail
