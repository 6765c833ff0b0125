"""Property test: whatever an export holds, the NIK/KK/DEM/WIL/HH rules never crash."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import siksval

FAMILIES = ["NIK", "KK", "DEM", "WIL", "HH"]

_digits = st.text("0123456789", min_size=0, max_size=18)
_idish = st.one_of(
    _digits,
    st.text("0123456789.-' E+,", max_size=20),
    st.sampled_from(["3273015508950001", "9101017112990000", "3.27301E+15", "", "-"]),
)
_dates = st.one_of(
    st.dates().map(lambda d: d.strftime("%d-%m-%Y")),
    st.sampled_from(["", "31/02/1980", "TIDAK TAHU", "29-02-1900", "01-07-1850"]),
)
_row = st.fixed_dictionaries(
    {
        "nik": _idish,
        "no_kk": st.one_of(_idish, st.sampled_from(["3273011201150003"] * 3)),
        "nama": st.sampled_from(["A", "B", ""]),
        "tgl_lahir": _dates,
        "jenis_kelamin": st.sampled_from(["L", "P", "1", "2", "", "X"]),
        "hub_keluarga": st.sampled_from(["1", "2", "3", "5", "6", "8", "", "KEPONAKAN"]),
        "status_kawin": st.sampled_from(["1", "2", "3", "4", "", "?"]),
        "kode_wilayah": st.one_of(_idish, st.sampled_from(["32.73.01.1001", "3273010001"])),
        "kecamatan": st.sampled_from(["SUKASARI", "COBLONG", "", "KEC. ???"]),
    }
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_row, min_size=1, max_size=8))
def test_random_exports_never_crash(rows):
    df = pd.DataFrame(rows, dtype="str")
    report = siksval.check(df, dataset="dtks", as_of="2026-10-31", select=FAMILIES)
    found = report.findings_raw
    assert found["row"].between(1, len(df)).all()
    assert {c[:2] for c in found["code"]} <= {"NI", "KK", "DE", "WI", "HH"}
    for lang in ("id", "en"):  # every message renders with its evidence, no stray braces
        for msg in report.findings_in(lang)["message"]:
            assert "{" not in msg, msg
