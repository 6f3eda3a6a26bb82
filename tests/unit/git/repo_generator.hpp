#pragma once
// A seeded generator of random repositories and uncommitted edits, for the differential test
// against the git CLI. Every step it takes is logged, so a failing case prints a recipe that
// reproduces it (together with GAVEL_DIFF_SEED / GAVEL_DIFF_CASES). Header-only: the test
// glob compiles only *_test.cpp files.

#include "tests/support/temp_git_repo.hpp"

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace gavel::test {

class RepoGenerator {
 public:
  RepoGenerator(TempGitRepo& repo, std::uint64_t seed) : m_repo(repo), m_rng(seed) {}

  // Commits an initial tree (unless the case is an unborn branch); returns false for unborn.
  bool make_base() {
    m_eol_lf = chance(15);
    std::string ignore = "*.log\nignored/\n";
    m_repo.write(".gitignore", ignore);
    log("write .gitignore");
    if (m_eol_lf) {
      m_repo.write(".gitattributes", "* eol=lf\n");
      log("write .gitattributes '* eol=lf'");
    }
    const int files = pick(3, 12);
    for (int i = 0; i < files; ++i) create_file(fresh_path(), /*allow_untracked_kinds=*/false);
    m_unborn = chance(10);
    if (m_unborn) {
      if (chance(50)) stage_some();
      return false;
    }
    m_repo.commit_all("base");
    log("commit -A");
    return true;
  }

  // Applies 1..8 random edits: staged and unstaged, renames, deletions, new files, ...
  void edit() {
    const int n = pick(1, 8);
    for (int i = 0; i < n; ++i) edit_once();
    if (m_eol_lf && chance(50)) {
      // The libgit2 1.5 crash case: an empty untracked file under an eol filter.
      const std::string p = "empty-untracked-" + std::to_string(pick(0, 99)) + ".diff";
      m_repo.write(p, "");
      log("write empty untracked " + p);
    }
  }

  bool unborn() const { return m_unborn; }
  const std::vector<std::string>& steps() const { return m_steps; }

 private:
  enum class Kind { text, empty, binary, symlink, executable };

  bool chance(int percent) { return pick(0, 99) < percent; }
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(m_rng); }
  template <class T>
  const T& one_of(const std::vector<T>& v) { return v[static_cast<std::size_t>(pick(0, static_cast<int>(v.size()) - 1))]; }
  void log(std::string s) { m_steps.push_back(std::move(s)); }

  std::string fresh_path() {
    static const std::vector<std::string> dirs = {
        "", "", "src/", "src/util/", "docs/", "dir with space/", "\xc3\xbcnic\xc3\xb6" "de/",
        "deep/a/b/c/", "lib/"};
    static const std::vector<std::string> names = {
        "main.c", "util.h", "readme.md", "notes.txt", "file one.txt", "caf\xc3\xa9.txt",
        "data.bin", "run.sh", "config.ini", "a.txt", "b.txt", "x-y_z.py"};
    for (;;) {
      std::string p = one_of(dirs) + one_of(names);
      if (chance(30)) p = std::to_string(pick(0, 999)) + "-" + p.substr(p.rfind('/') + 1);
      if (!m_paths.contains(p) && !collides(p)) return p;
    }
  }

  // A new path may not be a directory of an existing file or the reverse.
  bool collides(const std::string& p) const {
    for (const auto& q : m_paths) {
      if (p.starts_with(q + "/") || q.starts_with(p + "/")) return true;
    }
    return false;
  }

  std::string text(bool crlf, bool final_newline) {
    static const std::vector<std::string> words = {
        "alpha", "beta", "gamma", "delta", "return", "value", "x", "y", "{", "}", "if (x)",
        "// comment", "\tindented", "    spaced", "caf\xc3\xa9", "end"};
    std::string out;
    const int lines = pick(1, 40);
    for (int i = 0; i < lines; ++i) {
      if (chance(8)) out += "static int fn_" + std::to_string(pick(0, 50)) + "(void) {";
      else if (chance(10)) out += "";
      else out += one_of(words) + " " + one_of(words) + (chance(30) ? " " + one_of(words) : "");
      if (i + 1 < lines || final_newline) out += crlf ? "\r\n" : "\n";
    }
    return out;
  }

  std::string binary() {
    std::string out = "BIN";
    const int n = pick(1, 300);
    for (int i = 0; i < n; ++i) out += static_cast<char>(pick(0, 255));
    out[1] = '\0';
    return out;
  }

  std::string text_for(bool untracked) {
    const bool crlf = !(m_eol_lf && untracked) && chance(10);
    return text(crlf, !chance(15));
  }

  void create_file(const std::string& p, bool untracked) {
    const int r = pick(0, 99);
    m_paths.insert(p);
    if (r < 8) {
      m_repo.write(p, "");
      log("write empty " + p);
    } else if (r < 16) {
      m_repo.write(p, binary());
      log("write binary " + p);
    } else if (r < 24) {
      const std::string target = chance(50) ? "target-" + std::to_string(pick(0, 9)) : "../outside";
      m_repo.symlink(target, p);
      m_links.insert(p);
      log("symlink " + p + " -> " + target);
    } else {
      m_repo.write(p, text_for(untracked));
      log("write text " + p);
      if (r < 32) {
        m_repo.set_executable(p, true);
        log("chmod +x " + p);
      }
    }
  }

  void stage_some() {
    for (const auto& p : m_paths) {
      if (chance(50)) {
        m_repo.git({"add", "--", p});
        log("git add " + p);
      }
    }
  }

  std::string existing() {
    std::vector<std::string> v(m_paths.begin(), m_paths.end());
    return v.empty() ? std::string() : one_of(v);
  }

  void modify_text(const std::string& p) {
    if (m_links.contains(p)) {
      m_repo.symlink("retarget-" + std::to_string(pick(0, 9)), p);
      log("retarget symlink " + p);
      return;
    }
    std::string s = m_repo.read(p);
    const int how = pick(0, 5);
    if (how == 0) s += text_for(false);
    else if (how == 1 && !s.empty()) s.erase(static_cast<std::size_t>(pick(0, static_cast<int>(s.size()) - 1)), static_cast<std::size_t>(pick(1, 40)));
    else if (how == 2) s.insert(static_cast<std::size_t>(pick(0, static_cast<int>(s.size()))), "inserted line\n");
    else if (how == 3 && !s.empty() && s.back() == '\n') s.pop_back();  // drop final newline
    else if (how == 4) {
      std::string crlf;
      for (char c : s) {
        if (c == '\n') crlf += '\r';
        crlf += c;
      }
      s = crlf;
    } else s = text_for(false);
    m_repo.write(p, s);
    log("modify " + p + " (how " + std::to_string(how) + ")");
  }

  void edit_once() {
    const std::string p = existing();
    const int op = pick(0, 13);
    if (p.empty() || op >= 11) {
      const std::string q = chance(10) ? "ignored/" + fresh_path() : (chance(10) ? fresh_path() + ".log" : fresh_path());
      create_file(q, true);
      if (!m_unborn && chance(40) && !q.starts_with("ignored/") && !q.ends_with(".log")) {
        m_repo.git({"add", "--", q});
        log("git add " + q);
      }
      return;
    }
    switch (op) {
      case 0: modify_text(p); break;
      case 1:
        modify_text(p);
        m_repo.git({"add", "-f", "--", p});
        log("git add -f " + p);
        if (chance(50)) modify_text(p);
        break;
      case 2:
        m_repo.remove(p);
        m_paths.erase(p);
        log("rm " + p);
        break;
      case 3:
        if (m_repo.run_git({"rm", "-q", "--cached", "--", p}).status == 0) {
          log("git rm --cached " + p);
          if (chance(50)) {
            m_repo.remove(p);
            m_paths.erase(p);
            log("rm " + p);
          }
        }
        break;
      case 4:
      case 5: {
        const std::string q = fresh_path();
        if (m_repo.run_git({"mv", "--", p, q}).status == 0) {
          log("git mv " + p + " " + q);
          m_paths.erase(p);
          m_paths.insert(q);
          if (m_links.erase(p)) m_links.insert(q);
          if (chance(40)) modify_text(q);
        }
        break;
      }
      case 6:
        if (!m_links.contains(p)) {
          const bool exec = chance(50);
          m_repo.set_executable(p, exec);
          log(std::string(exec ? "chmod +x " : "chmod -x ") + p);
          if (chance(30)) {
            m_repo.git({"add", "-f", "--", p});
            log("git add -f " + p);
          }
        }
        break;
      case 7:
        if (!m_links.contains(p)) {
          m_repo.write(p, binary());
          log("write binary " + p);
        }
        break;
      case 8:
        m_repo.write(p, "");
        m_links.erase(p);
        log("truncate " + p);
        break;
      case 9:
        m_repo.remove(p);
        m_repo.symlink("typechange-target", p);
        m_links.insert(p);
        log("replace with symlink " + p);
        break;
      case 10:
        m_repo.touch(p);
        log("touch " + p);
        break;
      default: break;
    }
  }

  TempGitRepo& m_repo;
  std::mt19937_64 m_rng;
  std::set<std::string> m_paths;
  std::set<std::string> m_links;
  std::vector<std::string> m_steps;
  bool m_eol_lf = false;
  bool m_unborn = false;
};

}  // namespace gavel::test
