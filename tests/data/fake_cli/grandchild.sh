#!/bin/sh
# grandchild.sh READY_DIR MARKER: a CLI that started a tool which ignores SIGTERM, then hangs.
# sh, not python, so that it is up within milliseconds (the timeout test races its deadline).
echo $$ > "$1/child.pid"
sh -c 'trap "" TERM; echo $$ > "$1/grandchild.pid"; while :; do sleep 1; done' "$2" "$1" &
wait
