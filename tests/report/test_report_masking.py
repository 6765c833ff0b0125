"""Masking: no full NIK, KK or person name leaks from any masked output; region codes and
record numbers stay readable."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from siksval.report import FORMATTERS, render
from tests.report.conftest import EXAMPLE, diff_like_report

TEXT_FORMATS = [f for f, spec in FORMATTERS.items() if not spec.binary]


def _identities() -> tuple[set[str], set[str]]:
    """Every 16-digit NIK/KK and every multi-word person name in the example file."""
    with EXAMPLE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="|"))
    numbers = {r[c] for r in rows for c in ("NOMOR_NIK", "NOMOR_KK") if re.fullmatch(r"\d{16}", r[c])}
    names = {r[c] for r in rows for c in ("NAMA", "NAMA_IBU_KANDUNG")
             if len(r[c].split()) >= 2 and "," not in r[c]}
    return numbers, names


def _output(report, fmt: str, tmp_path: Path, **opts) -> str:
    if FORMATTERS[fmt].binary:
        path = tmp_path / f"out{FORMATTERS[fmt].extension}"
        render(report, fmt, path, **opts)
        wb = CalamineWorkbook.from_path(str(path))
        return "\n".join(str(c) for n in wb.sheet_names
                         for r in wb.get_sheet_by_name(n).to_python() for c in r)
    return render(report, fmt, **opts)


@pytest.mark.parametrize("fmt", [*TEXT_FORMATS, "xlsx"])
def test_no_identity_leaks_when_masked(example_report, fmt: str, tmp_path: Path) -> None:
    numbers, names = _identities()
    out = _output(example_report, fmt, tmp_path, mask=True, max_examples=50)
    leaked = sorted(n for n in numbers if n in out)
    assert not leaked, f"{fmt}: full NIK/KK in masked output: {leaked[:5]}"
    assert not re.search(r"(?<![\d.])\d{16}(?![\d])", out), f"{fmt}: a 16-digit number"
    named = sorted(n for n in names if re.search(rf"\b{re.escape(n)}\b", out))
    assert not named, f"{fmt}: full names in masked output: {named[:5]}"
    if fmt in ("text", "html", "xlsx", "csv", "json"):
        assert "1605010008" in out, f"{fmt}: the region code must stay readable"


@pytest.mark.parametrize("fmt", [*TEXT_FORMATS, "xlsx"])
def test_clusters_and_sections_masked(fmt: str, tmp_path: Path) -> None:
    out = _output(diff_like_report(), fmt, tmp_path, mask=True)
    for secret in ("3273014506900003", "3273014506900004", "3273012505180007", "SITI AMINAH",
                   "BUDI SANTOSO"):
        assert secret not in out, f"{fmt}: {secret}"


def test_masked_defaults_per_format(example_report, tmp_path: Path) -> None:
    """Masked by default everywhere but the XLSX worklist (the officer's working document)."""
    numbers, _ = _identities()
    for fmt in TEXT_FORMATS:
        out = _output(example_report, fmt, tmp_path, max_examples=50)
        assert not [n for n in numbers if n in out], fmt
    xlsx = _output(example_report, "xlsx", tmp_path)
    assert [n for n in numbers if n in xlsx], "xlsx unmasked by default"


def test_mask_text_keeps_region_codes() -> None:
    from siksval.report.mask import mask_text, mask_value

    assert mask_text("kode 3273012001 di NIK 3273014506900003") == \
        "kode 3273012001 di NIK 3273**********03"
    assert mask_text("160501270750001") == "1605*********01"  # a 15-digit NIK is still masked
    assert mask_value("kode_wilayah", "3273012001") == "3273012001"
    assert mask_value("kode_wilayah", "3273014506900003") == "3273**********03"
