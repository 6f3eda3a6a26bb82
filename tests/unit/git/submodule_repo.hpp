#pragma once
// A superproject with one committed submodule `sub` (a clone of `sub_origin`), for the snapshot
// tests. Header-only: the test glob compiles only *_test.cpp files.

#include "tests/support/temp_git_repo.hpp"

namespace gavel::test {

// Commits one file in `sub_origin`, one in `repo`, then adds `sub_origin` to `repo` as the
// submodule `sub` and commits that.
inline void make_superproject(TempGitRepo& sub_origin, TempGitRepo& repo) {
  sub_origin.write("inner.txt", "inner\n");
  sub_origin.commit_all();
  repo.write("top.txt", "top\n");
  repo.commit_all();
  repo.git({"submodule", "add", "-q", sub_origin.path().string(), "sub"});
  repo.commit_all("add submodule");
}

}  // namespace gavel::test
