"""Vectorized decoding of NIK and No. KK columns.

Layout (domain.md §1.1, §1.2; sources S1–S4, S14):

* NIK  ``PP KK CC DDMMYY SSSS``: province, kab/kota, kecamatan of first registration, birth date
  with day + 40 for women, serial from 0001.
* No. KK ``PP KK CC DDMMYY SSSS``: region where the card was issued, issuance date DDMMYY
  (no +40 offset), family serial.

Everything here is a pure function over whole pandas Series: no Python loop over rows. The
functions never raise on odd input (empty, letters, unicode digits, 40-character junk); they
return flags instead, so rules can decide what to report. The decoded frames are computed once
per run (``ds.cached(...)``) and shared by the NIK/KK rules and the dedupe engine.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "KK_FUTURE_WINDOW_YEARS",
    "birth_ymd",
    "clean_id",
    "code_to_int",
    "decode_kk",
    "decode_nik",
    "decode_region_code",
    "digits_of",
    "excel_damage",
    "kk_columns",
    "nik_columns",
    "region_columns",
    "ymd",
]

ID_LENGTH = 16

# Separators people type inside identity numbers: dots, hyphens, any space (incl. NBSP).
_SEPARATORS = r"[.\-\s\x{00a0}]"
# Excel renders >= 12-digit numbers in "General" format as 3.27301E+15 (S86, S87); an
# Indonesian locale writes the decimal comma.
_SCIENTIFIC = r"[0-9]+(?:[.,][0-9]*)?[eE][+]?[0-9]+"
# A float that went through a numeric column: 3273011508950000.0. At least 13 digits before the
# point, so a dotted NIK ("3273.0115.0895.0000") never looks like one.
_FLOAT_TAIL = r"[0-9]{13,}[.,]0+"
# Excel keeps 15 significant digits: any 16-digit number that was a numeric cell has lost its
# last digit (domain.md §5.1).
_NUMERIC_DAMAGE_MIN = 1e15

# A KK's issuance year YY is read in the 100-year window that ends this many years after the
# reference date, so a card "issued" a few years in the future is still seen as future (KK004)
# rather than silently moved a century back.
KK_FUTURE_WINDOW_YEARS = 10

_DAMAGE_COLUMNS = ["excel_scientific", "excel_float", "excel_numeric", "damaged"]
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int16)


def _as_string(s: pd.Series) -> pd.Series:
    """Return ``s`` as pandas' string dtype (NA for missing), keeping the index."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
        return s
    # Numbers that reached us despite the contract (a DataFrame built by hand) are turned into
    # text the way a reader would show them; damage detection then sees e.g. "3.27301e+15".
    return s.astype("string[pyarrow]")


def _trim(s: pd.Series) -> pd.Series:
    """Strip surrounding spaces and a leading apostrophe (Excel's text marker)."""
    t = _as_string(s).str.strip().str.lstrip("'").str.strip()
    return t.mask(t == "")


def clean_id(s: pd.Series) -> pd.Series:
    """Clean an identity-number column: trim, drop a leading ``'`` and the separators ``.``, ``-``,
    spaces.

    Returns a string Series with NA where the cell is empty. The result is *not* validated: use
    :func:`decode_nik` / :func:`decode_kk` for flags.
    """
    t = _trim(s)
    # pyarrow's RE2 kernel directly: pandas' str.replace falls back to a Python loop here.
    arr = pc.replace_substring_regex(pa.array(t.array), _SEPARATORS, "")
    t = pd.Series(pd.array(arr, dtype="string[pyarrow]"), index=s.index)
    return t.mask(t == "")


def excel_damage(s: pd.Series, numeric: pd.Series | None = None) -> pd.DataFrame:
    """Flag Excel number damage in an identity column (domain.md §5.1, S86–S89).

    Columns of the result (all bool, same index as ``s``):
    ``excel_scientific`` (``3.27301E+15``), ``excel_float`` (``3273011508950000.0``),
    ``excel_numeric`` (a numeric xlsx cell holding a number >= 10^15, whose 16th digit Excel
    lost) and ``damaged`` (any of them). ``numeric`` is the bool Series telling which cells were
    numeric in the source file (``Dataset.numeric_cells[col]``); None means "no numeric cells".
    """
    t = _trim(s)
    sci = t.str.fullmatch(_SCIENTIFIC).fillna(False).astype(bool)
    flt = t.str.fullmatch(_FLOAT_TAIL).fillna(False).astype(bool)
    if numeric is None:
        num = pd.Series(False, index=s.index)
    else:
        is_num = numeric.reindex(s.index).fillna(False).astype(bool)
        num = pd.Series(False, index=s.index)
        if is_num.any():
            sub = t[is_num].str.replace(",", ".", regex=False)
            val = pd.to_numeric(sub, errors="coerce")
            num.loc[is_num] = (val >= _NUMERIC_DAMAGE_MIN).fillna(False).astype(bool)
    out = pd.DataFrame(
        {"excel_scientific": sci, "excel_float": flt, "excel_numeric": num}, index=s.index
    )
    out["damaged"] = sci | flt | num
    return out


def digits_of(clean: pd.Series, ok: np.ndarray, width: int = ID_LENGTH) -> np.ndarray:
    """Return an ``(n, width)`` uint8 matrix of the digits of ``clean`` (rows where ``ok``).

    Rows not ``ok`` are zeros. ``clean`` must hold exactly ``width`` ASCII digits where ``ok``.
    Reads pyarrow's contiguous character buffer directly, which is what makes decoding a
    million NIKs take milliseconds instead of seconds.
    """
    n = len(clean)
    if n == 0:
        return np.zeros((0, width), dtype=np.uint8)
    filled = clean.where(ok, "0" * width).astype("string[pyarrow]")
    arr = pa.array(filled.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    off_type = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(arr.buffers()[1], dtype=off_type)[arr.offset : arr.offset + n + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    return (data.reshape(n, width) - ord("0")).astype(np.uint8)


def _num(d: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Integer value of digit columns ``start:stop`` of a digit matrix."""
    out = np.zeros(d.shape[0], dtype=np.int64)
    for j in range(start, stop):  # loops over digit positions (<= 16), never over rows
        out = out * 10 + d[:, j]
    return out


def _is_leap(year: np.ndarray) -> np.ndarray:
    return (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))


def _calendar_ok(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """True where (year, month, day) is a real calendar date (Gregorian, 29 Feb in leap years)."""
    month_ok = (month >= 1) & (month <= 12)
    dim = _DAYS_IN_MONTH[np.where(month_ok, month, 0)] + ((month == 2) & _is_leap(year))
    return month_ok & (day >= 1) & (day <= dim)


def _make_dates(year: np.ndarray, month: np.ndarray, day: np.ndarray, ok: np.ndarray) -> pd.Series:
    """datetime64[s] values for rows ``ok`` (NaT elsewhere), built with numpy arithmetic."""
    y = np.where(ok, year, 1970)
    m = np.where(ok, month, 1)
    d = np.where(ok, day, 1)
    months = ((y - 1970) * 12 + (m - 1)).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + (d - 1).astype("timedelta64[D]")
    out = days.astype("datetime64[s]")
    out[~ok] = np.datetime64("NaT")
    return out


def _ordinal(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    return year * 10000 + month * 100 + day


def _as_of_parts(as_of: _dt.date | str | None) -> _dt.date:
    if as_of is None:
        return _dt.date.today()
    if isinstance(as_of, str):
        return _dt.date.fromisoformat(as_of)
    if isinstance(as_of, _dt.datetime):
        return as_of.date()
    return as_of


def _nullable(values: np.ndarray, valid: np.ndarray, dtype: str, index: pd.Index) -> pd.Series:
    """A nullable integer Series: ``values`` where ``valid``, NA elsewhere."""
    np_dtype = {"Int8": np.int8, "Int16": np.int16, "Int32": np.int32}[dtype]
    arr = pd.arrays.IntegerArray(np.where(valid, values, 0).astype(np_dtype), ~valid)
    return pd.Series(arr, index=index)


def _decode_common(
    s: pd.Series, numeric: pd.Series | None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Clean-up, shape and damage flags shared by NIK and KK; returns (frame, ok, digits)."""
    t = _as_string(s)
    # Nearly every value is already 16 plain digits: one regex pass finds those, and only the
    # others (and numeric xlsx cells) go through clean-up and damage detection.
    plain = t.str.fullmatch("[0-9]{16}").fillna(False).to_numpy(bool)
    num = np.zeros(len(t), dtype=bool)
    if numeric is not None:
        num = numeric.reindex(s.index).fillna(False).to_numpy(bool)
    rest = ~plain
    clean = t.copy()
    length = np.full(len(t), ID_LENGTH, dtype=np.int64)
    digits_only = plain.copy()
    if rest.any():
        cleaned = clean_id(t[rest])
        clean = t.where(plain, cleaned.reindex(t.index))
        length[rest] = cleaned.str.len().fillna(-1).to_numpy(dtype=np.int64)
        digits_only[rest] = cleaned.str.fullmatch("[0-9]+").fillna(False).to_numpy(bool)
    dmg = pd.DataFrame(False, index=s.index, columns=_DAMAGE_COLUMNS)
    check = rest | num
    if check.any():
        sub = excel_damage(t[check], None if numeric is None else numeric.reindex(s.index)[check])
        dmg.loc[check, :] = sub.to_numpy()
    present = clean.notna().to_numpy()
    ok = digits_only & (length == ID_LENGTH) & ~dmg["damaged"].to_numpy(bool)
    out = pd.DataFrame(
        {
            "clean": clean,
            "present": present,
            "digits_only": digits_only,
            "length": _nullable(length, present, "Int16", s.index),
        },
        index=s.index,
    )
    out = pd.concat([out, dmg.astype(bool)], axis=1)
    out["ok"] = ok
    return out, ok, digits_of(clean, ok)


def ymd(dates: pd.Series | None, index: pd.Index) -> tuple[np.ndarray, ...]:
    """Year, month, day (int64) and a validity mask of a date column, with numpy only.

    ``dates`` None (no such column) gives all-invalid parts. Much faster than ``.dt.year`` etc.
    on a million rows.
    """
    n = len(index)
    if dates is None:
        zero = np.zeros(n, dtype=np.int64)
        return zero, zero, zero, np.zeros(n, dtype=bool)
    v = pd.to_datetime(dates.reindex(index), errors="coerce").to_numpy("datetime64[D]")
    valid = ~np.isnat(v)
    v = np.where(valid, v, np.datetime64("1970-01-01", "D"))
    months = v.astype("datetime64[M]")
    year = v.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (v - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day, valid


def decode_nik(
    nik: pd.Series,
    *,
    as_of: _dt.date | str | None = None,
    tgl_lahir: pd.Series | None = None,
    numeric: pd.Series | None = None,
) -> pd.DataFrame:
    """Decode a NIK column into a DataFrame (same index) of flags and parts.

    Parameters
    ----------
    nik: the NIK column as read (text).
    as_of: reference date; picks the century when ``tgl_lahir`` does not (default today).
    tgl_lahir: the record's birth date (datetime64, NaT when unknown). When its year ends in the
        NIK's YY, its century is used; otherwise the latest century that does not put the birth
        date after ``as_of``.
    numeric: bool Series, True where the source xlsx cell was numeric (Excel damage).

    Columns: ``clean`` (string), ``present``, ``digits_only``, ``length``, ``excel_scientific``,
    ``excel_float``, ``excel_numeric``, ``damaged``, ``ok`` (16 digits and not damaged: the
    NIK003–NIK009 population), ``prov`` (e.g. 32), ``kab`` (4 digits, 3273), ``kec`` (6 digits),
    ``day_raw`` (DD as written), ``day`` (minus 40 for women), ``month``, ``yy``, ``female``,
    ``sex`` (1 = L, 2 = P), ``birth_year``, ``date_valid``, ``birth_date`` (datetime64[s], NaT
    unless valid), ``serial``, ``serial_zero``. Part columns are nullable and NA unless ``ok``.
    """
    ref = _as_of_parts(as_of)
    out, ok, d = _decode_common(nik, numeric)
    idx = nik.index
    day_raw = _num(d, 6, 8)
    month = _num(d, 8, 10)
    yy = _num(d, 10, 12)
    female = day_raw > 40
    day = np.where(female, day_raw - 40, day_raw)
    # Day codes outside 01-31 / 41-71 are no date at all (python-stdnum's day % 40 wrongly
    # accepts 81-91, domain.md §1.7).
    day_code_ok = ((day_raw >= 1) & (day_raw <= 31)) | ((day_raw >= 41) & (day_raw <= 71))

    # Century: the latest one that does not put the birth date after the reference date...
    year = (ref.year // 100) * 100 + yy
    future = _ordinal(year, month, day) > _ordinal(ref.year, ref.month, ref.day)
    year = np.where(future, year - 100, year)
    # ...unless the record's own birth date has the same YY: then trust its century.
    if tgl_lahir is not None:
        tl_year, _, _, tl_valid = ymd(tgl_lahir, idx)
        year = np.where(tl_valid & (tl_year % 100 == yy), tl_year, year)

    date_valid = ok & day_code_ok & _calendar_ok(year, month, day)
    serial = _num(d, 12, 16)
    out["prov"] = _nullable(_num(d, 0, 2), ok, "Int16", idx)
    out["kab"] = _nullable(_num(d, 0, 4), ok, "Int16", idx)
    out["kec"] = _nullable(_num(d, 0, 6), ok, "Int32", idx)
    out["day_raw"] = _nullable(day_raw, ok, "Int8", idx)
    out["day"] = _nullable(day, ok, "Int8", idx)
    out["month"] = _nullable(month, ok, "Int8", idx)
    out["yy"] = _nullable(yy, ok, "Int8", idx)
    out["female"] = ok & female
    out["sex"] = _nullable(np.where(female, 2, 1), ok & day_code_ok, "Int8", idx)
    out["birth_year"] = _nullable(year, ok, "Int16", idx)
    out["date_valid"] = date_valid
    out["birth_date"] = pd.Series(_make_dates(year, month, day, date_valid), index=idx)
    out["serial"] = _nullable(serial, ok, "Int16", idx)
    out["serial_zero"] = ok & (serial == 0)
    return out


def decode_kk(
    kk: pd.Series,
    *,
    as_of: _dt.date | str | None = None,
    numeric: pd.Series | None = None,
) -> pd.DataFrame:
    """Decode a No. KK column (same clean-up and damage flags as :func:`decode_nik`).

    Digits 7–12 are the issuance date DDMMYY without the +40 offset (domain.md §1.2, S14). The
    year is read in the 100-year window ending ``KK_FUTURE_WINDOW_YEARS`` after ``as_of``.

    Columns: ``clean``, ``present``, ``digits_only``, ``length``, the ``excel_*`` flags,
    ``damaged``, ``ok``, ``prov``, ``kab``, ``kec``, ``day``, ``month``, ``yy``, ``issue_year``,
    ``date_valid``, ``issue_date`` (datetime64[s]), ``after_as_of`` (a valid date later than the
    reference date), ``serial``.
    """
    ref = _as_of_parts(as_of)
    out, ok, d = _decode_common(kk, numeric)
    idx = kk.index
    day = _num(d, 6, 8)
    month = _num(d, 8, 10)
    yy = _num(d, 10, 12)
    lo = ref.year + KK_FUTURE_WINDOW_YEARS - 99
    year = lo + (yy - lo) % 100
    date_valid = ok & _calendar_ok(year, month, day)
    after = date_valid & (_ordinal(year, month, day) > _ordinal(ref.year, ref.month, ref.day))
    out["prov"] = _nullable(_num(d, 0, 2), ok, "Int16", idx)
    out["kab"] = _nullable(_num(d, 0, 4), ok, "Int16", idx)
    out["kec"] = _nullable(_num(d, 0, 6), ok, "Int32", idx)
    out["day"] = _nullable(day, ok, "Int8", idx)
    out["month"] = _nullable(month, ok, "Int8", idx)
    out["yy"] = _nullable(yy, ok, "Int8", idx)
    out["issue_year"] = _nullable(year, ok, "Int16", idx)
    out["date_valid"] = date_valid
    out["issue_date"] = pd.Series(_make_dates(year, month, day, date_valid), index=idx)
    out["after_as_of"] = after
    out["serial"] = _nullable(_num(d, 12, 16), ok, "Int16", idx)
    return out


def code_to_int(clean: pd.Series, width: int) -> np.ndarray:
    """int64 value of cleaned codes that are exactly ``width`` ASCII digits, -1 elsewhere."""
    pattern = f"[0-9]{{{width}}}"
    ok = _as_string(clean).str.fullmatch(pattern).fillna(False).to_numpy(bool)
    d = digits_of(clean, ok, width)
    return np.where(ok, _num(d, 0, width), -1)


def decode_region_code(code: pd.Series) -> pd.DataFrame:
    """Decode a ``kode_wilayah`` column (dotted ``32.73.01.1001`` or plain ``3273011001``).

    Columns: ``clean`` (digits and anything else, separators removed), ``present``, ``code``
    (int64 of a 10-digit code, -1 otherwise), ``kab`` (its first four digits, -1 otherwise).
    """
    t = _as_string(code)
    # Plain 10-digit codes (the usual case) skip the clean-up regexes.
    plain = t.str.fullmatch("[0-9]{10}").fillna(False).to_numpy(bool)
    clean = t if plain.all() else t.where(plain, clean_id(t[~plain]).reindex(t.index))
    value = code_to_int(clean, 10)
    return pd.DataFrame(
        {
            "clean": clean,
            "present": clean.notna().to_numpy(),
            "code": value,
            "kab": np.where(value >= 0, value // 1_000_000, -1),
        },
        index=code.index,
    )


# --- Dataset adapters: ds.cached(nik_columns) etc. compute each decoding once per run ----------


SPREADSHEET_FORMATS = frozenset({"xlsx", "xlsm", "xlsb", "xls", "ods"})


def _numeric_flags(ds, column: str) -> pd.Series | None:
    """Numeric-cell flags of an xlsx source. Only Excel loses the 16th digit: an int64 Parquet
    column or a caller's integer DataFrame column holds the exact number (rules.md NIK002)."""
    source = getattr(ds, "source", None)
    # Every spreadsheet format the reader opens stores numbers as doubles (15 digits).
    if source is None or getattr(source, "format", None) not in SPREADSHEET_FORMATS:
        return None
    cells = getattr(ds, "numeric_cells", None)
    if cells is None or column not in cells.columns:
        return None
    return cells[column]


def nik_columns(ds) -> pd.DataFrame:
    """:func:`decode_nik` of the dataset's ``nik`` column (with its tgl_lahir and numeric cells).

    Use as ``ds.cached(nik_columns)`` so rules and dedupe share one decoding.
    """
    f = ds.frame
    return decode_nik(
        f["nik"],
        as_of=ds.as_of,
        tgl_lahir=f["tgl_lahir"] if "tgl_lahir" in f.columns else None,
        numeric=_numeric_flags(ds, "nik"),
    )


def kk_columns(ds) -> pd.DataFrame:
    """:func:`decode_kk` of the dataset's ``no_kk`` column; use as ``ds.cached(kk_columns)``."""
    return decode_kk(ds.frame["no_kk"], as_of=ds.as_of, numeric=_numeric_flags(ds, "no_kk"))


def birth_ymd(ds) -> tuple[np.ndarray, ...]:
    """:func:`ymd` of ``tgl_lahir``; use as ``ds.cached(birth_ymd)``."""
    f = ds.frame
    return ymd(f["tgl_lahir"] if "tgl_lahir" in f.columns else None, f.index)


def region_columns(ds) -> pd.DataFrame:
    """:func:`decode_region_code` of ``kode_wilayah``; use as ``ds.cached(region_columns)``."""
    return decode_region_code(ds.frame["kode_wilayah"])
