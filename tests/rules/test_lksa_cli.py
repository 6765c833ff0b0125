"""LKSA through the real CLI (and the API): several inputs, datasets detected from headers, `--against`,
source and per-file record numbers per finding, and cross-file rules listed as skipped."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from siksval.rules import Skip, catalogue

ANAK = """NIK_ANAK,NAMA_ANAK,TANGGAL_LAHIR,JK,NO_REGISTRASI_LKSA,KATEGORI_PPKS,STATUS_ANAK
3273010101100001,ANAK SATU,01-01-2010,L,LKSA-001,ANAK TERLANTAR,AKTIF
3273014202050002,ANAK DUA,02-02-2005,P,LKSA-009,ANAK TERLANTAR,AKTIF
3273010101100001,ANAK SATU,01-01-2010,L,LKSA 002,ANAK TERLANTAR,AKTIF
3273010303150003,ANAK TIGA,03-03-2015,L,LKSA-001,ANAK TERLANTAR,KELUAR
"""
LKSA = """NO_REGISTRASI,NAMA_LEMBAGA,NILAI_AKREDITASI,TANGGAL_AKREDITASI,MASA_BERLAKU_IZIN,DAYA_TAMPUNG
LKSA-002,PANTI ASUHAN DUA,A,2024-01-01,2028-01-01,5
LKSA-001,PANTI ASUHAN SATU,B,2020-01-01,2025-01-01,0
"""
DTKS = """NIK,NO_KK,NAMA,TGL_LAHIR,JENIS_KELAMIN,HUB_KELUARGA,STATUS_KEBERADAAN
3273014202050002,3273010101100008,ANAK DUA,02-02-2005,P,ANAK,PINDAH
3273010101100001,3273010101100009,ANAK SATU,01-01-2010,L,ANAK,TINGGAL BERSAMA
"""


def _write(tmp: Path) -> tuple[Path, Path, Path]:
    paths = (tmp / "anak.csv", tmp / "lksa.csv", tmp / "dtks.csv")
    for p, text in zip(paths, (ANAK, LKSA, DTKS), strict=True):
        p.write_text(text, encoding="utf-8")
    return paths


def _json(result) -> dict:
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_two_files_and_against_source_per_finding(tmp_path: Path, cli) -> None:
    anak, lksa, dtks = _write(tmp_path)
    out = _json(
        cli(
            "check",
            str(anak),
            str(lksa),
            "--against",
            str(dtks),
            "--as-of",
            "2026-10-31",
            "--select",
            "LKS",
            "--format",
            "json",
            "--unmask",
        )
    )
    assert [s["dataset"] for s in out["sources"]] == ["lksa_anak", "lksa"]
    assert Path(out["against"]["path"]).name == "dtks.csv" and out["against"]["records"] == 2
    assert out["rules_skipped"] == []
    got = {(f["code"], Path(f["source"]).name, f["row"], tuple(f["rows"])) for f in out["findings"]}
    assert got == {
        ("LKS001", "anak.csv", 2, (2,)),  # 21 years old and active
        ("LKS002", "anak.csv", 1, (1, 3)),  # one NIK, two LKSA: all its records
        ("LKS003", "anak.csv", 2, (2,)),  # ANAK TERLANTAR at 21
        ("LKS004", "lksa.csv", 2, (2,)),  # B of 2020: expired 2023
        ("LKS005", "lksa.csv", 2, (2,)),  # permit ended 2025-01-01
        ("LKS006", "anak.csv", 1, (1,)),  # child also living with family in DTKS
        ("LKS006", "anak.csv", 3, (3,)),
        ("LKS007", "lksa.csv", 2, (2,)),  # LKSA-001: 1 active child, 0 places
        ("LKS008", "anak.csv", 2, (2,)),  # LKSA-009 is not in lksa.csv
    }
    lks006 = next(f for f in out["findings"] if f["code"] == "LKS006")
    assert (
        lks006["details"]["dtks_rows"] == "2" and lks006["details"]["no_kk"] == "3273010101100009"
    )


def test_masked_output_hides_family_kk_in_lks006(tmp_path: Path) -> None:
    import siksval

    anak, _lksa, dtks = _write(tmp_path)
    report = siksval.check(str(anak), against=str(dtks), as_of="2026-10-31", select=["LKS006"])
    text = report.to_json()
    assert "3273010101100009" not in text and "3273010101100001" not in text
    assert "3273**********09" in text


def test_cross_file_rules_skipped_without_the_other_file(tmp_path: Path) -> None:
    import siksval

    anak, lksa, _ = _write(tmp_path)
    out = json.loads(siksval.check(str(anak), as_of="2026-10-31", select=["LKS"]).to_json())
    assert {s["code"] for s in out["rules_skipped"]} == {"LKS006", "LKS008"}
    assert "source" not in out["findings"][0]  # one input: no per-finding source
    out = json.loads(siksval.check(str(lksa), as_of="2026-10-31", select=["LKS"]).to_json())
    assert {s["code"] for s in out["rules_skipped"]} == {"LKS007"}


def test_text_report_names_the_file_of_each_example(tmp_path: Path, cli) -> None:
    anak, lksa, _ = _write(tmp_path)
    res = cli("check", str(anak), str(lksa), "--as-of", "2026-10-31", "--select", "LKS008,LKS007")
    assert res.returncode == 1, res.stderr
    assert "anak.csv:2" in res.stdout and "lksa.csv:2" in res.stdout


def test_dtks_input_of_the_run_serves_lks006_without_against(tmp_path: Path) -> None:
    import siksval

    anak, _, dtks = _write(tmp_path)
    report = siksval.check([str(anak), str(dtks)], as_of="2026-10-31", select=["LKS006"])
    f = report.findings_raw
    assert sorted(f.loc[f["code"] == "LKS006", "row"]) == [1, 3]


def test_dataset_per_input_in_the_api() -> None:
    import siksval

    anak = pd.DataFrame(
        {
            "nik": ["3273010101100001"],
            "nama": ["A"],
            "tgl_lahir": ["2000-01-01"],
            "jenis_kelamin": ["L"],
            "id_lksa": ["X"],
        }
    )
    lksa = pd.DataFrame({"id_lksa": ["Y"], "nama_lksa": ["P"]})
    report = siksval.check(
        [anak, lksa], dataset=["lksa_anak", "lksa"], as_of="2026-10-31", select=["LKS001", "LKS008"]
    )
    assert [s.dataset for s in report.sources] == ["lksa_anak", "lksa"]
    assert set(report.findings_raw["code"]) == {"LKS001", "LKS008"}
    assert set(report.findings_raw["source"]) == {"<DataFrame 1>"}


def test_skip_is_exported_and_lks_rules_registered() -> None:
    assert issubclass(Skip, Exception)
    assert {f"LKS00{i}" for i in range(1, 9)} <= set(catalogue())
