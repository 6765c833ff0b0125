"""Reports built once per module from the bundled example and from hand-made Reports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import siksval
from siksval.model import FINDING_COLUMNS, Report, RuleInfo, Severity, SourceInfo

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "dtks_contoh.csv"
AS_OF = "2026-10-31"


@pytest.fixture(scope="session")
def example_report() -> Report:
    return siksval.check(EXAMPLE, as_of=AS_OF)


@pytest.fixture(scope="session")
def example_report_en() -> Report:
    return siksval.check(EXAMPLE, as_of=AS_OF, lang="en")


def chg_rule(code: str = "CHG001") -> RuleInfo:
    return RuleInfo(
        code=code, name="deceased-alive-again", severity=Severity.ERROR, family="CHG",
        level="row", columns=("status_keberadaan",), datasets=("dtks",), options={},
        doc="What: ...", message={"id": "{nama} tercatat meninggal di data lama",
                                  "en": "{nama} recorded deceased in the old file"},
        summary={"id": "Meninggal lalu hidup lagi", "en": "Deceased, then alive again"},
    )


def diff_like_report(lang: str = "id") -> Report:
    """A Report as `siksval diff` would give: CHG findings, counts and per-desa sections in
    `extra`, a duplicate cluster, context for the records."""
    findings = pd.DataFrame([{
        "code": "CHG001", "severity": "error", "row": 3, "rows": [3], "column": "status_keberadaan",
        "value": "HIDUP", "no_kk": "3273012505180007", "nik": "3273014506900003",
        "source": "baru.csv", "params": {"nama": "SITI AMINAH"},
    }], columns=list(FINDING_COLUMNS))
    context = pd.DataFrame([
        {"source": "baru.csv", "row": r, "kecamatan": "SUKAJADI", "desa": "SUKAWARNA",
         "alamat": "JL. MAWAR 5, RT 001/RW 002", "kode_wilayah": "3273012001",
         "no_kk": "3273012505180007", "nik": nik, "nama": nama, "tgl_lahir": "06-05-1990",
         "nama_ibu_kandung": "ENAH", "kepala": "BUDI SANTOSO"}
        for r, nik, nama in ((3, "3273014506900003", "SITI AMINAH"),
                             (9, "3273014506900004", "SITI AMINA"))
    ])
    return Report(
        dataset="dtks", as_of="2026-10-31",
        sources=[SourceInfo(path="baru.csv", format="csv", records=10)],
        findings_raw=findings, rules={"CHG001": chg_rule()}, lang=lang,
        duplicates=[{"cluster": 1, "rows": [3, 9], "kind": "other-nik", "score": 0.97,
                     "evidence": {"nama": 0.93, "tgl_lahir": "exact", "nik": "1 digit differs"}}],
        extra={
            "counts": {"people": {"added": 4, "removed": 2, "moved": 1, "changed": 7},
                       "households": {"added": 1, "removed": 0, "changed": 3}},
            "per_desa": [{"desa": "SUKAWARNA", "kode_wilayah": "3273012001", "added": 4,
                          "removed": 2}],
        },
        context=context, rules_run=["CHG001", "CHG002"],
    )


@pytest.fixture
def diff_report() -> Report:
    return diff_like_report()
