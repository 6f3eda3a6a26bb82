#include "git/version.hpp"

#include <git2.h>

#include <string>

namespace gavel::git {

std::string libgit2_version() {
  int major = 0, minor = 0, rev = 0;
  git_libgit2_version(&major, &minor, &rev);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(rev);
}

}  // namespace gavel::git
