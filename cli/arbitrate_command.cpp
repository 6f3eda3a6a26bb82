// `gavel arbitrate [-C DIR]` (docs/cli.md): the human arbiter's loop. Walks the escalated
// findings of the repository here one at a time (both agents' positions from the finding's
// body and history, the code around it from the working tree), asks
// `[u]phold [d]ismiss [w]aive [s]kip [q]uit` and a reason on stdin, and sends `decide`.
#include "cli/cli.hpp"
#include "cli/commands.hpp"
#include "cli/daemon_client.hpp"
#include "cli/finding_view.hpp"
#include "review/priority.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

namespace gavel::cli {

namespace {

namespace pr = protocol;

struct ArbitrateArgs {
  std::string dir = ".";
  bool no_start = false;
};

// Lines `start`-3 .. `end`+3 of `path` in the working tree, numbered; the finding's own lines
// marked. Paths that leave the repository are not read.
void print_code(const std::string& root, const pr::FindingSummary& f, const Style& style) {
  const std::filesystem::path rel(f.path);
  if (rel.empty() || rel.is_absolute() || f.path.find("..") != std::string::npos) return;
  std::ifstream in(std::filesystem::path(root) / rel);
  if (!in || f.line_start <= 0) return;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (n < f.line_start - 3) continue;
    if (n > f.line_end + 3) break;
    const bool own = n >= f.line_start && n <= f.line_end;
    const std::string text = std::to_string(n) + (own ? " > " : " | ") + line;
    std::cout << "    " << (own ? style.bold(text) : style.dim(text)) << "\n";
  }
}

void print_positions(const pr::FindingShowResponse& shown, const Style& style) {
  const auto& f = shown.finding;
  std::cout << style.bold("reviewer (" + f.agent + "):") << " " << f.body << "\n";
  for (const auto& h : shown.history) {
    if (h.reason.empty()) continue;
    std::cout << style.bold(h.actor + " (" + std::string(review::to_string(h.to)) + "):") << " "
              << h.reason << "\n";
  }
}

enum class Next { decide, skip, quit };

// Asks until the answer is one of the letters; for a decision, asks the reason (required for
// dismiss and waive). End of input is quit.
Next ask(pr::Decision& decision, std::string& reason) {
  while (true) {
    std::cout << "[u]phold [d]ismiss [w]aive [s]kip [q]uit? " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer) || answer == "q") return Next::quit;
    if (answer == "s") return Next::skip;
    std::optional<pr::Decision> d;
    if (answer == "u") d = pr::Decision::uphold;
    if (answer == "d") d = pr::Decision::dismiss;
    if (answer == "w") d = pr::Decision::waive;
    if (!d) continue;
    decision = *d;
    while (true) {
      std::cout << (*d == pr::Decision::uphold ? "reason (optional): " : "reason: ") << std::flush;
      if (!std::getline(std::cin, reason)) return Next::quit;
      if (!reason.empty() || *d == pr::Decision::uphold) return Next::decide;
    }
  }
}

int run_arbitrate(const ArbitrateArgs& a) {
  auto root = repo_root(a.dir);
  if (!root) return report_error(root.error());
  int status = k_exit_ok;
  auto c = connect_or_report(a.no_start, status);
  if (!c) return status;
  auto list = c->call(pr::FindingsListRequest{*root, pr::FindingFilter::open_only});
  if (!list) return report_error(list.error());
  std::vector<pr::FindingSummary> todo;
  for (const auto& f : list->findings) {
    if (f.state == review::FindingState::escalated) todo.push_back(f);
  }
  if (todo.empty()) {
    std::cout << "nothing to arbitrate: no escalated findings in " << *root << "\n";
    return k_exit_ok;
  }
  const Style style{use_color(STDOUT_FILENO)};
  int decided = 0;
  for (std::size_t i = 0; i < todo.size(); ++i) {
    auto shown = c->call(pr::FindingShowRequest{todo[i].id});
    if (!shown) return report_error(shown.error());
    std::cout << "\n" << style.bold("escalation " + std::to_string(i + 1) + " of " +
                                    std::to_string(todo.size()))
              << "\n" << finding_line(shown->finding, style) << "\n";
    print_positions(*shown, style);
    print_code(*root, shown->finding, style);
    std::string reason;
    pr::Decision decision = pr::Decision::uphold;
    const Next next = ask(decision, reason);
    if (next == Next::quit) break;
    if (next == Next::skip) continue;
    auto r = c->call(pr::DecideRequest{todo[i].id, decision, reason, ""});
    if (!r) return report_error(r.error());
    std::cout << "-> " << finding_line(r->finding, style) << "\n";
    ++decided;
  }
  std::cout << "\n" << decided << " decided, " << todo.size() - decided << " left\n";
  return k_exit_ok;
}

}  // namespace

Runner attach_arbitrate(CLI::App& app) {
  auto args = std::make_shared<ArbitrateArgs>();
  app.add_option("-C", args->dir, "Run as if started in this directory");
  app.add_flag("--no-start", args->no_start, "Do not start gaveld when it is not running");
  return [args] { return run_arbitrate(*args); };
}

}  // namespace gavel::cli
