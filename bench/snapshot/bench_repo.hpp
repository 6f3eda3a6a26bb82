#pragma once
// The benchmark's repository: generated with git fast-import (packed, like a real clone), its
// working tree written directly, the index filled by `git reset` + `git update-index --refresh`.
// Also runs commands and times them. Used only by bench/snapshot/main.cpp.

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace gavel::bench {

// Runs `argv` in `cwd` with stdout/stderr sent to /dev/null; returns the exit status.
int run_quiet(const std::vector<std::string>& argv, const std::filesystem::path& cwd);

// Median wall time of `runs` calls of `fn`, in milliseconds.
double median_ms(int runs, const std::function<void()>& fn);

struct BenchRepo {
  std::filesystem::path dir;
  int files = 0;
  int dirs = 0;
  std::string path_of(int i) const;     // "d0123/f00004.txt"
  std::string content_of(int i) const;  // the committed content of file i

  // Creates the repository in `dir` (which must not exist).
  static BenchRepo create(const std::filesystem::path& dir, int files, int dirs);
  void write(int i, const std::string& content) const;
  void touch(int i) const;
};

}  // namespace gavel::bench
