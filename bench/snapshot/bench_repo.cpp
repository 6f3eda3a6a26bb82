#include "bench/snapshot/bench_repo.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace gavel::bench {

namespace fs = std::filesystem;

int run_quiet(const std::vector<std::string>& argv, const fs::path& cwd) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

double median_ms(int runs, const std::function<void()>& fn) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    fn();
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                    .count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

std::string BenchRepo::path_of(int i) const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "d%04d/f%05d.txt", i % dirs, i);
  return buf;
}

std::string BenchRepo::content_of(int i) const {
  std::string s = "file " + std::to_string(i) + "\n";
  for (int line = 0; line < 10; ++line) s += "line " + std::to_string(line) + " of a source file\n";
  return s;
}

void BenchRepo::write(int i, const std::string& content) const {
  std::ofstream(dir / path_of(i), std::ios::binary | std::ios::trunc) << content;
}

void BenchRepo::touch(int i) const {
  struct timespec times[2];
  ::clock_gettime(CLOCK_REALTIME, &times[0]);
  times[0].tv_sec -= 5;  // changed, and already old enough to be trusted once seen
  times[1] = times[0];
  ::utimensat(AT_FDCWD, (dir / path_of(i)).c_str(), times, 0);
}

BenchRepo BenchRepo::create(const fs::path& dir, int files, int dirs) {
  BenchRepo r{dir, files, dirs};
  fs::create_directories(dir);
  if (run_quiet({"git", "init", "-q", "-b", "main"}, dir) != 0) throw std::runtime_error("git init");
  const fs::path stream_path = dir.parent_path() / "fast-import.stream";
  {
    std::ofstream out(stream_path, std::ios::binary);
    for (int i = 0; i < files; ++i) {
      const std::string c = r.content_of(i);
      out << "blob\nmark :" << (i + 1) << "\ndata " << c.size() << "\n" << c << "\n";
    }
    out << "commit refs/heads/main\ncommitter Bench <bench@gavel.invalid> 1700000000 +0000\n"
        << "data 5\nbase\n";
    for (int i = 0; i < files; ++i) out << "M 100644 :" << (i + 1) << " " << r.path_of(i) << "\n";
    out << "\n";
  }
  const std::string cmd = "git fast-import --quiet < '" + stream_path.string() + "'";
  if (run_quiet({"sh", "-c", cmd}, dir) != 0) throw std::runtime_error("git fast-import");
  fs::remove(stream_path);
  for (int d = 0; d < dirs; ++d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "d%04d", d);
    fs::create_directories(dir / buf);
  }
  for (int i = 0; i < files; ++i) r.write(i, r.content_of(i));
  run_quiet({"git", "reset", "-q"}, dir);
  run_quiet({"git", "update-index", "-q", "--refresh"}, dir);
  return r;
}

}  // namespace gavel::bench
