"""NIK/KK rules on real files: numeric xlsx cells (Excel damage) and the lksa_anak dataset."""

from __future__ import annotations

import pandas as pd
import xlsxwriter

import siksval

HEADER = ["NIK", "NO_KK", "NAMA", "TGL_LAHIR", "JENIS_KELAMIN", "HUB_KELUARGA"]


def _findings(report, code):
    f = report.findings_raw
    return sorted(int(r) for r in f.loc[f["code"] == code, "row"])


def test_numeric_xlsx_cells_are_excel_damage(tmp_path):
    path = tmp_path / "dtks.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("DATA")
    ws.write_row(0, 0, HEADER)
    # record 1: NIK and KK typed as numbers (what Excel does to them); record 2: text cells
    ws.write_number(1, 0, 3273011508950000)
    ws.write_number(1, 1, 3273011201150000)
    ws.write_string(2, 0, "3273011508950010")
    ws.write_string(2, 1, "3273011201150010")
    for r in (1, 2):
        ws.write_row(r, 2, ["AGUS", "15-08-1995", "L", "1"])
    wb.close()
    report = siksval.check(path, dataset="dtks", as_of="2026-10-31", select=["NIK", "KK"])
    assert _findings(report, "NIK002") == [1]
    assert _findings(report, "KK002") == [1]
    assert _findings(report, "NIK001") == [] and _findings(report, "KK001") == []


def test_integer_dataframe_column_is_not_excel_damage():
    df = pd.DataFrame(
        {
            "nik": [3273011508950001],
            "no_kk": [3273011201150003],
            "nama": ["AGUS"],
            "tgl_lahir": ["15-08-1995"],
            "jenis_kelamin": ["L"],
            "hub_keluarga": ["1"],
        }
    )
    report = siksval.check(df, dataset="dtks", as_of="2026-10-31", select=["NIK", "KK"])
    assert report.findings_raw.empty


def test_nik_rules_run_on_lksa_anak():
    df = pd.DataFrame(
        {
            "nik_anak": ["327301150815001", "3273015508150002", "3273011508150003"],
            "nama_anak": ["A", "B", "C"],
            "tanggal_lahir": ["15-08-2015", "15-08-2015", "15-08-2015"],
            "jenis_kelamin": ["L", "L", "L"],
            "id_lksa": ["LKSA-1", "LKSA-1", "LKSA-1"],
        }
    )
    report = siksval.check(df, dataset="lksa_anak", as_of="2026-10-31", select=["NIK", "DEM"])
    assert _findings(report, "NIK001") == [1]
    assert _findings(report, "NIK007") == [2]
    skipped = {s["code"] for s in report.rules_skipped}
    assert "NIK009" in skipped  # no kode_wilayah in lksa_anak: skipped, not silently passed


def test_records_without_kk_are_households_of_their_own():
    df = pd.DataFrame(
        {
            "nik": ["3273011508950001", "3273011508950002", "3273011508950003"],
            "no_kk": ["", "", "3273011201150003"],
            "nama": ["A", "B", "C"],
            "tgl_lahir": ["15-08-1995"] * 3,
            "jenis_kelamin": ["L"] * 3,
            "hub_keluarga": ["1"] * 3,
            "kode_wilayah": ["3273019999"] * 3,
        }
    )
    report = siksval.check(df, dataset="dtks", as_of="2026-10-31", select=["WIL001"])
    f = report.findings_raw
    assert sorted(f["row"]) == [1, 2, 3]
    assert sorted(map(list, f["rows"])) == [[1], [2], [3]]
