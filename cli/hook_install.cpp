// `gavel hook install|uninstall` (docs/cli.md "gavel hook"): writes gavel's pre-commit and
// post-commit scripts into the hooks directory, keeping a hook already there as a chained one,
// and removes them again, restoring what was there.
#include "cli/hook_install.hpp"

#include "git/hooks_dir.hpp"

#include <unistd.h>

#include <array>
#include <fstream>
#include <sstream>

namespace gavel::cli {

namespace fs = std::filesystem;

namespace {

struct HookKind {
  const char* name;
  const char* subcommand;
  bool chained_failure_stops;  // pre-commit: a failing chained hook fails the commit
};

constexpr std::array k_hooks{HookKind{"pre-commit", "run", true},
                             HookKind{"post-commit", "post-commit", false}};

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string script(const HookKind& h, const fs::path& gavel) {
  std::ostringstream os;
  os << "#!/bin/sh\n"
     << k_hook_marker << " (" << h.name << "); `gavel hook uninstall` restores what was here.\n"
     // The hook's directory by parameter expansion, not `dirname`: one process less per commit.
     << "case \"$0\" in */*) here=\"${0%/*}\" ;; *) here=. ;; esac\n"
     << "chained=\"$here/" << h.name << k_chained_suffix << "\"\n";
  if (h.chained_failure_stops) {
    os << "if [ -x \"$chained\" ]; then \"$chained\" \"$@\" || exit $?; fi\n";
  } else {
    os << "status=0\n"
       << "if [ -x \"$chained\" ]; then \"$chained\" \"$@\"; status=$?; fi\n";
  }
  os << "gavel=" << quote(gavel.string()) << "\n"
     << "[ -x \"$gavel\" ] || gavel=gavel\n";
  // The fast client (cli/hook_fast.hpp) when it was installed next to gavel; it falls back to
  // `gavel hook ...` itself whenever it cannot decide alone.
  const fs::path fast = gavel.parent_path() / k_fast_hook_name;
  const bool use_fast = !gavel.parent_path().empty() && ::access(fast.c_str(), X_OK) == 0;
  if (use_fast) os << "fast=" << quote(fast.string()) << "\n";
  if (h.chained_failure_stops) {
    if (use_fast) os << "[ -x \"$fast\" ] && exec \"$fast\" " << h.name << "\n";
    os << "exec \"$gavel\" hook " << h.subcommand << "\n";
  } else {
    // git ignores a post-commit hook's status, so the fast client may replace the shell.
    if (use_fast) os << "[ -x \"$fast\" ] && exec \"$fast\" " << h.name << "\n";
    os << "\"$gavel\" hook " << h.subcommand << "\n"
       << "exit $status\n";
  }
  return os.str();
}

bool is_ours(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::symlink_status(p, ec))) return false;
  std::ifstream in(p);
  std::string first, second;
  std::getline(in, first);
  std::getline(in, second);
  return second.rfind(k_hook_marker, 0) == 0;
}

bool present(const fs::path& p) {
  std::error_code ec;
  return fs::symlink_status(p, ec).type() != fs::file_type::not_found;
}

Result<void> write_script(const fs::path& p, const std::string& text) {
  const fs::path tmp = p.string() + ".gavel-tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) return fail(Errc::io, "cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::permissions(tmp, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec, ec);
  if (!ec) fs::rename(tmp, p, ec);
  if (ec) return fail(Errc::io, "cannot install " + p.string() + ": " + ec.message());
  return {};
}

Result<HookChange> install_one(const fs::path& dir, const HookKind& h, const fs::path& gavel) {
  const fs::path hook = dir / h.name;
  const fs::path chained = dir / (std::string(h.name) + k_chained_suffix);
  std::string what = "installed";
  if (is_ours(hook)) {
    what = "updated";
  } else if (present(hook)) {
    if (present(chained)) {
      return fail(Errc::conflict, "both " + hook.string() + " and " + chained.string() +
                                      " exist and neither is gavel's; move one away first");
    }
    std::error_code ec;
    fs::rename(hook, chained, ec);
    if (ec) return fail(Errc::io, "cannot rename " + hook.string() + ": " + ec.message());
    what = "installed (the existing hook runs first, kept as " + chained.filename().string() + ")";
  }
  if (auto w = write_script(hook, script(h, gavel)); !w) return w.error();
  return HookChange{hook, what};
}

}  // namespace

Result<std::vector<HookChange>> install_hooks(const fs::path& dir, const fs::path& gavel) {
  auto where = git::hooks_location(dir);
  if (!where) return where.error();
  std::error_code ec;
  fs::create_directories(where->dir, ec);
  if (ec) return fail(Errc::io, "cannot create " + where->dir.string() + ": " + ec.message());
  std::vector<HookChange> out;
  for (const HookKind& h : k_hooks) {
    auto c = install_one(where->dir, h, gavel);
    if (!c) return c.error();
    out.push_back(std::move(*c));
  }
  return out;
}

Result<std::vector<HookChange>> uninstall_hooks(const fs::path& dir) {
  auto where = git::hooks_location(dir);
  if (!where) return where.error();
  std::vector<HookChange> out;
  for (const HookKind& h : k_hooks) {
    const fs::path hook = where->dir / h.name;
    const fs::path chained = where->dir / (std::string(h.name) + k_chained_suffix);
    if (!is_ours(hook)) {
      out.push_back({hook, present(hook) ? "left alone (not gavel's)" : "not installed"});
      continue;
    }
    std::error_code ec;
    fs::remove(hook, ec);
    if (ec) return fail(Errc::io, "cannot remove " + hook.string() + ": " + ec.message());
    if (present(chained)) {
      fs::rename(chained, hook, ec);
      if (ec) return fail(Errc::io, "cannot restore " + hook.string() + ": " + ec.message());
      out.push_back({hook, "removed; the previous hook is back"});
    } else {
      out.push_back({hook, "removed"});
    }
  }
  return out;
}

}  // namespace gavel::cli
