// The Markdown export: a report for people (PR comments, terminals, CI summaries).
#include "review/export.hpp"

#include "review/priority.hpp"
#include "review/prompt.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace gavel::review {

namespace {

// Text safe inside one table cell: one line, pipes escaped.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// `text` as inline code, with a fence of backticks longer than any run inside it.
std::string code(std::string_view text) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string ticks(longest + 1, '`');
  std::string pad = longest > 0 ? " " : "";
  return ticks + pad + cell(text) + pad + ticks;
}

std::string location_text(const Location& loc) {
  std::string out = loc.path + ":" + std::to_string(loc.lines.start);
  if (loc.lines.end != loc.lines.start) out += "-" + std::to_string(loc.lines.end);
  return out;
}

// Every line of `text` prefixed with "> ": agent prose stays quoted, never rendered as headings.
std::string quoted(std::string_view text) {
  std::string out = "> ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "> ";
  }
  return out + "\n";
}

std::string confidence_text(double c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", c);
  return buf;
}

void write_header(std::string& out, const ExportInput& in) {
  const ExportSession& s = in.session;
  out += "# gavel review: " + (s.verdict.empty() ? std::string("(no verdict)") : cell(s.verdict)) +
         "\n\n| | |\n|---|---|\n";
  if (!s.repo.empty()) out += "| Repository | " + code(s.repo) + " |\n";
  out += "| Base commit | " + (s.base_commit.empty() ? "(unborn branch)" : code(s.base_commit)) +
         " |\n";
  if (!s.fingerprint.empty()) out += "| Snapshot | " + code(s.fingerprint) + " |\n";
  if (!s.agents.empty()) {
    std::string agents;
    for (const std::string& a : s.agents) agents += (agents.empty() ? "" : ", ") + cell(a);
    out += "| Agents | " + agents + " |\n";
  }
  if (!s.coverage_note.empty()) out += "| Coverage | " + cell(s.coverage_note) + " |\n";
  std::array<int, 4> counts{};
  int adjacent = 0;
  for (const Finding& f : in.findings) {
    ++counts[static_cast<std::size_t>(f.raised.priority)];
    adjacent += f.adjacent ? 1 : 0;
  }
  out += "\n**" + std::to_string(in.findings.size()) + " finding(s)**: P0 " +
         std::to_string(counts[0]) + " · P1 " + std::to_string(counts[1]) + " · P2 " +
         std::to_string(counts[2]) + " · P3 " + std::to_string(counts[3]);
  if (adjacent > 0) out += " (" + std::to_string(adjacent) + " adjacent, never blocking)";
  if (!in.rejected.empty()) out += "; " + std::to_string(in.rejected.size()) + " rejected";
  out += "\n";
}

void write_finding(std::string& out, const Finding& f) {
  const RaisedFinding& r = f.raised;
  out += "\n### [" + std::string(to_string(r.priority)) + "] " + cell(r.title) + "\n\n";
  out += code(location_text(r.location)) + " · " + std::string(to_string(f.state));
  if (f.adjacent) out += " · adjacent (outside the diff)";
  out += " · confidence " + confidence_text(r.confidence);
  if (!f.raised_by.empty()) {
    out += " · raised by " + cell(f.raised_by) + " in round " + std::to_string(f.raised_round);
  }
  if (!f.id.empty()) out += " · id " + code(f.id);
  out += "\n\n";
  if (!r.body.empty()) out += quoted(r.body);
  if (r.suggested_fix) out += "\nSuggested fix:\n\n" + fence(*r.suggested_fix, "diff");
  if (!f.history.empty()) {
    out += "\nHistory:\n";
    for (const Transition& t : f.history) {
      out += "- " + std::string(to_string(t.from)) + " → " + std::string(to_string(t.to)) +
             " by " + cell(t.actor);
      if (!t.reason.empty()) out += ": " + cell(t.reason);
      out += "\n";
    }
  }
}

}  // namespace

std::string export_markdown(const ExportInput& input) {
  std::string out;
  write_header(out, input);
  std::vector<const Finding*> sorted;
  for (const Finding& f : input.findings) sorted.push_back(&f);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Finding* a, const Finding* b) {
    return static_cast<int>(a->raised.priority) < static_cast<int>(b->raised.priority);
  });
  if (!sorted.empty()) {
    out += "\n| Priority | State | Location | Title |\n|---|---|---|---|\n";
    for (const Finding* f : sorted) {
      out += "| " + std::string(to_string(f->raised.priority)) + " | " +
             std::string(to_string(f->state)) + (f->adjacent ? " (adjacent)" : "") + " | " +
             code(location_text(f->raised.location)) + " | " + cell(f->raised.title) + " |\n";
    }
    out += "\n## Findings\n";
    for (const Finding* f : sorted) write_finding(out, *f);
  } else {
    out += "\nNo findings.\n";
  }
  if (!input.rejected.empty()) {
    out += "\n## Rejected findings\n\nRaised at locations gavel refused; never blocking.\n\n";
    for (const RejectedFinding& r : input.rejected) {
      out += "- [" + std::string(to_string(r.raised.priority)) + "] " + cell(r.raised.title) +
             " at " + code(location_text(r.raised.location)) + ": " + cell(r.reason) + "\n";
    }
  }
  return out;
}

}  // namespace gavel::review
