"""Shared test helpers: the repo root and running the real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: str | os.PathLike[str] | None = None, env: dict[str, str] | None = None,
            input: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `python -m siksval ARGS` with this checkout importable; never inherits CI colour."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    full_env.pop("SIKSVAL_LANG", None)
    if env:
        full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "siksval", *args],
        cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout, input=input,
    )


@pytest.fixture
def cli():
    return run_cli
