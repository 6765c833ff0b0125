"""Identity rules (NIK, DEM, DUP families) apply to LKSA children as to DTKS members."""

from __future__ import annotations

import pandas as pd
import pytest

import siksval
from siksval.rules import catalogue

CHILDREN = pd.DataFrame(
    [
        # 1: clean child
        {
            "nik": "3273014506120001",
            "nama": "SITI AMINAH",
            "tgl_lahir": "05-06-2012",
            "jenis_kelamin": "P",
        },
        # 2: NIK with 15 digits -> NIK001
        {
            "nik": "327301450612001",
            "nama": "DEWI LESTARI",
            "tgl_lahir": "05-06-2012",
            "jenis_kelamin": "P",
        },
        # 3: girl's NIK (day 45) coded male -> NIK007
        {
            "nik": "3273014506120003",
            "nama": "RINA WATI",
            "tgl_lahir": "05-06-2012",
            "jenis_kelamin": "L",
        },
        # 4: born after the reference date -> DEM001 (and NIK008: NIK says 2012-06-05)
        {
            "nik": "3273010506120004",
            "nama": "BUDI SANTOSO",
            "tgl_lahir": "05-06-2027",
            "jenis_kelamin": "L",
        },
    ]
).assign(id_lksa="LKSA-001", status="AKTIF", kategori="ANAK TERLANTAR")


def _rows(report: siksval.Report, code: str) -> set[int]:
    f = report.findings_raw
    return {int(r) for r in f.loc[f["code"] == code, "row"]}


def test_nik_and_dem_rules_run_on_children() -> None:
    for code in ("NIK001", "NIK007", "NIK008", "DEM001"):
        assert "lksa_anak" in catalogue()[code].datasets, code
    report = siksval.check(CHILDREN, dataset="lksa_anak", as_of="2026-10-31", select=["NIK", "DEM"])
    assert _rows(report, "NIK001") == {2}
    assert _rows(report, "NIK007") == {3}
    assert _rows(report, "DEM001") == {4}
    assert 4 in _rows(report, "NIK008")
    assert not report.rules_skipped or all(
        s["code"] not in ("NIK001", "NIK007", "DEM001") for s in report.rules_skipped
    )


def test_duplicate_rules_run_on_children() -> None:
    dup = [c for c in ("DUP001", "DUP002") if c in catalogue()]
    if not dup:
        pytest.skip("DUP rules are not in this checkout yet")
    for code in dup:
        assert "lksa_anak" in catalogue()[code].datasets, code
    twice = pd.concat(
        [CHILDREN.iloc[[0]], CHILDREN.iloc[[0]].assign(nama="SITI AMINA")], ignore_index=True
    )
    report = siksval.check(twice, dataset="lksa_anak", as_of="2026-10-31", select=["DUP"])
    f = report.findings_raw
    assert set(f["code"]) & {"DUP001"}, f
    assert sorted(f.loc[f["code"] == "DUP001", "rows"].iloc[0]) == [1, 2]
