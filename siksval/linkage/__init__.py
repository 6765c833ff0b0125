"""The duplicate-person engine (record linkage) behind DUP001–DUP003 and `siksval dedupe`.

names.py (Indonesian name normalisation) -> features.py (per-record features) -> blocking.py
(candidate pairs) -> compare.py (rapidfuzz comparison levels) -> score.py (Fellegi–Sunter, EM,
term frequencies, domain rules) -> cluster.py (guarded connected components) -> engine.py.

Named `linkage` rather than `dedupe` so that `siksval.dedupe` stays the public API function.
"""

from __future__ import annotations

from siksval.linkage.engine import (
    DEFAULT_THRESHOLD,
    LinkResult,
    evidence,
    find_duplicates,
    link_frames,
)
from siksval.linkage.names import normalize_names

__all__ = [
    "DEFAULT_THRESHOLD",
    "LinkResult",
    "evidence",
    "find_duplicates",
    "link_frames",
    "normalize_names",
]
