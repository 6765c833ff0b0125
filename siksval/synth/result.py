"""The value returned by the generators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

TRUTH_COLUMNS = ["code", "dataset", "row", "rows", "no_kk", "nik", "column", "injected", "note"]


def empty_truth() -> pd.DataFrame:
    """An empty truth table with the documented columns."""
    out = pd.DataFrame({c: pd.Series(dtype="object") for c in TRUTH_COLUMNS})
    out["row"] = out["row"].astype("Int64")
    return out


@dataclass
class SynthResult:
    """A synthetic export and the findings it must produce.

    ``frame``: the canonical typed frame (what the schema step would yield from the rendered
    file): one row per record, RangeIndex, record number = index + 1. Cells whose raw text is
    not representable in the typed frame (an unparseable date, a code that does not exist) are
    NA here and their raw text is in ``overrides``.
    ``overrides``: DataFrame (idx = 0-based row, column = canonical name, raw = text written to
    the file instead of the typed value).
    ``truth``: expected findings, columns ``code, dataset, row, rows, no_kk, nik, column,
    injected, note``: ``row`` 1-based record number (first record of the household for
    household rules, first record of the cluster for DUP, NA for file-level findings such as
    SCH001/SCH006),
    ``rows`` space-separated 1-based record numbers, ``injected`` the defect code whose
    injection causes this finding (differs from ``code`` for documented cascades).
    ``near_misses``: records that look suspicious but must NOT be reported (twins, siblings
    born the same year, LKSA children who left their family): columns ``kind, dataset, rows,
    note``.
    ``extra``: other datasets generated together (``lksa``, ``lksa_anak``, ``dtks``).
    """

    dataset: str
    frame: pd.DataFrame
    truth: pd.DataFrame
    overrides: pd.DataFrame
    near_misses: pd.DataFrame
    as_of: dt.date
    seed: int
    dropped_columns: list[str] = field(default_factory=list)
    extra: dict[str, SynthResult] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.frame)
