"""Schema step: codes and labels per columns.md, dates, SCH001–SCH006 with 1-based records,
the same findings from CSV and XLSX, and the Excel-damage evidence handed to the rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import siksval
from siksval.api import load_input
from siksval.config import Config
from siksval.schema import load_schema, parse_column, parse_dates
from tests.pipeline_fixtures import (
    SIKS_EXPECTED,
    SIKS_HEADER,
    SIKS_ROWS,
    write_delimited,
    write_xlsx,
)

AS_OF = "2026-10-31"


def _found(report: siksval.Report) -> set[tuple[str, int | None, str]]:
    f = report.findings
    rows = [None if pd.isna(r) else int(r) for r in f["row"]]
    return set(zip(f["code"], rows, f["column"], strict=True))


def test_siks_pipe_export_maps_every_column_and_finds_sch(tmp_path: Path) -> None:
    path = write_delimited(tmp_path / "dtks.txt", SIKS_HEADER, SIKS_ROWS, delimiter="|")
    report = siksval.check(path, as_of=AS_OF, select=["SCH"])
    assert report.dataset == "dtks"
    mapped = report.source.columns_mapped
    assert set(mapped) == set(SIKS_HEADER) - {"FOTO_RUMAH"}
    assert mapped["NOMOR_NIK"] == "nik" and mapped["HUBUNGAN_KELUARGA"] == "hub_keluarga"
    assert report.source.columns_unknown == ["FOTO_RUMAH"]
    assert _found(report) == SIKS_EXPECTED
    assert report.exit_code("error") == 1


NUMERIC_IN_XLSX = ("DESIL_KESEJAHTERAAN", "LUAS_LANTAI_M2", "JENIS_KELAMIN", "HUBUNGAN_KELUARGA")


def _typed_xlsx_rows() -> list[list[object]]:
    """The same records as an officer's workbook would hold them: numbers in numeric cells,
    valid dates as real date cells, the rest as text."""
    out = []
    for r in SIKS_ROWS:
        row: list[object] = list(r)
        for j, name in enumerate(SIKS_HEADER):
            v = r[j]
            if name == "TANGGAL_LAHIR" and v.count("-") == 2 and v[:2] == "15":
                row[j] = dt.date(int(v[6:]), int(v[3:5]), int(v[:2]))
            elif name in NUMERIC_IN_XLSX and v.isdigit():
                row[j] = int(v)
        out.append(row)
    return out


def test_same_data_as_xlsx_gives_the_same_findings(tmp_path: Path) -> None:
    csv_report = siksval.check(
        write_delimited(tmp_path / "dtks.csv", SIKS_HEADER, SIKS_ROWS, delimiter=";"),
        as_of=AS_OF, select=["SCH"],
    )
    xlsx_report = siksval.check(
        write_xlsx(tmp_path / "dtks.xlsx", SIKS_HEADER, _typed_xlsx_rows()),
        as_of=AS_OF, select=["SCH"],
    )
    cols = ["code", "row", "column", "value", "message"]
    pd.testing.assert_frame_equal(csv_report.findings[cols], xlsx_report.findings[cols])
    a = load_input(tmp_path / "dtks.csv", as_of=dt.date(2026, 10, 31), config=Config()).dataset
    b = load_input(tmp_path / "dtks.xlsx", as_of=dt.date(2026, 10, 31), config=Config()).dataset
    for col in ("tgl_lahir", "jenis_kelamin", "hub_keluarga", "desil", "luas_lantai", "pkh"):
        pd.testing.assert_series_equal(a.frame[col], b.frame[col], check_names=False)


def test_sch001_one_file_level_finding_per_missing_required_column() -> None:
    df = pd.DataFrame({"NOMOR_NIK": ["3273011508800001"], "NAMA": ["A"], "SHDK": ["KK"]})
    report = siksval.check(df, dataset="dtks", as_of=AS_OF, select=["SCH001"])
    f = report.findings
    assert sorted(f["column"]) == ["jenis_kelamin", "no_kk", "tgl_lahir"]
    assert f["row"].isna().all() and all(r == [] for r in f["rows"])


def test_sch006_lists_unknown_headers_once() -> None:
    df = pd.DataFrame(
        {"NIK": ["1", "2"], "NAMA": ["A", "B"], "FOTO": ["", ""], "CATATAN": ["x", "y"]}
    )
    report = siksval.check(df, dataset="dtks", as_of=AS_OF, select=["SCH006"])
    assert sorted(report.findings["column"]) == ["CATATAN", "FOTO"]
    assert (report.findings["severity"] == "info").all()


@pytest.mark.parametrize("placeholder", ["", " ", "-", "NULL", "null", "NA", "N/A", "n/a"])
def test_sch004_placeholders(placeholder: str) -> None:
    df = pd.DataFrame(
        {"NIK": ["3273011508800001", placeholder], "NAMA": ["A", "B"], "NO_KK": ["1", "1"],
         "TGL_LAHIR": ["01-01-1980", "01-01-1980"], "JK": ["L", "P"], "SHDK": ["1", "2"]}
    )
    report = siksval.check(df, as_of=AS_OF, select=["SCH"])
    assert _found(report) == {("SCH004", 2, "nik")}


def test_optional_empty_values_are_no_finding() -> None:
    df = pd.DataFrame(
        {"NIK": ["3273011508800001"], "NAMA": ["A"], "NO_KK": ["1"], "TGL_LAHIR": ["01-01-1980"],
         "JK": ["L"], "SHDK": ["1"], "DESIL": [""], "PKH": ["-"], "STA_KAWIN": ["NULL"]}
    )
    assert siksval.check(df, as_of=AS_OF, select=["SCH"]).findings.empty


# -- codes and labels per columns.md ---------------------------------------------------------

CODE_CASES: dict[str, dict[str, object]] = {
    "jenis_kelamin": {"1": 1, "L": 1, "laki-laki": 1, "LAKI LAKI": 1, " 2 ": 2, "P": 2,
                      "Perempuan": 2},
    "hub_keluarga": {"1": 1, "KEPALA KELUARGA": 1, "ISTRI/SUAMI": 2, "SUAMI": 2, "ISTRI": 2,
                     "ANAK": 3, "MENANTU": 4, "CUCU": 5, "ORANG TUA/MERTUA": 6, "ORANG TUA": 6,
                     "MERTUA": 6, "PEMBANTU/SOPIR": 7, "PEMBANTU": 7, "LAINNYA": 8,
                     "FAMILI LAIN": 8, "08": 8},
    "status_kawin": {"BELUM KAWIN": 1, "KAWIN": 2, "CERAI HIDUP": 3, "CERAI MATI": 4, "4": 4},
    "kedudukan_kerja": {str(i): i for i in range(1, 9)}
    | {"PNS/TNI/POLRI/BUMN/BUMD/PEJABAT NEGARA": 5},
    "status_keberadaan": {"TINGGAL BERSAMA": 1, "MENINGGAL": 2, "PINDAH": 3,
                          "PINDAH KE LUAR NEGERI": 4, "ART BARU": 5, "TIDAK DITEMUKAN": 6},
    "jenis_lantai": {"MARMER/GRANIT": 1, "KERAMIK": 2, "PARKET/VINIL/KARPET": 3,
                     "UBIN/TEGEL/TERASO": 4, "KAYU/PAPAN": 5, "SEMEN/BATA MERAH": 6, "BAMBU": 7,
                     "TANAH": 8, "LAINNYA": 9},
    "jenis_dinding": {"TEMBOK": 1, "PLESTERAN ANYAMAN BAMBU/KAWAT": 2,
                      "KAYU/PAPAN/GYPSUM/GRC/CALCIBOARD": 3, "ANYAMAN BAMBU": 4,
                      "BATANG KAYU": 5, "BAMBU": 6, "LAINNYA": 7},
    "fasilitas_bab": {"ADA, DIGUNAKAN SENDIRI": 1, "ADA, BERSAMA RUMAH TANGGA TERTENTU": 2,
                      "MCK KOMUNAL": 3, "MCK UMUM": 4, "ADA, TIDAK DIGUNAKAN": 5,
                      "TIDAK ADA": 6},
}


@pytest.mark.parametrize("column", sorted(CODE_CASES))
def test_codes_and_labels(column: str) -> None:
    spec = load_schema("dtks").columns[column]
    cases = CODE_CASES[column]
    text = pd.Series([*cases.keys(), "BUKAN KODE"], dtype="string")
    parsed = parse_column(spec, text, None)
    assert parsed.typed.iloc[:-1].tolist() == list(cases.values())
    assert pd.isna(parsed.typed.iloc[-1])
    assert parsed.failure.iloc[:-1].isna().all() and parsed.failure.iloc[-1] == "SCH003"
    assert str(parsed.typed.dtype) == "Int16"


@pytest.mark.parametrize(
    ("dataset", "column", "cases"),
    [
        ("lksa", "akreditasi", {"A": "A", "b": "B", "C": "C", "BELUM": "BELUM",
                                "BELUM TERAKREDITASI": "BELUM"}),
        ("lksa_anak", "kategori", {
            "ANAK BALITA TERLANTAR": "BALITA", "ANAK TERLANTAR": "TERLANTAR",
            "ANAK JALANAN": "ANJAL", "ANAK BERHADAPAN DENGAN HUKUM (ABH)": "ABH",
            "ANAK DENGAN DISABILITAS": "DISABILITAS",
            "ANAK KORBAN TINDAK KEKERASAN": "KORBAN_KEKERASAN",
            "ANAK MEMERLUKAN PERLINDUNGAN KHUSUS (AMPK)": "AMPK",
            "ANAK YANG MEMERLUKAN PENGEMBANGAN FUNGSI SOSIAL (AMPFS)": "AMPFS",
            "BALITA": "BALITA", "ANJAL": "ANJAL", "ABH": "ABH", "AMPK": "AMPK",
            "AMPFS": "AMPFS"}),
        ("lksa_anak", "status", {"AKTIF": "AKTIF", "keluar": "KELUAR",
                                 "REUNIFIKASI": "REUNIFIKASI"}),
    ],
)
def test_string_codes(dataset: str, column: str, cases: dict[str, str]) -> None:
    spec = load_schema(dataset).columns[column]
    parsed = parse_column(spec, pd.Series([*cases, "LAIN"], dtype="string"), None)
    assert parsed.typed.iloc[:-1].tolist() == list(cases.values())
    assert parsed.failure.iloc[-1] == "SCH003"


def test_yes_no_forms() -> None:
    spec = load_schema("dtks").columns["pkh"]
    yes = ["1", "YA", "ya", "Y", "TRUE", "ADA", "1.0"]
    no = ["0", "2", "T", "TIDAK", "FALSE", "TIDAK ADA"]
    parsed = parse_column(spec, pd.Series([*yes, *no, "MUNGKIN", ""], dtype="string"), None)
    assert parsed.typed.iloc[: len(yes)].tolist() == [True] * len(yes)
    assert parsed.typed.iloc[len(yes) : -2].tolist() == [False] * len(no)
    assert str(parsed.typed.dtype) == "boolean"
    assert parsed.failure.iloc[-2] == "SCH003" and pd.isna(parsed.failure.iloc[-1])


def test_power_values_and_codes() -> None:
    spec = load_schema("dtks").columns["daya_listrik"]
    values = ["450", "900", "1300", "2200", ">2200", "3500", "1", "2", "3", "4", "5", "1.300",
              "900 VA", "LISTRIK?"]
    parsed = parse_column(spec, pd.Series(values, dtype="string"), None)
    assert parsed.typed.tolist()[:-1] == [450, 900, 1300, 2200, 3500, 3500, 450, 900, 1300,
                                          2200, 3500, 1300, 900]
    assert parsed.failure.iloc[-1] == "SCH002"


def test_ranges() -> None:
    desil = load_schema("dtks").columns["desil"]
    parsed = parse_column(desil, pd.Series(["1", "10", "0", "11", "4.5", "x"], dtype="string"), None)
    assert parsed.failure.tolist()[2:] == ["SCH005", "SCH005", "SCH002", "SCH002"]
    assert parsed.typed.tolist()[:2] == [1, 10]
    luas = load_schema("dtks").columns["luas_lantai"]
    parsed = parse_column(luas, pd.Series(["36,5", "0", "10000", "10001", "-3"], dtype="string"),
                          None)
    assert parsed.typed.iloc[0] == 36.5
    assert parsed.failure.tolist()[1:] == ["SCH005", pd.NA, "SCH005", "SCH005"]
    kap = load_schema("lksa").columns["kapasitas"]
    parsed = parse_column(kap, pd.Series(["0", "-1", "40"], dtype="string"), None)
    assert parsed.failure.tolist() == [pd.NA, "SCH005", pd.NA]


# -- dates -----------------------------------------------------------------------------------


def test_date_formats() -> None:
    values = ["15/08/1980", "15-08-1980", "15.08.1980", "1980-08-15", "19800815",
              "1980-08-15 00:00:00", "1980/08/15", "5/8/1980"]
    typed, bad = parse_dates(pd.Series(values))
    assert not bad.any()
    assert typed.iloc[:-1].eq(pd.Timestamp("1980-08-15")).all()
    assert typed.iloc[-1] == pd.Timestamp("1980-08-05")


def test_excel_serial_only_from_numeric_cells() -> None:
    s = pd.Series(["29448", "29448"])
    typed, bad = parse_dates(s, pd.Series([True, False]))
    assert typed.iloc[0] == pd.Timestamp("1980-08-15")
    assert bad.tolist() == [False, True]


@pytest.mark.parametrize("value", ["31/02/1980", "29-02-1981", "TIDAK TAHU", "00-00-0000",
                                   "15/13/1980/1", "1980-13-01"])
def test_unparseable_dates(value: str) -> None:
    _, bad = parse_dates(pd.Series([value]))
    assert bad.all()


def test_leap_days() -> None:
    typed, bad = parse_dates(pd.Series(["29/02/2000", "29/02/1900", "29/02/2024"]))
    assert bad.tolist() == [False, True, False]
    assert typed.iloc[2] == pd.Timestamp("2024-02-29")


def test_ambiguity_resolved_per_column_by_records() -> None:
    # Month-first column: 12/25 only reads month-first; the ambiguous 03/04 follows it.
    spec = load_schema("dtks").columns["tgl_lahir"]
    text = pd.Series(["12/25/1980", "03/04/1980", "12/30/1981"], dtype="string")
    typed = parse_column(spec, text, None).typed
    assert typed.tolist() == [pd.Timestamp("1980-12-25"), pd.Timestamp("1980-03-04"),
                              pd.Timestamp("1981-12-30")]
    # Day-first wins when more records read that way, counting repeats of one value.
    text = pd.Series(["25/12/1980"] * 3 + ["12/25/1980", "12/26/1980", "03/04/1980"],
                     dtype="string")
    typed = parse_column(spec, text, None).typed
    assert typed.iloc[-1] == pd.Timestamp("1980-04-03")
    # A value only the other order reads is still a date, not SCH002.
    assert typed.iloc[3] == pd.Timestamp("1980-12-25")
    # A tie goes to day-first, the Indonesian convention.
    assert parse_column(spec, pd.Series(["03/04/1980"], dtype="string"), None).typed.iloc[0] == (
        pd.Timestamp("1980-04-03")
    )


def test_old_dates_outside_nanosecond_range() -> None:
    typed, bad = parse_dates(pd.Series(["01/01/1600", "31/12/2500"]))
    assert not bad.any()
    assert typed.dt.year.tolist() == [1600, 2500]


# -- Excel damage evidence for NIK002/KK002 --------------------------------------------------


def test_raw_text_and_numeric_cells_reach_the_dataset(tmp_path: Path) -> None:
    header = ["NOMOR_NIK", "NOMOR_KK", "NAMA", "TANGGAL_LAHIR", "JENIS_KELAMIN", "SHDK"]
    rows = [
        [3273011508800010, "3273010101100001", "A", "15-08-1980", "L", "KEPALA KELUARGA"],
        ["3.27301E+15", 3273010101100000, "B", "15-08-1980", "P", "ISTRI"],
        ["3273011508950000.0", "'3273010101100001", "C", "15-08-1980", "L", "ANAK"],
        [" 3273011508800004 ", "3273010101100001", "D", "15-08-1980", "L", "ANAK"],
    ]
    path = write_xlsx(tmp_path / "rusak.xlsx", header, rows)
    ds = load_input(path, as_of=dt.date(2026, 10, 31), config=Config()).dataset
    assert ds.raw["nik"].tolist() == [
        "3273011508800010", "3.27301E+15", "3273011508950000.0", " 3273011508800004 "
    ]
    assert ds.numeric_cells["nik"].tolist() == [True, False, False, False]
    assert ds.numeric_cells["no_kk"].tolist() == [False, True, False, False]
    assert ds.raw["no_kk"].iloc[2] == "'3273010101100001"
    # the typed frame keeps identity text as read, only stripped
    assert ds.frame["nik"].tolist() == [
        "3273011508800010", "3.27301E+15", "3273011508950000.0", "3273011508800004"
    ]
    numeric = ds.numeric_cells["nik"].to_numpy() & (
        pd.to_numeric(ds.raw["nik"], errors="coerce").to_numpy() >= 1e15
    )
    assert numeric.tolist() == [True, False, False, False]


def test_raw_and_numeric_cells_from_a_dataframe() -> None:
    df = pd.DataFrame(
        {
            "NIK": [3273011508800001.0, np.nan],
            "NO_KK": [3273010101100001, 3273010101100001],
            "NAMA": ["A", "B"],
        }
    )
    ds = load_input(df, dataset="dtks", as_of=dt.date(2026, 10, 31), config=Config()).dataset
    assert ds.raw["nik"].tolist() == ["3273011508800001", ""]
    assert ds.numeric_cells["nik"].tolist() == [True, False]
    assert ds.numeric_cells["no_kk"].all()
    assert list(ds.raw.index) == list(ds.frame.index)


def test_entirely_empty_column_skips_its_rules() -> None:
    from siksval.rules import catalogue

    needs_region = [c for c, i in catalogue().items() if "kode_wilayah" in i.columns]
    if not needs_region:
        pytest.skip("no rule of this build needs kode_wilayah")
    base = {"NIK": ["3273011508800001"], "NAMA": ["A"], "NO_KK": ["3273010101100001"],
            "TGL_LAHIR": ["15-08-1980"], "JK": ["L"], "SHDK": ["1"]}
    empty = siksval.check(pd.DataFrame({**base, "KODE_DESA": ["-"]}), as_of=AS_OF)
    reasons = {s["code"]: s["reason"] for s in empty.rules_skipped}
    assert reasons[needs_region[0]] == "column kode_wilayah is empty"
    absent = siksval.check(pd.DataFrame(base), as_of=AS_OF)
    reasons = {s["code"]: s["reason"] for s in absent.rules_skipped}
    assert reasons[needs_region[0]] == "column kode_wilayah not present"
