// gavel-hook's pre-commit and post-commit paths: one round trip to gaveld, else exec the full
// `gavel hook ...` (see cli/hook_fast.hpp).
#include "cli/hook_fast.hpp"

#include "client/client.hpp"
#include "protocol/socket_path.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

namespace gavel::cli {

namespace {

namespace fs = std::filesystem;
namespace pr = protocol;

constexpr int k_exec_failed = 3;  // as gate.infra_failure = closed: refused, and said why

// The `gavel` beside this executable, else "gavel" (looked up in PATH by execvp).
std::string gavel_path() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path beside = self.parent_path() / "gavel";
    if (::access(beside.c_str(), X_OK) == 0) return beside.string();
  }
  return "gavel";
}

// Replaces this process with `gavel hook SUBCOMMAND [-C DIR] [-c ...]`; returns only on failure.
void exec_full(const std::string& subcommand, const FastHookArgs& args) {
  const std::string gavel = gavel_path();
  std::vector<std::string> argv{gavel, "hook", subcommand};
  if (args.dir != ".") argv.insert(argv.end(), {"-C", args.dir});
  for (const auto& o : args.overrides) argv.insert(argv.end(), {"-c", o});
  std::vector<char*> raw;
  for (auto& a : argv) raw.push_back(a.data());
  raw.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  ::execvp(raw[0], raw.data());
  std::cerr << "gavel: INFRASTRUCTURE FAILURE (not a finding): cannot run " << gavel << " hook "
            << subcommand << ": " << std::strerror(errno) << "\n";
}

std::string absolute_dir(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::absolute(dir, ec);
  if (ec) return dir;
  std::string out = p.lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

// The index git commits from, absolute (git may export it relative to the hook's directory);
// empty when git did not say.
std::string index_file() {
  const char* index = std::getenv("GIT_INDEX_FILE");
  if (!index || !*index) return {};
  std::error_code ec;
  fs::path p = fs::absolute(index, ec);
  return ec ? std::string() : p.lexically_normal().string();
}

// True when gaveld passed the staged change it read from `index` (and said which one).
bool daemon_passes(const FastHookArgs& args, const std::string& index) {
  auto c = client::Client::connect(pr::default_socket_path());
  if (!c) return false;
  auto gate = c->call(pr::GateCheckRequest{absolute_dir(args.dir), "", index});
  if (!gate || gate->status != pr::GateStatus::pass || gate->fingerprint.empty()) return false;
  std::cerr << "gavel: pass (" << (gate->session.empty() ? "" : gate->session + ": ")
            << gate->message << ")\n";
  return true;
}

}  // namespace

int fast_pre_commit(const FastHookArgs& args) {
  const std::string index = index_file();
  if (args.overrides.empty() && !index.empty() && daemon_passes(args, index)) return 0;
  exec_full("run", args);
  return k_exec_failed;
}

int fast_post_commit(const FastHookArgs& args) {
  if (auto c = client::Client::connect(pr::default_socket_path())) {
    if (auto note = c->call(pr::NoteAttachRequest{absolute_dir(args.dir)})) {
      if (!note->message.empty()) std::cerr << "gavel: " << note->message << "\n";
      return 0;
    }
  }
  exec_full("post-commit", args);
  return 0;  // post-commit can change nothing
}

}  // namespace gavel::cli
