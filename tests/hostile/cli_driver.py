"""Run the real CLI entry point (`siksval.cli.main`) once per argument list, in one process.

Used by test_hostile.py in a subprocess, so that dozens of hostile inputs go through the real
command line (argument parsing, error printing, exit codes, output files) for the cost of one
interpreter start. Anything that escapes `main` (it should catch everything) is recorded with
its traceback, which the test then reports as a failure.

    python -m tests.hostile.cli_driver RUNS.json RESULTS.json

RUNS.json: a list of {"name": ..., "args": [...], "stdin": text or null}.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import traceback


def run(args: list[str], stdin: str | None) -> dict[str, object]:
    from siksval.cli import main

    out, err = io.StringIO(), io.StringIO()
    code: object = 0
    escaped = None
    old_stdin = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code
    except BaseException:  # noqa: BLE001 - record whatever escaped main, for the test to fail
        escaped = traceback.format_exc()
        code = None
    finally:
        sys.stdin = old_stdin
    return {"code": code, "stdout": out.getvalue(), "stderr": err.getvalue(), "escaped": escaped}


def main() -> None:
    runs = json.loads(open(sys.argv[1], encoding="utf-8").read())
    results = {r["name"]: run(r["args"], r.get("stdin")) for r in runs}
    with open(sys.argv[2], "w", encoding="utf-8") as fh:
        json.dump(results, fh)


if __name__ == "__main__":
    main()
