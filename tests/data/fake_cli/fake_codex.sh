#!/bin/sh
# A fake `codex exec --json ...` for the preset tests (copied into a temp dir as `codex`).
# Writes what it was given (argv, stdin, the --output-schema file, cwd) to the -o file as its
# "final message", and prints codex-style JSONL events with usage on stdout.
out=""
schema=""
prev=""
for a in "$@"; do
  [ "$prev" = "-o" ] && out="$a"
  case "$a" in --output-schema=*) schema="${a#--output-schema=}" ;; esac
  prev="$a"
done
stdin=$(cat)
{
  printf 'ARGS:'
  printf ' %s' "$@"
  printf '\nSTDIN:%s\nSCHEMA:' "$stdin"
  [ -n "$schema" ] && cat "$schema"
  printf '\nCWD:%s\n' "$(pwd)"
} > "$out"
echo '{"type":"thread.started","thread_id":"fake"}'
echo '{"type":"turn.started"}'
echo '{"type":"turn.completed","usage":{"input_tokens":7,"cached_input_tokens":2,"output_tokens":3}}'
