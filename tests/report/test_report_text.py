"""The rich terminal report: content, 100 columns, plain when piped, NO_COLOR, languages,
duplicate clusters side by side, extra sections of other reports rendered generically."""

from __future__ import annotations

import io
import re

import pytest

import siksval
from siksval.report import render
from siksval.report.text import write_text
from tests.report.conftest import ROOT

ANSI = re.compile(r"\x1b\[[0-9;]*m")
COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|9[0-7]|38;)")


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_text_report_content(example_report) -> None:
    text = render(example_report, "text", max_examples=2)
    assert "300 rekaman" in text and "jumlah rekaman" not in text.split("\n")[1]
    for needle in ("Tanggal acuan: 2026-10-31", "Acuan kode wilayah: Kepmendagri",
                   "Nomor Induk Kependudukan (NIK)", "NIK001", "Contoh temuan",
                   "Salah sasaran", "GAGAL: 21 temuan"):
        assert needle in text, needle
    assert not ANSI.search(text), "plain when not a terminal"
    assert max(len(line) for line in text.splitlines()) <= 100
    # Region codes stay readable; identity numbers are masked.
    assert "1605010008" in text
    assert "1605011908770001" not in text


def test_text_examples_capped(example_report) -> None:
    text = render(example_report, "text", max_examples=1)
    # NIK006 has 2 findings: one shown, one announced.
    block = text.split("NIK006 ")[-1]
    assert "… dan 1 temuan lain" in block.split("NIK007")[0]


def test_text_english(example_report_en) -> None:
    text = render(example_report_en, "text")
    assert "300 records" in text and "Reference date" in text and "FAIL: 21 findings" in text
    assert "Identity number (NIK)" in text


def test_colour_on_terminal_and_no_color(example_report, monkeypatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    fh = Tty()
    write_text(example_report, fh, width=100)
    assert COLOUR.search(fh.getvalue()), "colour on a terminal"
    monkeypatch.setenv("NO_COLOR", "1")
    fh = Tty()
    write_text(example_report, fh, width=100)
    assert not COLOUR.search(fh.getvalue()), "NO_COLOR honoured"


def test_duplicates_side_by_side_and_extra_sections(diff_report) -> None:
    text = render(diff_report, "text")
    assert "Kelompok 1 · other-nik · skor 0.97" in text
    line = next(ln for ln in text.splitlines() if ln.lstrip().startswith("Nama "))
    assert "S. A." in line and "0.93" in line  # both records' names and the evidence, one row
    assert "Baris 3" in text and "Baris 9" in text
    assert "3273014506900003" not in text and "SITI AMINAH" not in text
    # Generic sections from Report.extra: a matrix and a per-desa table.
    assert "Jumlah perubahan" in text and "Per desa/kelurahan" in text
    people = next(ln for ln in text.splitlines() if ln.lstrip().startswith("Orang"))
    assert re.search(r"4\D+2\D+1\D+7", people)
    assert "3273012001" in text  # a region code in a section is not masked
    assert "Perubahan antarbulan (CHG)" in text and "Meninggal lalu hidup lagi" in text


def test_unmasked_shows_everything(diff_report) -> None:
    text = render(diff_report, "text", mask=False)
    assert "SITI AMINAH" in text and "3273014506900003" in text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_findings(lang) -> None:
    report = siksval.check(ROOT / "examples" / "dtks_bersih.csv", as_of="2026-10-31",
                           lang=lang, select=["NIK001"])
    text = render(report, "text")
    assert ("Tidak ada temuan." if lang == "id" else "No findings.") in text
    assert ("LULUS" if lang == "id" else "PASS") in text
