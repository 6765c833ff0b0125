"""Record-level evidence for the ELG/EXC rules: deceased members, state employees, heads not
working, error-level NIKs. Text is matched on distinct values or with one pyarrow kernel call
over the column, never per record in Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from siksval.eligibility.codes import NIK_ERROR_CODES
from siksval.eligibility.policy import Policy

if TYPE_CHECKING:
    from siksval.dataset import Dataset

def _word_pattern(words: Iterable[str]) -> str | None:
    """A regex matching any of `words` as whole words: no letter or digit may touch it, so
    POLRI inside another word or ASN inside KASNI is no match. RE2 syntax (no lookarounds) for
    pyarrow's kernel; spaces inside a phrase match any run of spaces."""
    items = sorted({w.strip().upper() for w in words if w and w.strip()}, key=len, reverse=True)
    if not items:
        return None
    alt = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in items)
    return rf"(?:^|[^A-Z0-9])(?:{alt})(?:[^A-Z0-9]|$)"


def _contains(values: pd.Series, pattern: str | None) -> np.ndarray:
    """Case-insensitive regex search over a text Series in one pyarrow kernel call."""
    if pattern is None or values.empty:
        return np.zeros(len(values), dtype=bool)
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        arr = values.array._pa_array  # the Arrow data itself, no round trip through Python
    else:
        arr = pa.array(values.to_numpy(dtype=object, na_value=None), type=pa.string())
    hit = pc.match_substring_regex(arr, pattern, ignore_case=True)
    return hit.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


#: Category of a state-employee occupation: key, Bahasa label, English label, codes, keywords.
_EMPLOYEE_GROUPS: tuple[tuple[str, str, str, frozenset[int], tuple[str, ...]], ...] = (
    ("pns", "PNS/ASN", "a civil servant (PNS/ASN)", frozenset({5}),
     ("PNS", "CPNS", "ASN", "PPPK", "P3K", "PEGAWAI NEGERI", "APARATUR SIPIL NEGARA")),
    ("tni", "TNI", "a soldier (TNI)", frozenset({6}), ("TNI", "TENTARA")),
    ("polri", "POLRI", "a police officer (POLRI)", frozenset({7}),
     ("POLRI", "POLISI", "KEPOLISIAN")),
    ("bumn", "karyawan BUMN", "a state-owned enterprise employee (BUMN)", frozenset({16}),
     ("BUMN",)),
    ("bumd", "karyawan BUMD", "a regional enterprise employee (BUMD)", frozenset({17}),
     ("BUMD",)),
    ("pejabat", "pejabat negara", "a state official", frozenset(range(48, 64)),
     ("DPR", "DPRD", "DPD", "ANGGOTA BPK", "PRESIDEN", "MAHKAMAH KONSTITUSI", "KABINET",
      "MENTERI", "DUTA BESAR", "GUBERNUR", "BUPATI", "WALIKOTA", "WALI KOTA", "PEJABAT NEGARA")),
)
EMPLOYEE_LABELS: dict[str, tuple[str, str]] = {
    **{g[0]: (g[1], g[2]) for g in _EMPLOYEE_GROUPS},
    "lainnya": ("pegawai/pejabat negara", "a state employee or official"),
    "kedudukan": (
        "PNS/TNI/POLRI/BUMN/BUMD/pejabat negara (kedudukan kerja 5)",
        "a state employee or official (employment status 5)",
    ),
}


def _code_numbers(values: pd.Series) -> np.ndarray:
    """Integer occupation code of values written as a number (`5`, `05`, `5.0`), -1 otherwise."""
    num = values.str.extract(r"^0*(\d{1,3})(?:\.0+)?$", expand=False)
    return pd.to_numeric(num, errors="coerce").fillna(-1).astype("int64").to_numpy()


def classify_occupation(pekerjaan: pd.Series, policy: Policy) -> pd.Series:
    """State-employee category per record ('pns', 'tni', 'polri', 'bumn', 'bumd', 'pejabat',
    'lainnya' for user-added codes/keywords) or NA when the occupation is not one.

    Matches Dukcapil codes and label text on the distinct values only, with whole-word
    keywords and an exclusion list (PENSIUNAN, NON, MANTAN, ...) that vetoes a label.
    """
    codes, uniques = pd.factorize(pekerjaan, use_na_sentinel=True)
    if len(uniques) == 0:
        return pd.Series(pd.NA, index=pekerjaan.index, dtype="string")
    u = pd.Series(uniques, dtype="string").str.upper().str.replace(r"\s+", " ", regex=True)
    u = u.str.strip()
    num = _code_numbers(u)
    matched = np.isin(num, np.asarray(policy.state_employee_codes, dtype="int64"))
    matched |= _contains(u, _word_pattern(policy.state_employee_keywords))
    matched &= ~_contains(u, _word_pattern(policy.state_employee_exclude))
    category = np.full(len(u), None, dtype=object)
    category[matched] = "lainnya"
    # First group that explains the value names it (reverse order so earlier groups win).
    for key, _id, _en, group_codes, group_words in reversed(_EMPLOYEE_GROUPS):
        hit = np.isin(num, np.asarray(sorted(group_codes), dtype="int64"))
        hit |= _contains(u, _word_pattern(group_words))
        category[matched & hit] = key
    per_row = np.where(codes >= 0, category[np.maximum(codes, 0)], None)
    return pd.Series(per_row, index=pekerjaan.index, dtype="string")


def deceased_mask(ds: Dataset, policy: Policy) -> np.ndarray:
    """Records of people who died: `status_keberadaan` = 2 (MENINGGAL, Regsosek 404) or a name
    marked ALM./ALMH./ALMARHUM(AH)."""
    f = ds.frame
    out = np.zeros(len(f), dtype=bool)
    if "status_keberadaan" in f.columns:
        out |= (f["status_keberadaan"] == 2).fillna(False).to_numpy(dtype=bool)
    if "nama" in f.columns:
        out |= _contains(f["nama"], _word_pattern(policy.deceased_name_markers))
    return out


def employee_category(ds: Dataset, policy: Policy) -> pd.Series:
    """State-employee category per record from `pekerjaan`, else `kedudukan_kerja` = 5."""
    f = ds.frame
    cat = pd.Series(pd.NA, index=f.index, dtype="string")
    if "pekerjaan" in f.columns:
        cat = classify_occupation(f["pekerjaan"].astype("string"), policy)
    if "kedudukan_kerja" in f.columns:
        status5 = (f["kedudukan_kerja"] == 5).fillna(False)
        cat = cat.mask(cat.isna() & status5, "kedudukan")
    return cat


def not_working(ds: Dataset, policy: Policy) -> np.ndarray:
    """Records whose `pekerjaan` says not working (code 1 BELUM/TIDAK BEKERJA or a keyword);
    EXC002 applies it to the head of the family."""
    f = ds.frame
    if "pekerjaan" not in f.columns:
        return np.zeros(len(f), dtype=bool)
    codes, uniques = pd.factorize(f["pekerjaan"].astype("string"), use_na_sentinel=True)
    u = pd.Series(uniques, dtype="string").str.upper().str.strip()
    hit = np.isin(_code_numbers(u), np.asarray(policy.not_working_codes, dtype="int64"))
    # "BELUM/TIDAK BEKERJA" is Dukcapil's label for code 1.
    hit |= _contains(u.str.replace("/", " ", regex=False).str.replace(r"\s+", " ", regex=True),
                     _word_pattern((*policy.not_working_keywords, "BELUM TIDAK BEKERJA")))
    return np.where(codes >= 0, hit[np.maximum(codes, 0)] if len(hit) else False, False)


def bool_column(f: pd.DataFrame, col: str) -> np.ndarray:
    """A yes/no column as bool (missing column or value = False)."""
    if col not in f.columns:
        return np.zeros(len(f), dtype=bool)
    return f[col].fillna(False).astype(bool).to_numpy()


def isin_column(f: pd.DataFrame, col: str, codes: Iterable[int]) -> np.ndarray:
    """True where a coded column holds one of `codes` (missing column or value = False)."""
    if col not in f.columns:
        return np.zeros(len(f), dtype=bool)
    return f[col].isin(list(codes)).fillna(False).to_numpy(dtype=bool)


def numeric_column(f: pd.DataFrame, col: str) -> np.ndarray:
    """A numeric column as float64 with NaN for missing (all NaN when the column is absent)."""
    if col not in f.columns:
        return np.full(len(f), np.nan)
    s = f[col]
    if not pd.api.types.is_numeric_dtype(s):
        s = pd.to_numeric(s, errors="coerce")
    return s.to_numpy(dtype="float64", na_value=np.nan)


def nik_error_mask(ds: Dataset) -> np.ndarray:
    """True on records whose NIK has an error-level NIK finding (NIK001–NIK006).

    Runs the NIK rules of the registry themselves (siksval.rules.nik over the shared
    `ds.cached(nik_columns)` decoding, with the run's options for those rules), also when they
    are not selected, so ELG008 can never disagree with NIK001–NIK006.
    """
    from siksval.rules import Hits, load_rules

    registry = load_rules()
    out = np.zeros(len(ds.frame), dtype=bool)
    for code in NIK_ERROR_CODES:
        r = registry.get(code)
        if r is None or r.fn is None or ds.name not in r.info.datasets:
            continue
        if not all(ds.has(c) for c in r.info.columns):
            continue
        result = r.fn(ds, ds.config.options_for(code, dict(r.info.options)))
        if isinstance(result, Hits):
            out |= result.mask.fillna(False).astype(bool).to_numpy()
        elif isinstance(result, pd.DataFrame) and not result.empty:
            out |= ds.row.isin(result["row"].dropna().astype("int64")).to_numpy()
    return out
