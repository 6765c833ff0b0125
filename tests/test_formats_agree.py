"""The same synthetic export (every defect of the catalogue injected) as pipe CSV, XLSX and
Parquet gives the same findings: same codes, records, columns and values."""

from __future__ import annotations

from pathlib import Path

import pytest

import siksval

synth = pytest.importorskip("siksval.synth")

#: Excel damage reads differently by nature: `3.52304E+15` typed into a CSV cell, the number
#: 3523040000000000 in a numeric xlsx cell. Same finding, different raw value.
DAMAGE = ("NIK002", "KK002")


def test_csv_xlsx_parquet_agree(tmp_path: Path) -> None:
    findings = {}
    for ext in ("csv", "xlsx", "parquet"):
        path = tmp_path / f"ekspor.{ext}"
        synth.write_synth(path, rows=300, seed=11, defects="all", as_of="2026-10-31")
        report = siksval.check(path, as_of="2026-10-31")
        assert report.source.format == ext
        f = report.findings
        values = f["value"].astype(str).where(~f["code"].isin(DAMAGE), "<damaged>")
        findings[ext] = sorted(
            zip(f["code"], f["row"].astype("Int64").astype(str), f["column"].astype(str),
                values, strict=True)
        )
    assert len({code for code, *_ in findings["csv"]}) > 20, "every defect must be found"
    assert findings["xlsx"] == findings["csv"]
    assert findings["parquet"] == findings["csv"]
