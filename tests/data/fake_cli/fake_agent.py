#!/usr/bin/env python3
"""A fake agent CLI for gavel's process adapter tests: `fake_agent.py MODE ARGS...`.

Each mode imitates one behaviour of a real agent CLI (answering, failing, hanging, leaving
processes behind). Files named in ARGS are written for the test to observe (pids, "ready").
"""
import os
import signal
import subprocess
import sys
import time

GRANDCHILD = r"""
import os, signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
ready_dir = sys.argv[2]
with open(os.path.join(ready_dir, "grandchild.pid"), "w") as f:
    f.write(str(os.getpid()))
open(os.path.join(ready_dir, "grandchild.ready"), "w").close()
while True:
    time.sleep(1000)
"""


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def spawn_grandchild(marker, ready_dir, **kwargs):
    subprocess.Popen([sys.executable, "-c", GRANDCHILD, marker, ready_dir], **kwargs)
    while not os.path.exists(os.path.join(ready_dir, "grandchild.ready")):
        time.sleep(0.01)


def sleep_forever():
    while True:
        time.sleep(1000)


def main(argv):
    mode, args = argv[1], argv[2:]
    out = sys.stdout
    if mode == "echo-stdin":
        out.write("stdin:" + sys.stdin.read())
    elif mode == "echo-args":
        out.write("\n".join(args))
    elif mode == "cat-file":
        with open(args[0]) as f:
            out.write(f.read())
    elif mode == "print":
        out.write(args[0])
    elif mode == "write-output":  # PATH TEXT: the answer goes to a file, noise to stdout
        write(args[0], args[1])
        out.write("progress noise on stdout\n")
    elif mode == "exit":  # CODE MESSAGE
        sys.stderr.write(args[1])
        return int(args[0])
    elif mode == "signal":  # NUMBER
        sys.stdout.flush()
        os.kill(os.getpid(), int(args[0]))
        time.sleep(5)
    elif mode == "hang":
        sleep_forever()
    elif mode == "huge":  # BYTES to stdout, then a short answer
        chunk = "x" * 65536
        left = int(args[0])
        while left > 0:
            n = min(left, len(chunk))
            out.write(chunk[:n])
            left -= n
    elif mode == "env":
        out.write("\n".join(f"{k}={v}" for k, v in sorted(os.environ.items())))
    elif mode == "cwd":
        out.write(os.getcwd())
    elif mode == "file-info":  # PATH: its content, its dir's mode
        with open(args[0]) as f:
            content = f.read()
        mode_bits = os.stat(os.path.dirname(args[0])).st_mode & 0o777
        out.write(f"{oct(mode_bits)}\n{args[0]}\n{content}")
    elif mode == "pgid":
        out.write(f"{os.getpid()} {os.getpgid(0)}")
    elif mode == "leak-secret":  # NAME: print that variable to stderr and fail
        sys.stderr.write("debug: key is " + os.environ.get(args[0], "") + "\n")
        return 1
    elif mode == "replay":  # FILE [OUT_PATH OUT_SOURCE]: recorded stdout, maybe an -o file
        with open(args[0]) as f:
            out.write(f.read())
        if len(args) >= 3 and args[1] != "-":
            with open(args[2]) as src:
                write(args[1], src.read())
        if len(args) >= 4:
            return int(args[3])
    elif mode == "grandchild":  # READY_DIR MARKER: TERM-ignoring grandchild, then hang
        ready_dir, marker = args
        write(os.path.join(ready_dir, "child.pid"), str(os.getpid()))
        spawn_grandchild(marker, ready_dir)
        write(os.path.join(ready_dir, "ready"), "")
        sleep_forever()
    elif mode == "exit-leaving-grandchild":  # READY_DIR MARKER: answer, exit, leave it running
        ready_dir, marker = args
        write(os.path.join(ready_dir, "child.pid"), str(os.getpid()))
        spawn_grandchild(marker, ready_dir)
        out.write("done")
    elif mode == "term-handler":  # READY_DIR: exit cleanly on SIGTERM, noting it
        ready_dir = args[0]

        def on_term(signum, frame):
            write(os.path.join(ready_dir, "terminated"), "")
            sys.exit(0)

        signal.signal(signal.SIGTERM, on_term)
        write(os.path.join(ready_dir, "child.pid"), str(os.getpid()))
        write(os.path.join(ready_dir, "ready"), "")
        sleep_forever()
    elif mode == "ignore-term":  # READY_DIR: only SIGKILL stops it
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        write(os.path.join(args[0], "child.pid"), str(os.getpid()))
        write(os.path.join(args[0], "ready"), "")
        sleep_forever()
    else:
        sys.stderr.write("fake_agent: unknown mode " + mode + "\n")
        return 64
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
