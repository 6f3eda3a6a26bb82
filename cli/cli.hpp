#pragma once
// Entry point of `gavel`: the command table, argument parsing (CLI11) and exit codes.
//
// Exit codes shared by every command (docs/cli.md): 0 success; 64 usage error; 65 the input or
// repository cannot be used (not a repository, bare, corrupt); 69 a service is unavailable;
// 70 internal error; 77 the daemon refused this caller (an agent's process asking to decide). Commands with their own meanings (`review --once`, the hook) document them.

namespace gavel::cli {

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_usage = 64;
inline constexpr int k_exit_data = 65;
inline constexpr int k_exit_unavailable = 69;
inline constexpr int k_exit_internal = 70;
inline constexpr int k_exit_noperm = 77;

// Returns the process exit status.
int run_cli(int argc, char** argv);

}  // namespace gavel::cli
