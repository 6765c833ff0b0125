"""Per-record features for matching, derived once from a canonical person frame.

Input columns (any may be missing): nik, nama, tgl_lahir, jenis_kelamin, nama_ibu_kandung,
no_kk, kode_wilayah, tempat_lahir, alamat, padan_dukcapil. The output holds plain numpy arrays
and pyarrow-backed string Series, so that blocking and comparison are array operations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from siksval.idnum import clean_id, digits_of
from siksval.linkage.names import name_parts, normalize_names, squash

__all__ = ["DEFAULT_DATES", "ROLES", "Records", "flags", "prepare", "with_flags"]

#: The roles a person list can give (report.md, `siksval dedupe --field ROLE=COL`).
ROLES = (
    "nik",
    "nama",
    "tgl_lahir",
    "jenis_kelamin",
    "nama_ibu_kandung",
    "no_kk",
    "kode_wilayah",
    "tempat_lahir",
    "alamat",
)

#: Birth dates given to people who did not know theirs (MMDD): 1 July, 31 December, 1 January
#: (domain.md §1.1, S7–S9). Agreement on them is weak evidence.
DEFAULT_DATES = (701, 1231, 101)

_STR = "string[pyarrow]"


@dataclass
class Records:
    """Matching features of n records (position i = record i of the input)."""

    n: int
    name: pd.Series  # normalised full name
    squash: pd.Series  # normalised, no spaces
    first: pd.Series
    last: pd.Series
    given: pd.Series
    ymd: np.ndarray  # yyyymmdd as int64, -1 when unknown
    default_date: np.ndarray  # bool
    sex: np.ndarray  # int8: 1 male, 2 female, 0 unknown (column, else NIK)
    nik: pd.Series  # clean 16-digit NIK or NA
    nik_ok: np.ndarray
    nik_digits: np.ndarray  # (n, 16) uint8
    nik_sex: np.ndarray  # int8 from the NIK day (+40 = female), 0 unknown
    mother: pd.Series
    kk: pd.Series
    wil: pd.Series  # region code digits (desa 10, kec 6, ...)
    tempat: pd.Series
    alamat: pd.Series
    padan: np.ndarray  # bool
    present: dict[str, bool] = field(default_factory=dict)
    cache: dict = field(default_factory=dict, repr=False)  # arrays derived by compare
    #: the whole list's `flags` when these records are a piece of a larger list (dask engine)
    whole: dict[str, bool] | None = None

    def has(self, role: str) -> bool:
        return self.present.get(role, False)

    def some(self, what: str) -> bool:
        """Whether any record of the whole list has `what` (see `flags`): the keys and the
        model a list gets depend on it, so a piece of a list asks about the whole list."""
        if self.whole is None:
            self.whole = flags(self)  # a whole list: its own flags
        return self.whole[what]


def flags(rec: Records) -> dict[str, bool]:
    """What the records hold at all: a valid NIK, a birth date, a region, a mother's name, an
    address (`some:<what>`), and each role's column (`has:<role>`). The flags of a list are
    the OR of the flags of its pieces (`with_flags`)."""
    out = {
        "nik": bool(rec.nik_ok.any()),
        "date": bool((rec.ymd >= 0).any()),
        "region": bool(rec.wil.notna().any()),
        "mother": bool(rec.mother.notna().any()),
        "alamat": bool(rec.alamat.notna().any()),
    }
    out.update({f"has:{r}": bool(v) for r, v in rec.present.items()})
    return out


def with_flags(rec: Records, whole: dict[str, bool]) -> Records:
    """`rec` as a piece of a list whose `flags` are `whole`."""
    rec.whole = dict(whole)
    rec.present = {k[4:]: v for k, v in whole.items() if k.startswith("has:")}
    return rec


def _text(frame: pd.DataFrame, col: str, n: int) -> pd.Series:
    if col not in frame.columns:
        return pd.Series(pd.NA, index=range(n), dtype=_STR)
    s = frame[col].reset_index(drop=True)
    return s.astype(_STR)


def _plain_text(s: pd.Series) -> pd.Series:
    """Upper case, only letters/digits and single spaces (addresses, places)."""
    t = s.str.upper().str.replace(r"[^A-Z0-9]+", " ", regex=True).str.strip()
    return t.mask(t == "")


def parse_ymd(values: pd.Series) -> np.ndarray:
    """Birth dates as yyyymmdd ints (-1 unknown) from datetimes or text.

    Text may be `YYYY-MM-DD`, `YYYYMMDD` or `DD-MM-YYYY` / `DD/MM/YYYY`. The parts are kept even
    when they make no calendar date (`19561309`), because a typo still says something.
    """
    s = values.reset_index(drop=True)
    n = len(s)
    if pd.api.types.is_datetime64_any_dtype(s):
        ok = s.notna().to_numpy()
        out = np.full(n, -1, dtype=np.int64)
        if ok.any():
            d = s[ok]
            out[ok] = (d.dt.year * 10000 + d.dt.month * 100 + d.dt.day).to_numpy(np.int64)
        return out
    t = s.astype(_STR).str.strip()
    iso = t.str.extract(r"^(\d{4})-?(\d{1,2})-?(\d{1,2})(?:$|[ T])")
    dmy = t.str.extract(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
    y = pd.to_numeric(iso[0], errors="coerce").fillna(pd.to_numeric(dmy[2], errors="coerce"))
    m = pd.to_numeric(iso[1], errors="coerce").fillna(pd.to_numeric(dmy[1], errors="coerce"))
    d = pd.to_numeric(iso[2], errors="coerce").fillna(pd.to_numeric(dmy[0], errors="coerce"))
    val = (y * 10000 + m * 100 + d).to_numpy(dtype="float64", na_value=np.nan)
    return np.where(np.isfinite(val), val, -1).astype(np.int64)


def _sex(frame: pd.DataFrame, n: int) -> np.ndarray:
    if "jenis_kelamin" not in frame.columns:
        return np.zeros(n, dtype=np.int8)
    s = frame["jenis_kelamin"].reset_index(drop=True)
    if pd.api.types.is_numeric_dtype(s):
        v = pd.to_numeric(s, errors="coerce")
    else:
        t = s.astype(_STR).str.strip().str.upper().str[:1]
        v = t.map({"1": 1, "2": 2, "L": 1, "M": 1, "P": 2, "F": 2, "W": 2}).astype("Float64")
    arr = v.to_numpy(dtype="float64", na_value=0)
    return np.where(np.isin(arr, (1, 2)), arr, 0).astype(np.int8)


def prepare(frame: pd.DataFrame, nik_decoded: pd.DataFrame | None = None) -> Records:
    """Features of every record of a canonical frame.

    `nik_decoded`: the Dataset's `nik_columns` decoding when there is one (derive once).
    """
    n = len(frame)
    present = {r: r in frame.columns and bool(frame[r].notna().any()) for r in ROLES}
    name = normalize_names(_text(frame, "nama", n))
    parts = name_parts(name)
    if nik_decoded is not None:
        nik = nik_decoded["clean"].reset_index(drop=True).astype(_STR)
        nik_ok = nik_decoded["ok"].to_numpy(bool)
    else:
        nik = clean_id(_text(frame, "nik", n))
        nik_ok = nik.str.fullmatch(r"[0-9]{16}").fillna(False).to_numpy(bool)
    nik = nik.where(nik_ok)
    digits = digits_of(nik.fillna("0" * 16), nik_ok)
    day_raw = digits[:, 6].astype(np.int16) * 10 + digits[:, 7]
    nik_sex = np.where(
        ~nik_ok, 0, np.where((day_raw >= 1) & (day_raw <= 31), 1, np.where(
            (day_raw >= 41) & (day_raw <= 71), 2, 0))
    ).astype(np.int8)
    sex = _sex(frame, n)
    sex = np.where(sex == 0, nik_sex, sex).astype(np.int8)
    ymd = parse_ymd(frame["tgl_lahir"]) if "tgl_lahir" in frame.columns else np.full(n, -1)
    default = (ymd >= 0) & np.isin(ymd % 10000, DEFAULT_DATES)
    kk = clean_id(_text(frame, "no_kk", n)) if "no_kk" in frame.columns else _text(frame, "x", n)
    wil = _text(frame, "kode_wilayah", n).str.replace(r"[^0-9]", "", regex=True)
    wil = wil.mask(wil == "")
    padan = (
        frame["padan_dukcapil"].reset_index(drop=True).fillna(False).astype(bool).to_numpy()
        if "padan_dukcapil" in frame.columns
        else np.zeros(n, dtype=bool)
    )
    return Records(
        n=n,
        name=name,
        squash=squash(name),
        first=parts["first"],
        last=parts["last"],
        given=parts["given"],
        ymd=ymd.astype(np.int64),
        default_date=default,
        sex=sex,
        nik=nik,
        nik_ok=nik_ok,
        nik_digits=digits,
        nik_sex=nik_sex,
        mother=normalize_names(_text(frame, "nama_ibu_kandung", n)),
        kk=kk,
        wil=wil,
        tempat=_plain_text(_text(frame, "tempat_lahir", n)),
        alamat=_plain_text(_text(frame, "alamat", n)),
        padan=padan,
        present=present,
    )
