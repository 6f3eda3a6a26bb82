#pragma once
// How the daemon-talking commands show findings and sessions that came over the control socket
// (protocol::FindingSummary, SessionSummary): as review::Finding for review's formatters
// (gate_line, the exports), as one text line, and as JSON (the protocol's own shapes, so `--json`
// output is what docs/protocol.md documents).
//
// Called by cli/*_command.cpp and the hook on the command's thread. Pure: no IO but the stream
// it is given.

#include "cli/session_output.hpp"
#include "protocol/messages.hpp"
#include "review/finding.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace gavel::cli {

// The review::Finding a summary stands for (wording, location, state, who raised it).
review::Finding to_finding(const protocol::FindingSummary& s);
std::vector<review::Finding> to_findings(const std::vector<protocol::FindingSummary>& s);

// "f-1a2b  P1  open       src/net.cpp:40  Unchecked recv result" (+ " (adjacent)").
std::string finding_line(const protocol::FindingSummary& f, const Style& style);

// "s-12 running, round 3 of 8, reviewer codex" / "s-12 escalated after 8 rounds".
std::string session_line(const protocol::SessionSummary& s, const Style& style);

// The protocol JSON of any protocol value.
template <class T>
nlohmann::json to_wire_json(const T& value);

}  // namespace gavel::cli

#include "protocol/json.hpp"

template <class T>
nlohmann::json gavel::cli::to_wire_json(const T& value) {
  nlohmann::json j;
  protocol::to_json(j, value);
  return j;
}
