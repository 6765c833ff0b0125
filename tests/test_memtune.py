"""The CLI keeps freed memory: a second large array reuses the first one's pages."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import resource, sys
import numpy as np
from siksval.memtune import keep_freed_memory
if sys.argv[1] == "keep":
    assert keep_freed_memory()
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
a = np.ones(8_000_000)  # 64 MB: above glibc's largest mmap threshold (32 MB)
del a
before = faults()
b = np.ones(8_000_000)
print(faults() - before)
"""


def _faults(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True,
                         check=True)
    return int(out.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc tuning")
def test_freed_large_array_is_reused_without_page_faults() -> None:
    default, kept = _faults("default"), _faults("keep")
    # default: the 64 MB are mapped afresh (16,000 4 KB pages, or 2 MB huge pages: ~800
    # faults on the CI machine); kept: the freed heap block is reused (0 faults there)
    assert kept * 4 < default
