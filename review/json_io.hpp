#pragma once
// JSON form of review's values, shared by the JSON export (docs/findings-format.md), SARIF
// properties and anyone who stores or sends findings. One schema, written in one place.
//
// to_json() functions are found by nlohmann through ADL (`nlohmann::json j = finding;`).
// Reading back never throws: *_from_json() return Errc::parse with the offending key.
// Pure: no IO.

#include "base/error.hpp"
#include "review/finding.hpp"
#include "review/report.hpp"

#include <nlohmann/json.hpp>

#include <string_view>

namespace gavel::review {

// "new" / "old"
std::string_view side_name(Side side) noexcept;

void to_json(nlohmann::json& j, const Location& location);
void to_json(nlohmann::json& j, const RaisedFinding& finding);  // title, body, priority, ...
void to_json(nlohmann::json& j, const Transition& transition);
void to_json(nlohmann::json& j, const Finding& finding);  // the raised fields, flattened, + id...
void to_json(nlohmann::json& j, const RejectedFinding& rejected);

Result<RaisedFinding> raised_finding_from_json(const nlohmann::json& j);
Result<Finding> finding_from_json(const nlohmann::json& j);
Result<RejectedFinding> rejected_finding_from_json(const nlohmann::json& j);

// nlohmann's dump() that never throws on invalid UTF-8 (file text in anchors may be Latin-1):
// invalid bytes become U+FFFD.
std::string dump_json(const nlohmann::json& j, int indent = 2);

}  // namespace gavel::review
