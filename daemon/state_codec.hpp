#pragma once
// How the state store writes a review::Finding into its `findings.data` JSON column and reads it
// back. Used only by daemon/state_store*.cpp and its tests.
//
// Every field of review::Finding is written except `history`, which is the decision log
// (table `decisions`) and is filled from there on read. Reading is tolerant of a missing key
// (the field's default applies, so rows written before a field was added stay readable) and
// strict about a present key of the wrong type or an unknown enum name (Errc::corrupt).
// When a field is added to review::Finding, add it here and to the round-trip test.

#include "base/error.hpp"
#include "review/finding.hpp"

#include <nlohmann/json.hpp>

namespace gavel::daemon {

// `finding` as a JSON object, without `history`.
nlohmann::json finding_to_json(const review::Finding& finding);

// The Finding stored in `j`; `history` left empty. Errc::corrupt when `j` is malformed.
Result<review::Finding> finding_from_json(const nlohmann::json& j);

}  // namespace gavel::daemon
