#!/bin/sh
# Regenerates every case's change.diff from its before/ and after/ trees with git, the way
# the daemon's snapshot sees a worktree change. Run after editing a case; commit the result.
# Usage: tests/data/rules/regen.sh [CASE...]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
[ $# -gt 0 ] || set -- */
for case in "$@"; do
  case=${case%/}
  [ -d "$case/after" ] || continue
  tmp=$(mktemp -d)
  git -C "$tmp" init -q
  git -C "$tmp" config core.autocrlf false
  git -C "$tmp" config core.safecrlf false
  if [ -d "$case/before" ]; then cp -R "$case/before/." "$tmp/"; fi
  git -C "$tmp" add -A
  git -C "$tmp" -c user.name=corpus -c user.email=corpus@example.invalid \
    commit -q --allow-empty -m before
  find "$tmp" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
  cp -R "$case/after/." "$tmp/"
  git -C "$tmp" add -A
  git -C "$tmp" -c core.quotepath=false diff --cached --no-color --no-renames --no-ext-diff \
    -U3 > "$case/change.diff"
  rm -rf "$tmp"
  echo "regenerated $case/change.diff"
done
