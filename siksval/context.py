"""Record context for the reports: where each record a finding concerns lives, and who heads its
household.

Formatters read only the Report, but a field officer needs more than a record number: the desa,
the address, the KK and the head of the household to visit. The API attaches this context for
the records that findings and duplicate clusters mention (not for the whole file), so the
formatters can show it without touching the data. Personal data here is unmasked; formatters
mask it like every other value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from siksval.dataset import Dataset

#: Columns of `Report.context`, in this order.
CONTEXT_COLUMNS: tuple[str, ...] = (
    "source", "row", "kecamatan", "desa", "alamat", "kode_wilayah", "no_kk", "nik", "nama",
    "tgl_lahir", "nama_ibu_kandung", "kepala",
)

HEAD_CODE = 1  # hub_keluarga 1 = KEPALA KELUARGA (Regsosek 409)


def empty_context() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in CONTEXT_COLUMNS})


def rows_mentioned(findings: pd.DataFrame, duplicates: Iterable[dict[str, Any]] = ()) -> np.ndarray:
    """The 1-based record numbers the reports locate: each finding's `row` (the household's
    first record for household findings: its address and head stand for the household) and
    every record of the duplicate clusters (shown side by side)."""
    parts: list[np.ndarray] = []
    if not findings.empty:
        parts.append(pd.to_numeric(findings["row"], errors="coerce").dropna().to_numpy(np.int64))
    for cluster in duplicates:
        rows = cluster.get("rows") or []
        parts.append(np.asarray([int(r) for r in rows], dtype=np.int64))
    if not parts:
        return np.empty(0, dtype=np.int64)
    return np.unique(np.concatenate(parts))


def record_context(ds: Dataset, rows: np.ndarray, *, fill_names: bool = True) -> pd.DataFrame:
    """One row per record number in `rows` found in `ds` (CONTEXT_COLUMNS). `fill_names=False`
    leaves empty desa/kecamatan names as they are (the dask engine decides that for the whole
    report with `fill_region_names`)."""
    positions = pd.Index(ds.row.to_numpy()).get_indexer(rows)
    keep = positions >= 0
    positions, rows = positions[keep], rows[keep]
    if not len(positions):
        return empty_context()
    frame = ds.frame.iloc[positions]

    def col(name: str) -> pd.Series:
        if name in frame.columns:
            return frame[name].astype("string").reset_index(drop=True)
        return pd.Series(pd.NA, index=range(len(frame)), dtype="string")

    code = col("kode_wilayah")
    kecamatan, desa = col("kecamatan"), col("desa_kelurahan")
    if fill_names:
        kecamatan, desa = fill_region_names(code, kecamatan, desa)
    alamat = _address(col("alamat"), col("dusun"), col("rt"), col("rw"))
    nama = col("nama")
    if nama.isna().all() and "nama_lksa" in frame.columns:  # LKSA file: the institution
        nama = col("nama_lksa")
    birth = frame["tgl_lahir"] if "tgl_lahir" in frame.columns else None
    tgl = (
        pd.Series(pd.to_datetime(birth, errors="coerce").dt.strftime("%d-%m-%Y").to_numpy(),
                  dtype="string")
        if birth is not None
        else pd.Series(pd.NA, index=range(len(frame)), dtype="string")
    )
    out = pd.DataFrame(
        {
            "source": ds.source_label,
            "row": rows,
            "kecamatan": kecamatan,
            "desa": desa,
            "alamat": alamat,
            "kode_wilayah": code,
            "no_kk": col("no_kk"),
            "nik": col("nik"),
            "nama": nama,
            "tgl_lahir": tgl,
            "nama_ibu_kandung": col("nama_ibu_kandung"),
            "kepala": _heads(ds, positions),
        }
    )
    return out.astype(object).where(out.notna(), None)


def fill_region_names(
    code: pd.Series, kecamatan: pd.Series, desa: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """When the file gives no desa (or no kecamatan) names, take them from the region codes."""
    if code.notna().any() and (desa.isna().all() or kecamatan.isna().all()):
        names_desa, names_kec = _region_names(code)
        desa = desa.fillna(names_desa)
        kecamatan = kecamatan.fillna(names_kec)
    return kecamatan, desa


def _region_names(code: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Desa and kecamatan names from the Kemendagri list for 10-digit region codes."""
    from siksval import refdata

    digits = pd.to_numeric(code.str.replace(".", "", regex=False), errors="coerce")
    desa = digits.map(refdata.villages()).astype("string")
    kec = (digits // 10_000).map(refdata.districts()).astype("string")
    return desa, kec


def _address(alamat: pd.Series, dusun: pd.Series, rt: pd.Series, rw: pd.Series) -> pd.Series:
    """`KP. SUKAMAJU, DUSUN PASIR, RT 005/RW 006` from whatever parts are present."""
    rtrw = ("RT " + rt.fillna("-") + "/RW " + rw.fillna("-")).where(rt.notna() | rw.notna())
    out = pd.Series("", index=alamat.index, dtype="string")
    for part in (alamat, dusun, rtrw):
        part = part.fillna("").str.strip()
        glued = out.where(out == "", out + ", ") + part
        # "DUSUN KAUMAN RT 001" already names the dusun: don't repeat it.
        known = np.fromiter((b in a for a, b in zip(out.tolist(), part.tolist(), strict=True)),
                            bool, len(out))
        known |= (part.str.startswith("RT ") & out.str.contains(r"\bRT\b", regex=True)).to_numpy(bool)
        out = out.where((part == "") | known, glued)
    return out.replace("", pd.NA)


def _heads(ds: Dataset, positions: np.ndarray) -> pd.Series:
    """The name of the head (hub_keluarga 1) of each record's household."""
    n = len(positions)
    if "hub_keluarga" not in ds.frame.columns or "nama" not in ds.frame.columns:
        return pd.Series(pd.NA, index=range(n), dtype="string")
    codes = ds.hh_codes
    is_head = (ds.frame["hub_keluarga"] == HEAD_CODE).fillna(False).to_numpy(bool) & (codes >= 0)
    heads = pd.Series(ds.frame["nama"].to_numpy()[is_head], index=codes[is_head])
    heads = heads[~heads.index.duplicated()]
    return pd.Series(codes[positions]).map(heads).astype("string").reset_index(drop=True)
