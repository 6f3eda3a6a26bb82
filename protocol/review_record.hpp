#pragma once
// The review record the pre-commit gate saves on `pass` and the post-commit hook attaches to the
// new commit as a git note (docs/cli.md "gavel hook": tool, gate, session, verdict, fingerprint,
// base, rounds, agents, usage, findings with their history).
//
// Built from protocol values only, so both writers build the same record: `gavel hook run`
// (cli/hook_gate.cpp, from session.show and finding.show replies) and gaveld answering an
// index-form gate.check (daemon/staged_gate.cpp, from its own handlers). Pure.

#include "protocol/messages.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace gavel::protocol {

struct RecordInputs {
  const GateCheckResponse& gate;  // the pass
  std::string fingerprint;        // of the staged snapshot that passed
  std::string base;               // HEAD when it passed; empty on an unborn branch
  std::optional<SessionShowResponse> session;  // nullopt: not known (no session.show)
  // finding.show of session->findings[i], nullopt where it failed; shorter is fine.
  std::vector<std::optional<FindingShowResponse>> shown;
};

nlohmann::json review_record(const RecordInputs& in);

}  // namespace gavel::protocol
