#include "review/json_io.hpp"

#include "review/priority.hpp"

namespace gavel::review {

namespace {

using nlohmann::json;

std::optional<Priority> priority_from(const json& j) {
  if (j.is_string()) {
    const auto& s = j.get_ref<const std::string&>();
    if (s.size() == 2 && (s[0] == 'P' || s[0] == 'p') && s[1] >= '0' && s[1] <= '3') {
      return static_cast<Priority>(s[1] - '0');
    }
  } else if (j.is_number_integer()) {
    auto n = j.get<std::int64_t>();
    if (n >= 0 && n <= 3) return static_cast<Priority>(n);
  }
  return std::nullopt;
}

FindingState state_from(const json& j) {
  auto s = finding_state_from_string(j.get<std::string>());
  if (!s) throw std::invalid_argument("unknown state \"" + j.get<std::string>() + "\"");
  return *s;
}

RaisedFinding raised_from(const json& j) {
  RaisedFinding f;
  f.title = j.at("title").get<std::string>();
  f.body = j.at("body").get<std::string>();
  auto p = priority_from(j.at("priority"));
  if (!p) throw std::invalid_argument("priority must be \"P0\"..\"P3\"");
  f.priority = *p;
  f.confidence = j.at("confidence").get<double>();
  const json& loc = j.at("location");
  f.location.path = loc.at("path").get<std::string>();
  f.location.lines.start = loc.at("start_line").get<int>();
  f.location.lines.end = loc.at("end_line").get<int>();
  f.location.side = loc.value("side", std::string("new")) == "old" ? Side::old_side
                                                                   : Side::new_side;
  f.category = j.value("category", std::string());
  if (auto it = j.find("suggested_fix"); it != j.end() && !it->is_null()) {
    f.suggested_fix = it->get<std::string>();
  }
  return f;
}

template <class T, class F>
Result<T> guarded(const char* what, F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return fail(Errc::parse, std::string("invalid ") + what + ": " + e.what());
  }
}

}  // namespace

std::string_view side_name(Side side) noexcept {
  return side == Side::old_side ? "old" : "new";
}

void to_json(json& j, const Location& location) {
  j = json{{"path", location.path},
           {"start_line", location.lines.start},
           {"end_line", location.lines.end},
           {"side", side_name(location.side)}};
}

void to_json(json& j, const RaisedFinding& f) {
  j = json{{"title", f.title},
           {"body", f.body},
           {"priority", to_string(f.priority)},
           {"priority_level", static_cast<int>(f.priority)},
           {"confidence", f.confidence},
           {"location", f.location},
           {"category", f.category},
           {"suggested_fix", f.suggested_fix ? json(*f.suggested_fix) : json(nullptr)}};
}

void to_json(json& j, const Transition& t) {
  j = json{{"from", to_string(t.from)},
           {"to", to_string(t.to)},
           {"actor", t.actor},
           {"at_ms", t.at_ms},
           {"reason", t.reason}};
}

void to_json(json& j, const Finding& f) {
  j = json{{"id", f.id}};
  j.update(json(f.raised));
  j["titles"] = f.titles;
  j["state"] = to_string(f.state);
  j["adjacent"] = f.adjacent;
  j["raised_by"] = f.raised_by;
  j["raised_round"] = f.raised_round;
  j["anchor"] = f.anchor;
  j["history"] = f.history;
}

void to_json(json& j, const RejectedFinding& r) {
  j = json(r.raised);
  j["reason"] = r.reason;
}

Result<RaisedFinding> raised_finding_from_json(const json& j) {
  return guarded<RaisedFinding>("finding", [&] { return raised_from(j); });
}

Result<Finding> finding_from_json(const json& j) {
  return guarded<Finding>("finding", [&] {
    Finding f;
    f.id = j.at("id").get<std::string>();
    f.raised = raised_from(j);
    f.titles = j.value("titles", std::vector<std::string>{});
    f.state = state_from(j.at("state"));
    f.adjacent = j.value("adjacent", false);
    f.raised_by = j.value("raised_by", std::string());
    f.raised_round = j.value("raised_round", 0);
    f.anchor = j.value("anchor", std::string());
    for (const json& t : j.value("history", json::array())) {
      Transition tr;
      tr.from = state_from(t.at("from"));
      tr.to = state_from(t.at("to"));
      tr.actor = t.value("actor", std::string());
      tr.at_ms = t.value("at_ms", std::int64_t{0});
      tr.reason = t.value("reason", std::string());
      f.history.push_back(std::move(tr));
    }
    return f;
  });
}

Result<RejectedFinding> rejected_finding_from_json(const json& j) {
  return guarded<RejectedFinding>("rejected finding", [&] {
    return RejectedFinding{raised_from(j), j.at("reason").get<std::string>()};
  });
}

std::string dump_json(const json& j, int indent) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace gavel::review
