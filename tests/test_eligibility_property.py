"""The vectorized household view against a plain per-household reference on random exports."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siksval.api import load_input
from siksval.config import from_mapping
from siksval.eligibility import household_reasons

YN = st.sampled_from(["YA", "TIDAK", ""])
person = st.fixed_dictionaries(
    {
        "no_kk": st.sampled_from(["3273010101100001", "3273010101100002", "3273010101100003", ""]),
        "pkh": YN, "bpnt": YN,
        "ada_mobil": YN, "ada_ac": YN, "ada_emas": YN, "ada_laptop": YN,
        "padan_dukcapil": YN,
        "daya_listrik": st.sampled_from(["450", "900", "1300", "2200", ">2200", ""]),
        "desil": st.sampled_from([str(d) for d in range(1, 11)] + [""]),
        "status_keberadaan": st.sampled_from(["TINGGAL BERSAMA", "MENINGGAL", "PINDAH"]),
        "pekerjaan": st.sampled_from(["PNS", "PENSIUNAN", "PETANI", "7", "4", "KARYAWAN BUMD"]),
    }
)


def _reference(df: pd.DataFrame) -> dict[tuple[int, ...], set[str]]:
    """Plain Python: household (its record numbers) -> codes that must fire."""
    out: dict[tuple[int, ...], set[str]] = {}
    groups: dict[str, list[int]] = {}
    for i, kk in enumerate(df["no_kk"]):
        groups.setdefault(kk or f"lone{i}", []).append(i)
    for members in groups.values():
        recs = [df.iloc[i] for i in members]
        aid = any(r["pkh"] == "YA" or r["bpnt"] == "YA" for r in recs)
        va = [{">2200": 3500}.get(r["daya_listrik"], r["daya_listrik"]) for r in recs]
        desil = [int(r["desil"]) for r in recs if r["desil"]]
        codes = set()
        if aid:
            if any(r["status_keberadaan"] == "MENINGGAL" for r in recs):
                codes.add("ELG001")
            if any(r["pekerjaan"] in ("PNS", "7", "KARYAWAN BUMD") for r in recs):
                codes.add("ELG002")
            if any(r["ada_mobil"] == "YA" for r in recs):
                codes.add("ELG003")
            if any(v and int(v) >= 1300 for v in va):
                codes.add("ELG004")
            if any(d > 4 for d in desil):
                codes.add("ELG005")
            wealth = sum(any(r[k] == "YA" for r in recs) for k in ("ada_ac", "ada_emas", "ada_laptop"))
            if wealth >= 3:
                codes.add("ELG006")
            if any(r["padan_dukcapil"] == "TIDAK" for r in recs):
                codes.add("ELG007")
        elif any(d <= 2 for d in desil):
            codes.add("EXC001")
        if codes:
            out[tuple(i + 1 for i in members)] = codes
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(person, min_size=1, max_size=12))
def test_household_view_matches_reference(people: list[dict]) -> None:
    n = len(people)
    df = pd.DataFrame(people, dtype="str")
    df.insert(0, "nik", [f"32730115088{i:05d}" for i in range(1, n + 1)])
    df["nama"] = [f"WARGA {i}" for i in range(n)]
    df["tgl_lahir"] = "15-08-1980"
    df["jenis_kelamin"] = "L"
    df["hub_keluarga"] = "ANAK"
    cfg = from_mapping({"select": ["ELG001", "ELG002", "ELG003", "ELG004", "ELG005", "ELG006",
                                   "ELG007", "EXC001"]})
    ds = load_input(df, dataset="dtks", as_of=dt.date(2026, 10, 31), config=cfg).dataset
    hh = household_reasons(ds)
    got = {tuple(r): set(c) for r, c in zip(hh["rows"], hh["codes"], strict=True)}
    assert got == _reference(df)
