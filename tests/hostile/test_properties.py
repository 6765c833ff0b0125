"""Property-based tests: random input never raises anything but the documented error.

* readers: any bytes under any name -> a table of text cells, or UserError;
* the whole check on a DTKS-shaped file of random cells -> a Report, or UserError;
* the NIK/KK decoder: any text (Unicode digits, huge strings, numbers given as floats) -> a
  frame of flags with the documented invariants, never an exception;
* the date parser of the schema step: any text, any numeric flags -> dates or the "cannot
  parse" mask, never an exception; real dates written in every accepted format read back.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import siksval
from siksval.config import Config
from siksval.errors import UserError
from siksval.idnum import decode_kk, decode_nik
from siksval.io.read import RawTable, read_table
from siksval.schema import parse_dates
from tests.pipeline_fixtures import SIKS_HEADER


def fast(n: int) -> settings:
    return settings(max_examples=n, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

MAGIC = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PAR1", b"\xef\xbb\xbf",
         b"\xff\xfe", b"\xfe\xff", b"\x1f\x8b", b"<html>", b"<?xml "]
SUFFIXES = [".csv", ".txt", ".tsv", ".xlsx", ".xls", ".ods", ".xlsb", ".parquet", ""]


def _read(data: bytes, suffix: str) -> RawTable | UserError:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"masukan{suffix}"
        path.write_bytes(data)
        try:
            table = read_table(path)
        except UserError as exc:
            assert str(path) in exc.message_en and "\n" not in exc.message_en
            return exc
        assert path.read_bytes() == data
    return table


def _assert_text_table(table: RawTable) -> None:
    frame = table.frame
    assert len(frame) == table.source.records > 0
    assert list(table.numeric_cells.columns) == list(frame.columns)
    assert frame.columns.is_unique
    for col in frame.columns:
        values = frame[col].dropna()
        assert all(isinstance(v, str) for v in values), col


@fast(120)
@given(st.sampled_from(MAGIC), st.binary(max_size=2048), st.sampled_from(SUFFIXES))
def test_any_bytes_read_as_a_table_or_a_user_error(magic: bytes, body: bytes, suffix: str) -> None:
    out = _read(magic + body, suffix)
    if isinstance(out, RawTable):
        _assert_text_table(out)


_cell = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_delim = st.sampled_from(["|", ";", ",", "\t"])


@fast(80)
@given(
    st.lists(st.lists(_cell, min_size=1, max_size=5), min_size=1, max_size=8),
    _delim,
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_delimited_text_reads_or_says_why(rows, delim, encoding, newline) -> None:
    text = newline.join(delim.join(r) for r in rows) + newline
    data = text.encode(encoding, errors="replace")
    out = _read(data, ".csv")
    if isinstance(out, RawTable):
        _assert_text_table(out)


# -- the whole check on DTKS-shaped files of random cells ----------------------------------

_hostile_cell = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", "-", "NULL", "3273011508800001", "3.27301E+15", "31-02-2010",
                     "1980-08-15", "29448", "=1+1", "L", "P", "YA", "11", "0", "1e308",
                     "9" * 40, "\u0663\u0662\u0667\u0663" * 4, "３２７３０１１５０８８０００01"]),
)


@fast(8)
@given(st.lists(st.lists(_hostile_cell, min_size=len(SIKS_HEADER), max_size=len(SIKS_HEADER)),
                min_size=1, max_size=6))
def test_check_on_random_cells_gives_a_report_or_a_user_error(rows) -> None:
    frame = pd.DataFrame(rows, columns=SIKS_HEADER)
    try:
        report = siksval.check(frame, as_of="2026-10-31", config=Config())
    except UserError:
        return
    assert report.records == len(rows)
    assert set(report.findings_raw["severity"]) <= {"error", "warning", "info"}
    report.to_json()  # the report itself renders


# -- NIK / KK decoder ------------------------------------------------------------------------

_unicode_digits = st.sampled_from([*"0123456789", "\u0663", "\uff13", "\u00b2", "\u2460",
                                   "\u09e9", " ", ".", "-", "'", "E", "+"])
_nik_like = st.one_of(
    st.none(),
    st.text(_unicode_digits, max_size=20),
    st.text(max_size=30),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)


@fast(80)
@given(
    st.lists(_nik_like, max_size=15),
    st.data(),
    st.dates(dt.date(1900, 1, 1), dt.date(2300, 1, 1)),
)
def test_nik_and_kk_decoders_never_raise(values, data, as_of) -> None:
    n = len(values)
    numeric = pd.Series(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    s = pd.Series(values, dtype=object)
    nik = decode_nik(s, as_of=as_of, numeric=numeric)
    kk = decode_kk(s, as_of=as_of, numeric=numeric)
    for out in (nik, kk):
        assert len(out) == n and out.index.equals(s.index)
        ok = out["ok"].to_numpy(dtype=bool)
        clean = out["clean"][ok]
        assert clean.str.fullmatch(r"[0-9]{16}").all(), clean.tolist()
        assert not (out["date_valid"].to_numpy(dtype=bool) & ~ok).any()
        assert not (ok & out["damaged"].to_numpy(dtype=bool)).any()


@fast(30)
@given(st.lists(st.one_of(st.none(), st.floats(), st.integers(0, 10**17)), max_size=10))
def test_decoders_accept_numbers_given_by_hand(values) -> None:
    """A DataFrame built by hand may hold numbers: they are read as text, never crash."""
    s = pd.Series(values, dtype=object)
    assert len(decode_nik(s, as_of="2026-10-31")) == len(values)
    assert len(decode_kk(pd.Series(values, dtype="float64"), as_of="2026-10-31")) == len(values)


# -- the date parser -------------------------------------------------------------------------

_date_text = st.one_of(
    st.text(max_size=25),
    st.text(st.sampled_from(list("0123456789/-. :T")), max_size=22),
    st.integers(-10, 3_000_000).map(str),
    st.floats(allow_nan=True).map(str),
)


@fast(100)
@given(st.lists(st.one_of(st.none(), _date_text), max_size=15), st.data())
def test_date_parser_never_raises(values, data) -> None:
    n = len(values)
    numeric = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    weights = np.array(data.draw(st.lists(st.integers(1, 5), min_size=n, max_size=n)),
                       dtype="int64")
    typed, bad = parse_dates(pd.Series(values, dtype=object), pd.Series(numeric), weights)
    assert len(typed) == len(bad) == n
    parsed = typed.dropna()
    assert ((parsed >= pd.Timestamp("1000-01-01")) & (parsed <= pd.Timestamp("9999-12-31"))).all()
    # A value is either parsed or flagged, never both; missing values are neither.
    assert not (bad & typed.notna()).any()
    missing = pd.Series(values, dtype=object).isna().to_numpy()
    assert not bad.to_numpy()[missing].any()


@fast(100)
@given(st.dates(dt.date(1900, 3, 1), dt.date(2100, 12, 31)),
       st.sampled_from(["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y%m%d", "serial"]))
def test_real_dates_read_back_in_every_accepted_format(date, fmt) -> None:
    if fmt == "serial":
        text, numeric = str((date - dt.date(1899, 12, 30)).days), True
    else:
        text, numeric = date.strftime(fmt), False
    typed, bad = parse_dates(pd.Series([text]), pd.Series([numeric]))
    assert not bad.iloc[0]
    assert typed.iloc[0] == pd.Timestamp(date), (text, typed.iloc[0])
