"""The JSON report: JSON Schema in the repo, golden files, masking, streaming.

Regenerate the golden files after an intended change of the report with
`SIKSVAL_UPDATE_GOLDEN=1 pytest tests/test_json_report.py` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd
import pytest

import siksval
from siksval.report.json import json_schema, write_json
from tests.pipeline_fixtures import SIKS_HEADER, SIKS_ROWS, write_delimited, write_xlsx

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("SIKSVAL_UPDATE_GOLDEN") == "1"
AS_OF = "2026-10-31"
VALIDATOR = jsonschema.Draft202012Validator(json_schema())

LKSA_ANAK_HEADER = ["NIK_ANAK", "NAMA_ANAK", "TANGGAL_LAHIR", "JENIS_KELAMIN",
                    "NO_REGISTRASI_LKSA", "KATEGORI_PPKS", "STATUS_ANAK", "TANGGAL_MASUK"]
LKSA_ANAK_ROWS = [
    ["3273014203150001", "PUTRI", "02/03/2015", "P", "LKSA-001", "ANAK TERLANTAR", "AKTIF",
     "01/07/2020"],
    ["3273010101120002", "ANDI", "01/01/2012", "L", "LKSA-001", "ANJAL", "PULANG", "2021-13-01"],
    ["", "BAYU", "", "LAKI-LAKI", "", "BALITA", "KELUAR", ""],
]


def validate(doc: dict[str, Any]) -> None:
    """Schema-valid, and the summary agrees with the findings it summarises."""
    errors = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    findings = doc["findings"]
    for sev in ("error", "warning", "info"):
        assert doc["summary"][sev] == sum(f["severity"] == sev for f in findings)
    by_code: dict[str, int] = {}
    for f in findings:
        by_code[f["code"]] = by_code.get(f["code"], 0) + 1
        if f["row"] is not None:
            assert f["row"] == f["rows"][0] or f["row"] in f["rows"]
            assert f["row"] <= doc["source"]["records"]
    assert {c: v["count"] for c, v in doc["summary"]["by_rule"].items()} == by_code


def normalised(text: str) -> dict[str, Any]:
    """The report without what differs between machines and versions."""
    doc = json.loads(text)
    doc["siksval_version"] = "<version>"
    doc["reference"] = {"wilayah": "<edition>"}
    for src in [doc["source"], *doc.get("sources", [])]:
        src["path"] = Path(src["path"]).name
    return doc


def check_golden(name: str, doc: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    rendered = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"golden file {path} missing; run with SIKSVAL_UPDATE_GOLDEN=1")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == doc, (
        f"{path.name} differs; if the change is intended, regenerate with SIKSVAL_UPDATE_GOLDEN=1"
    )


@pytest.fixture
def siks_pipe(tmp_path: Path) -> Path:
    return write_delimited(tmp_path / "dtks_siks.txt", SIKS_HEADER, SIKS_ROWS, delimiter="|")


def test_golden_dtks_masked(siks_pipe: Path) -> None:
    report = siksval.check(siks_pipe, as_of=AS_OF, select=["SCH"])
    text = report.to_json()
    doc = json.loads(text)
    validate(doc)
    assert doc["masked"] is True
    check_golden("dtks_siks_sch", normalised(text))


def test_golden_dtks_unmasked_english(siks_pipe: Path) -> None:
    report = siksval.check(siks_pipe, as_of=AS_OF, select=["SCH"], lang="en")
    text = report.to_json(mask=False)
    validate(json.loads(text))
    check_golden("dtks_siks_sch_unmasked_en", normalised(text))


def test_golden_lksa_anak(tmp_path: Path) -> None:
    path = write_delimited(tmp_path / "anak.csv", LKSA_ANAK_HEADER, LKSA_ANAK_ROWS, delimiter=";")
    report = siksval.check(path, as_of=AS_OF, select=["SCH"])
    assert report.dataset == "lksa_anak"
    text = report.to_json()
    validate(json.loads(text))
    check_golden("lksa_anak_sch", normalised(text))


def test_json_shape_per_report_md(siks_pipe: Path) -> None:
    doc = siksval.check(siks_pipe, as_of=AS_OF, select=["SCH"]).to_dict()
    assert list(doc)[:10] == ["report_version", "siksval_version", "dataset", "as_of", "source",
                              "reference", "summary", "rules_skipped", "masked", "findings"]
    assert list(doc)[-1] == "duplicates" and doc["duplicates"] == []
    src = doc["source"]
    assert (src["format"], src["delimiter"], src["encoding"], src["records"]) == (
        "csv", "|", "utf-8", len(SIKS_ROWS)
    )
    assert src["columns_mapped"]["NOMOR_NIK"] == "nik"
    assert src["columns_unknown"] == ["FOTO_RUMAH"]
    assert doc["summary"]["by_rule"]["SCH003"] == {"severity": "error", "count": 3,
                                                   "households": None}
    first = doc["findings"][0]
    assert list(first)[:8] == ["code", "severity", "row", "rows", "column", "value", "message",
                               "key"]


def test_masking_hides_every_nik_and_name(siks_pipe: Path) -> None:
    report = siksval.check(siks_pipe, as_of=AS_OF, select=["SCH"])
    masked = report.to_json()
    unmasked = report.to_json(mask=False)
    for row in SIKS_ROWS:
        for value in (row[3], row[4]):
            if len(value) == 16:
                assert value not in masked
        assert row[5] == "" or row[5] not in masked or len(row[5]) < 4
    assert "3273010101100001" in unmasked
    assert "3273**********01" in masked


def test_empty_report_is_valid(tmp_path: Path) -> None:
    rows = [r for r in SIKS_ROWS[:2]]
    path = write_delimited(tmp_path / "ok.csv", SIKS_HEADER[:-1], [r[:-1] for r in rows])
    report = siksval.check(path, as_of=AS_OF, select=["SCH"])
    doc = json.loads(report.to_json())
    validate(doc)
    assert doc["findings"] == [] and doc["summary"]["by_rule"] == {}
    compact = io.StringIO()
    write_json(report, compact, indent=None)
    assert json.loads(compact.getvalue()) == doc


def test_xlsx_source_carries_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", SIKS_HEADER, SIKS_ROWS, sheet="DTKS")
    doc = siksval.check(path, as_of=AS_OF, select=["SCH"]).to_dict()
    validate(doc)
    assert doc["source"]["format"] == "xlsx" and doc["source"]["sheet"] == "DTKS"
    assert doc["source"]["delimiter"] is None


def test_dataframe_source_is_valid() -> None:
    df = pd.DataFrame([r[:-1] for r in SIKS_ROWS], columns=SIKS_HEADER[:-1])
    doc = siksval.check(df, as_of=AS_OF, select=["SCH"]).to_dict()
    validate(doc)
    assert doc["source"]["format"] == "dataframe" and doc["source"]["sha256"] is None


class CountingWriter(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, s: str) -> int:
        self.writes += 1
        return super().write(s)


def test_many_findings_stream_and_stay_valid(tmp_path: Path) -> None:
    n = 3000
    rows = [["D", "JABAR", "BDG", f"{3273010101100000 + i // 3}", "-", f"NAMA {i}", "31-02-1980",
             "X", "ANAK", "KAWIN", "11", "MUNGKIN", "0", ""] for i in range(n)]
    path = write_delimited(tmp_path / "big.csv", SIKS_HEADER, rows)
    report = siksval.check(path, as_of=AS_OF, select=["SCH"])
    out = CountingWriter()
    write_json(report, out)
    doc = json.loads(out.getvalue())
    validate(doc)
    assert len(doc["findings"]) == 6 * n + 1  # 6 cell findings per record + SCH006
    assert out.writes > len(doc["findings"])  # one write per finding: streamed, not built whole
