// review_record(): the audit note's JSON (see protocol/review_record.hpp).
#include "protocol/review_record.hpp"

#include "protocol/json.hpp"
#include "protocol/names.hpp"

#include <algorithm>
#include <cstdint>

namespace gavel::protocol {

namespace {

template <class T>
nlohmann::json wire(const T& value) {
  nlohmann::json j;
  to_json(j, value);
  return j;
}

void add_session(nlohmann::json& r, const RecordInputs& in) {
  const SessionShowResponse& s = *in.session;
  r["verdict"] = std::string(to_string(s.session.state));
  r["rounds"] = wire(s)["rounds"];
  std::int64_t tokens = 0;
  nlohmann::json agents = nlohmann::json::array();
  for (const auto& round : s.rounds) {
    tokens += round.tokens;
    const std::string a = round.agent + " (" + round.role + ")";
    if (std::find(agents.begin(), agents.end(), a) == agents.end()) agents.push_back(a);
  }
  r["agents"] = agents;
  r["usage"] = {{"tokens", tokens}};
  nlohmann::json findings = nlohmann::json::array();
  for (std::size_t i = 0; i < s.findings.size(); ++i) {
    nlohmann::json j = wire(s.findings[i]);
    if (i < in.shown.size() && in.shown[i] && !in.shown[i]->history.empty()) {
      j["history"] = wire(*in.shown[i])["history"];
    }
    findings.push_back(std::move(j));
  }
  r["findings"] = findings;
}

}  // namespace

nlohmann::json review_record(const RecordInputs& in) {
  nlohmann::json r = {{"tool", std::string("gavel ") + GAVEL_VERSION},
                      {"gate", {{"status", "pass"}, {"message", in.gate.message}}},
                      {"session", in.gate.session},
                      {"fingerprint", in.fingerprint},
                      {"base", in.base}};
  if (in.session) add_session(r, in);
  return r;
}

}  // namespace gavel::protocol
