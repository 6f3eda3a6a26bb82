#pragma once
#include <string>

namespace gavel::git {

// The libgit2 version linked at run time, e.g. "1.8.4".
std::string libgit2_version();

}  // namespace gavel::git
