#pragma once
// The two repositories `gavel demo` reviews (docs/cli.md "gavel demo"): a small Python shop with
// an uncommitted change the builtin agents can fix between them, and one that commits an API
// token, which no mechanical fix can address, so the agents deadlock and a human arbitrates.

#include "git/new_repo.hpp"

#include <string>
#include <vector>

namespace gavel::cli {

struct DemoScenario {
  std::string title;
  std::string story;                      // what the reader is about to see
  std::vector<git::NewFile> committed;    // the first commit
  std::vector<git::NewFile> uncommitted;  // written over it, not committed
  std::string intent;                     // given to both agents
};

DemoScenario converging_scenario();
DemoScenario disputed_scenario();

}  // namespace gavel::cli
