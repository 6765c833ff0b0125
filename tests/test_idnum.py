"""Tests for siksval.idnum: NIK / KK decoding. All numbers are synthetic."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siksval import refdata
from siksval.idnum import (
    clean_id,
    decode_kk,
    decode_nik,
    decode_region_code,
    digits_of,
    excel_damage,
)

AS_OF = dt.date(2026, 10, 31)


def one(nik: str, tgl: str | None = None, as_of: dt.date = AS_OF, numeric: bool = False):
    """Decode a single NIK and return its row as a dict."""
    tl = pd.Series(pd.to_datetime([tgl]))
    out = decode_nik(
        pd.Series([nik], dtype="string"), as_of=as_of, tgl_lahir=tl, numeric=pd.Series([numeric])
    )
    return out.iloc[0].to_dict()


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("3273011508950001", "3273011508950001"),
        ("  '3273011508950001 ", "3273011508950001"),
        ("3273.0115.0895.0001", "3273011508950001"),
        ("32-73-01-150895-0001", "3273011508950001"),
        ("3273 0115 0895 0001", "3273011508950001"),
        ("3273\u00a00115089500 01", "3273011508950001"),
        ("", None),
        ("  ' ", None),
        (None, None),
    ],
)
def test_clean_id(raw, expected):
    got = clean_id(pd.Series([raw], dtype="string")).iloc[0]
    assert (got is pd.NA and expected is None) or got == expected


def test_decode_man_and_woman():
    man = one("3273011508950001", "1995-08-15")
    assert man["ok"] and man["prov"] == 32 and man["kab"] == 3273 and man["kec"] == 327301
    assert (man["day"], man["month"], man["yy"], man["sex"]) == (15, 8, 95, 1)
    assert man["birth_date"] == pd.Timestamp("1995-08-15") and man["date_valid"]
    assert man["serial"] == 1 and not man["serial_zero"]
    woman = one("3273015508950002")
    assert woman["female"] and woman["sex"] == 2 and woman["day_raw"] == 55 and woman["day"] == 15


def test_woman_born_on_31st_is_day_71():
    r = one("3273017112990001")
    assert r["date_valid"] and r["female"] and r["birth_date"] == pd.Timestamp("1999-12-31")


@pytest.mark.parametrize("day", ["00", "32", "40", "72", "81", "91", "99"])
def test_impossible_day_codes(day):
    r = one(f"327301{day}01900001")
    assert r["ok"] and not r["date_valid"] and pd.isna(r["birth_date"])


def test_month_out_of_range():
    assert not one("3273011513900001")["date_valid"]
    assert not one("3273011500900001")["date_valid"]


def test_century_from_tgl_lahir_and_leap_years():
    # 29 Feb "00": 2000 is a leap year, 1900 is not.
    assert one("3273012902000001", "2000-02-29")["date_valid"]
    r = one("3273012902000001", "1900-03-01")
    assert r["birth_year"] == 1900 and not r["date_valid"]
    # no tgl_lahir: the latest century not in the future (2000 for as_of 2026) -> valid
    assert one("3273012902000001")["birth_year"] == 2000
    # reference date in 2100: 29 Feb 2100 does not exist
    r = one("3273012902000001", as_of=dt.date(2100, 6, 1))
    assert r["birth_year"] == 2100 and not r["date_valid"]


def test_century_reference_date_rule():
    assert one("3273011508300001")["birth_year"] == 1930  # 2030 would be in the future
    assert one("3273011508260001")["birth_year"] == 2026  # 15 Aug 2026 <= 31 Oct 2026
    assert one("3273011511260001")["birth_year"] == 1926  # 15 Nov 2026 > 31 Oct 2026
    # a tgl_lahir with another YY does not choose the century
    assert one("3273011508300001", "2030-01-01")["birth_year"] == 2030
    assert one("3273011508300001", "1985-01-01")["birth_year"] == 1930


def test_serial():
    assert one("3273011508950000")["serial_zero"]
    r = one("3273011508950010")
    assert r["serial"] == 10 and not r["serial_zero"]


@pytest.mark.parametrize(
    "raw, flag",
    [
        ("3.27301E+15", "excel_scientific"),
        ("3,27301E+15", "excel_scientific"),
        ("3.273011508950E15", "excel_scientific"),
        ("3273011508950000.0", "excel_float"),
        ("3273011508950000,00", "excel_float"),
    ],
)
def test_excel_damage_text(raw, flag):
    r = one(raw)
    assert r[flag] and r["damaged"] and not r["ok"]


def test_excel_damage_numeric_cell():
    r = one("3273011508950000", numeric=True)
    assert r["excel_numeric"] and r["damaged"] and not r["ok"]
    # the same text in a text cell is fine
    assert one("3273011508950000", numeric=False)["ok"]
    # a small number in a numeric cell is no 16-digit damage (it is NIK001's business)
    r = one("12345", numeric=True)
    assert not r["excel_numeric"] and not r["damaged"]


def test_dotted_nik_is_not_float_damage():
    r = one("3273.0115.0895.0000")
    assert not r["damaged"] and r["ok"] and r["serial_zero"]


@pytest.mark.parametrize(
    "raw, length, digits",
    [
        ("327301150895001", 15, True),
        ("32730115089500011", 17, True),
        ("3273O11508950001", 16, False),
        ("NIK", 3, False),
        ("\u0663" * 16, 16, False),  # Arabic-Indic digits are not NIK digits
    ],
)
def test_malformed_shapes(raw, length, digits):
    r = one(raw)
    assert not r["ok"] and r["length"] == length and r["digits_only"] == digits
    assert pd.isna(r["prov"]) and pd.isna(r["birth_date"])


def test_missing_is_not_present():
    out = decode_nik(pd.Series([None, "", "  "], dtype="string"), as_of=AS_OF)
    assert not out["present"].any() and not out["ok"].any()


def test_index_is_preserved_and_plain_object_input():
    s = pd.Series(["3273011508950001", 3273011508950001, None], index=[10, 20, 30], dtype=object)
    out = decode_nik(s, as_of=AS_OF)
    assert list(out.index) == [10, 20, 30]
    assert out.loc[10, "ok"] and out.loc[20, "ok"] and not out.loc[30, "present"]


def test_excel_damage_frame():
    s = pd.Series(["3.27301E+15", "3273011508950001", None])
    d = excel_damage(s, pd.Series([False, True, False]))
    assert d["damaged"].tolist() == [True, True, False]


def test_digits_of_sliced_and_chunked():
    s = pd.concat([pd.Series(["1234567890123456", "x"]), pd.Series(["6543210987654321"])])
    s = s.reset_index(drop=True).astype("string[pyarrow]").iloc[1:]
    m = digits_of(s, np.array([False, True]))
    assert m.tolist()[1] == [6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    assert m[0].sum() == 0


def test_kk_decoding():
    out = decode_kk(
        pd.Series(["3273011201150003", "3273013102150001", "3273010112260001", "3273015508950001"]),
        as_of=AS_OF,
    )
    assert out["issue_date"].iloc[0] == pd.Timestamp("2015-01-12")
    assert out["date_valid"].tolist() == [True, False, True, False]  # 31 Feb; day 55 (no +40)
    assert out["after_as_of"].tolist() == [False, False, True, False]  # 1 Dec 2026 > 31 Oct
    assert out["prov"].iloc[0] == 32 and out["serial"].iloc[0] == 3


def test_kk_century_window():
    out = decode_kk(pd.Series(["3273010101360001", "3273010101370001"]), as_of=AS_OF)
    assert out["issue_year"].tolist() == [2036, 1937]
    assert out["after_as_of"].tolist() == [True, False]


def test_empty_series():
    out = decode_nik(pd.Series([], dtype="string"), as_of=AS_OF)
    assert len(out) == 0 and "birth_date" in out
    assert len(decode_kk(pd.Series([], dtype=object), as_of=AS_OF)) == 0


_id_chars = st.sampled_from(list("0123456789") + list(".-' eE+,") + ["\u00a0", "A", "\u0663"])
_ids = st.one_of(st.none(), st.text(_id_chars, max_size=24), st.text(max_size=20))


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(_ids, max_size=12),
    numeric=st.lists(st.booleans(), min_size=12, max_size=12),
    as_of=st.dates(dt.date(1950, 1, 1), dt.date(2200, 12, 31)),
    years=st.lists(st.one_of(st.none(), st.integers(1700, 2250)), min_size=12, max_size=12),
)
def test_random_input_never_raises(values, numeric, as_of, years):
    s = pd.Series(values, dtype="string")
    n = len(s)
    tl = pd.Series(
        pd.to_datetime([None if y is None else f"{y}-06-15" for y in years[:n]], errors="coerce"),
        dtype="datetime64[s]",
    )
    out = decode_nik(s, as_of=as_of, tgl_lahir=tl, numeric=pd.Series(numeric[:n]))
    kk = decode_kk(s, as_of=as_of, numeric=pd.Series(numeric[:n]))
    reg = decode_region_code(s)
    assert len(out) == n and len(kk) == n and len(reg) == n
    assert len(refdata.looks_bps_style(reg["code"])) == n
    # invariants: decoded parts exist exactly for ok rows; valid dates only for ok rows
    assert (out["prov"].notna() == out["ok"]).all()
    assert not (out["date_valid"] & ~out["ok"]).any()
    assert (out["birth_date"].notna() == out["date_valid"]).all()
    assert not (out["ok"] & out["damaged"]).any()


@settings(max_examples=100, deadline=None)
@given(st.dates(dt.date(1901, 1, 1), dt.date(2026, 10, 31)), st.booleans(), st.integers(1, 9999))
def test_roundtrip_valid_dates(date, female, serial):
    day = date.day + (40 if female else 0)
    nik = f"327301{day:02d}{date.month:02d}{date.year % 100:02d}{serial:04d}"
    r = one(nik, date.isoformat())
    assert r["date_valid"] and r["birth_date"] == pd.Timestamp(date)
    assert r["sex"] == (2 if female else 1) and r["serial"] == serial


def test_decode_region_code():
    out = decode_region_code(pd.Series(["32.73.01.1001", " 3273011001", "327301100", None, "X"]))
    assert out["code"].tolist() == [3273011001, 3273011001, -1, -1, -1]
    assert out["kab"].tolist() == [3273, 3273, -1, -1, -1]
    assert out["present"].tolist() == [True, True, True, False, True]
