#!/usr/bin/env python3
"""Fails when a module includes what docs/architecture.md says it must not.

Usage: layering_check.py REPO_ROOT
Reads every .hpp/.cpp under the module directories and checks each #include against RULES.
Prints every violation as FILE:LINE: MODULE must not include WHAT, and exits 1 if any.
"""
import pathlib
import re
import sys

OURS = {"base", "config", "review", "protocol", "client", "git", "agents", "loop", "daemon", "cli"}
THIRD_PARTY = {
    "asio": re.compile(r"^boost/asio"),
    "process": re.compile(r"^boost/process"),
    "curl": re.compile(r"^curl/"),
    "git2": re.compile(r"^git2"),
    "spdlog": re.compile(r"^spdlog/"),
    "sqlite": re.compile(r"^sqlite3"),
    "toml": re.compile(r"^toml\+\+/"),
    "cli11": re.compile(r"^CLI/"),
}
# module -> (modules of ours it may include, third-party families it must not include)
RULES = {
    "base": (set(), {"asio", "process", "curl", "git2", "spdlog", "sqlite", "toml", "cli11"}),
    "config": ({"base"}, {"asio", "process", "curl", "git2", "spdlog", "sqlite", "cli11"}),
    "review": ({"base"}, {"asio", "process", "curl", "git2", "spdlog", "sqlite", "toml", "cli11"}),
    "protocol": ({"base", "review"}, {"asio", "process", "curl", "git2", "spdlog", "sqlite", "toml", "cli11"}),
    "client": ({"base", "review", "protocol"}, {"process", "curl", "git2", "sqlite", "toml", "cli11"}),
    "git": ({"base", "review"}, {"asio", "process", "curl", "sqlite", "cli11"}),
    "agents": ({"base", "review", "config"}, {"git2", "sqlite", "cli11"}),
    "loop": ({"base", "review", "config", "git", "agents"}, {"sqlite", "cli11"}),
    "daemon": ({"base", "review", "config", "protocol", "git", "agents", "loop"}, {"cli11"}),
    "cli": ({"base", "review", "config", "protocol", "client", "git", "agents", "loop", "daemon"}, set()),
}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def check(root: pathlib.Path) -> list[str]:
    problems = []
    for module, (allowed, banned) in RULES.items():
        for path in sorted((root / module).rglob("*")):
            if path.suffix not in (".hpp", ".cpp", ".h"):
                continue
            for lineno, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = m.group(1)
                head = target.split("/", 1)[0]
                where = f"{path.relative_to(root)}:{lineno}"
                if "/" in target and head in OURS and head != module and head not in allowed:
                    problems.append(f"{where}: {module} must not include {target}")
                for family in banned:
                    if THIRD_PARTY[family].match(target):
                        problems.append(f"{where}: {module} must not include {target} ({family})")
    return problems


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    missing = [m for m in RULES if not (root / m).is_dir()]
    if missing:
        print(f"layering: module directories missing: {missing}")
        return 1
    problems = check(root)
    for p in problems:
        print(p)
    print(f"layering: {len(problems)} violation(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
