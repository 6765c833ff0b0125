"""Keep freed memory for reuse in the CLI process (glibc).

glibc serves every allocation above 32 MB (a column of 5 million int64 values is 40 MB) with
its own mmap and returns it to the kernel on free, so the next array of that size is
page-faulted in again, 4 KB at a time. On a 5M-row check that was 21 million page faults
and 74 s of system time, a third of the wall time (bench/RESULTS.md). Serving large blocks
from the heap and not trimming it lets freed arrays be reused: the process keeps its peak
working set instead of handing it back between steps, which is what a batch check wants.
"""

from __future__ import annotations

import ctypes
import sys

__all__ = ["keep_freed_memory"]

# mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4
#: Free memory at the top of the heap beyond this is returned to the kernel (mallopt takes an
#: int: 2 GB is the largest value).
_TRIM_THRESHOLD = 2**31 - 1


def keep_freed_memory() -> bool:
    """Tell glibc malloc to serve large blocks from the heap and keep freed memory; False
    where that does not apply (not Linux/glibc)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl or another libc: nothing to tune
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_MAX, 0)) and bool(mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD))
