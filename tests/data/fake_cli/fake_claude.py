#!/usr/bin/env python3
"""A fake `claude -p --output-format json ...` for the preset tests (copied in as `claude`).

Answers with a result object whose structured_output records what it was given: argv, stdin,
cwd and CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC.
"""
import json
import os
import sys

given = {
    "args": sys.argv[1:],
    "stdin": sys.stdin.read(),
    "cwd": os.getcwd(),
    "nonessential": os.environ.get("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"),
}
print(json.dumps({
    "type": "result", "subtype": "success", "is_error": False, "num_turns": 1,
    "result": "", "stop_reason": "end_turn", "session_id": "fake", "total_cost_usd": 0.25,
    "usage": {"input_tokens": 5, "cache_creation_input_tokens": 0,
              "cache_read_input_tokens": 10, "output_tokens": 4},
    "structured_output": given,
}))
