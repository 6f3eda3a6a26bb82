#include "daemon/state_codec.hpp"

#include "daemon/state_records.hpp"
#include "review/priority.hpp"

#include <array>
#include <stdexcept>
#include <utility>

namespace gavel::daemon {

namespace {

using nlohmann::json;

constexpr std::array<std::pair<RoundState, std::string_view>, 5> k_round_states{{
    {RoundState::running, "running"},
    {RoundState::done, "done"},
    {RoundState::failed, "failed"},
    {RoundState::interrupted, "interrupted"},
    {RoundState::stale, "stale"},
}};

// Reads `key` of `j` into `out` when present; throws json::type_error on a wrong type.
template <class T>
void read(const json& j, const char* key, T& out) {
  if (auto it = j.find(key); it != j.end() && !it->is_null()) out = it->get<T>();
}

json location_to_json(const review::Location& location) {
  return json{{"path", location.path},
              {"start", location.lines.start},
              {"end", location.lines.end},
              {"side", location.side == review::Side::old_side ? "old" : "new"}};
}

review::Location location_from_json(const json& j) {
  review::Location location;
  read(j, "path", location.path);
  read(j, "start", location.lines.start);
  read(j, "end", location.lines.end);
  std::string side = "new";
  read(j, "side", side);
  if (side != "new" && side != "old") throw std::invalid_argument("bad side: " + side);
  location.side = side == "old" ? review::Side::old_side : review::Side::new_side;
  return location;
}

}  // namespace

std::string_view to_string(RoundRole role) noexcept {
  return role == RoundRole::implementer ? "implementer" : "reviewer";
}

std::string_view to_string(RoundState state) noexcept {
  for (const auto& [value, name] : k_round_states) {
    if (value == state) return name;
  }
  return "running";
}

std::optional<RoundRole> round_role_from_string(std::string_view s) noexcept {
  if (s == "reviewer") return RoundRole::reviewer;
  if (s == "implementer") return RoundRole::implementer;
  return std::nullopt;
}

std::optional<RoundState> round_state_from_string(std::string_view s) noexcept {
  for (const auto& [value, name] : k_round_states) {
    if (name == s) return value;
  }
  return std::nullopt;
}

json finding_to_json(const review::Finding& f) {
  const review::RaisedFinding& r = f.raised;
  json raised{{"title", r.title},
              {"body", r.body},
              {"priority", static_cast<int>(r.priority)},
              {"confidence", r.confidence},
              {"location", location_to_json(r.location)},
              {"category", r.category},
              {"suggested_fix", r.suggested_fix ? json(*r.suggested_fix) : json(nullptr)}};
  return json{{"id", f.id},
              {"raised", std::move(raised)},
              {"titles", f.titles},
              {"raised_by", f.raised_by},
              {"raised_round", f.raised_round},
              {"state", review::to_string(f.state)},
              {"adjacent", f.adjacent},
              {"anchor", f.anchor},
              {"fingerprint", f.fingerprint},
              {"identity_path", f.identity_path},
              {"current_anchor", f.current_anchor},
              {"reviewed_anchor", f.reviewed_anchor},
              {"closed_anchor", f.closed_anchor},
              {"insists", f.insists},
              {"last_raised_round", f.last_raised_round},
              {"awaiting_human", f.awaiting_human},
              {"trace_requested", f.trace_requested},
              {"implementer_note", f.implementer_note},
              {"reviewer_note", f.reviewer_note}};
}

Result<review::Finding> finding_from_json(const json& j) {
  try {
    if (!j.is_object()) return Error(Errc::corrupt, "stored finding is not a JSON object");
    review::Finding f;
    read(j, "id", f.id);
    if (auto it = j.find("raised"); it != j.end()) {
      review::RaisedFinding& r = f.raised;
      read(*it, "title", r.title);
      read(*it, "body", r.body);
      int priority = static_cast<int>(r.priority);
      read(*it, "priority", priority);
      if (priority < 0 || priority > 3) {
        return Error(Errc::corrupt, "stored finding " + f.id + " has priority " +
                                        std::to_string(priority));
      }
      r.priority = static_cast<review::Priority>(priority);
      read(*it, "confidence", r.confidence);
      if (auto loc = it->find("location"); loc != it->end()) r.location = location_from_json(*loc);
      read(*it, "category", r.category);
      if (auto fix = it->find("suggested_fix"); fix != it->end() && !fix->is_null()) {
        r.suggested_fix = fix->get<std::string>();
      }
    }
    read(j, "titles", f.titles);
    read(j, "raised_by", f.raised_by);
    read(j, "raised_round", f.raised_round);
    std::string state = "open";
    read(j, "state", state);
    auto parsed = review::finding_state_from_string(state);
    if (!parsed) return Error(Errc::corrupt, "stored finding " + f.id + " has state " + state);
    f.state = *parsed;
    read(j, "adjacent", f.adjacent);
    read(j, "anchor", f.anchor);
    read(j, "fingerprint", f.fingerprint);
    read(j, "identity_path", f.identity_path);
    read(j, "current_anchor", f.current_anchor);
    read(j, "reviewed_anchor", f.reviewed_anchor);
    read(j, "closed_anchor", f.closed_anchor);
    read(j, "insists", f.insists);
    read(j, "last_raised_round", f.last_raised_round);
    read(j, "awaiting_human", f.awaiting_human);
    read(j, "trace_requested", f.trace_requested);
    read(j, "implementer_note", f.implementer_note);
    read(j, "reviewer_note", f.reviewer_note);
    return f;
  } catch (const std::exception& e) {
    return Error(Errc::corrupt, std::string("stored finding is malformed: ") + e.what());
  }
}

}  // namespace gavel::daemon
