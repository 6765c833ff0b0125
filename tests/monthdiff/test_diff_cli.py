"""`siksval diff` end to end through the real CLI: synthetic months written as SIKS-NG files,
text / JSON / CSV reports, exit codes, masking, errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from siksval.synth.month import EXPECTED_CHG
from tests.conftest import run_cli
from tests.test_json_report import validate

AS_OF_OLD = "2026-10-31"
AS_OF_NEW = "2026-11-30"


@pytest.fixture(scope="module")
def months(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("months")
    old, new = d / "dtks_2026_10.csv", d / "dtks_2026_11.csv"
    r = run_cli("synth", str(old), "--rows", "1500", "--seed", "4", "--as-of", AS_OF_OLD)
    assert r.returncode == 0, r.stderr
    r = run_cli("synth", str(new), "--next-month-of", str(old), "--seed", "5", "--changes", "2",
                "--as-of", AS_OF_NEW, "--truth", str(d / "perubahan.csv"))
    assert r.returncode == 0, r.stderr
    return {"old": old, "new": new, "changes": d / "perubahan.csv", "dir": d}


def test_synth_next_month_writes_month_and_changes(months) -> None:
    ch = pd.read_csv(months["changes"], dtype=str)
    assert set(EXPECTED_CHG) <= set(ch["change"])
    assert (ch["change"].value_counts() <= 2).all()
    new = pd.read_csv(months["new"], sep="|", dtype=str)
    assert len(new) > 1000


def test_json_report_has_counts_findings_and_old_rows(months) -> None:
    out = months["dir"] / "diff.json"
    r = run_cli("diff", str(months["old"]), str(months["new"]), "--as-of", AS_OF_NEW,
                "--format", "json", "--output", str(out), "--no-progress")
    assert r.returncode == 0, r.stderr  # CHG findings are warnings; default --fail-on error
    doc = json.loads(out.read_text(encoding="utf-8"))
    validate(doc)
    changes = doc["changes"]
    assert changes["old"] == str(months["old"]) and changes["new"] == str(months["new"])
    assert set(changes["people"]) == {"added", "removed", "moved", "changed"}
    assert set(changes["households"]) == {"added", "removed", "changed"}
    assert all(v > 0 for v in changes["people"].values())
    for group in ("people", "households"):
        for k, v in changes[group].items():
            assert sum(d[group][k] for d in changes["per_desa"]) == v
    assert {f["code"] for f in doc["findings"]} == set(EXPECTED_CHG.values())
    assert all(f["old_rows"] for f in doc["findings"])
    assert doc["masked"] is True
    nik = next(f for f in doc["findings"] if f["code"] == "CHG004")
    assert "*" in nik["key"]["nik"] and "*" in nik["details"]["nik_other"]
    assert "*" not in json.dumps(doc["changes"])  # counts carry no personal data


def test_exit_codes_follow_fail_on(months) -> None:
    args = ("diff", str(months["old"]), str(months["new"]), "--as-of", AS_OF_NEW, "-q")
    assert run_cli(*args, "--fail-on", "warning").returncode == 1
    assert run_cli(*args, "--fail-on", "warning", "--ignore", "CHG").returncode == 0
    assert run_cli(*args, "--fail-on", "never").returncode == 0


def test_text_in_english_and_csv_unmasked(months) -> None:
    r = run_cli("diff", str(months["old"]), str(months["new"]), "--as-of", AS_OF_NEW,
                "--lang", "en", "--no-progress")
    assert r.returncode == 0, r.stderr
    assert "Month-to-month changes" in r.stdout and "Changes per desa" in r.stdout
    assert "CHG005" in r.stdout and "All household members changed" in r.stdout
    out = months["dir"] / "diff.csv"
    r = run_cli("diff", str(months["old"]), str(months["new"]), "--as-of", AS_OF_NEW,
                "--format", "csv", "--output", str(out), "--unmask", "--select", "CHG004")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    ch = pd.read_csv(months["changes"], dtype=str)
    want = ch[ch["change"] == "nik_changed"]
    assert {(r["row"], r["old_rows"], r["nik"]) for r in rows} == {
        (a, b, n) for a, b, n in zip(want["row_after"], want["row_before"], want["nik"],
                                     strict=True)}


def test_errors_are_one_sentence(months, tmp_path) -> None:
    r = run_cli("diff", str(months["old"]), str(tmp_path / "missing.csv"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and "missing.csv" in r.stderr
    lksa = tmp_path / "lksa.csv"
    r = run_cli("synth", str(lksa), "--dataset", "lksa", "--rows", "20")
    assert r.returncode == 0, r.stderr
    r = run_cli("diff", str(months["old"]), str(lksa), "--lang", "en")
    assert r.returncode == 2 and "compares DTKS exports" in r.stderr
    r = run_cli("synth", str(tmp_path / "x.csv"), "--next-month-of", str(lksa))
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_html_and_xlsx_show_the_changes(months) -> None:
    from python_calamine import CalamineWorkbook

    html, xlsx = months["dir"] / "diff.html", months["dir"] / "diff.xlsx"
    r = run_cli("diff", str(months["old"]), str(months["new"]), "--as-of", AS_OF_NEW, "-q",
                "-f", "html", "-o", str(html), "-f", "xlsx", "-o", str(xlsx))
    assert r.returncode == 0, r.stderr
    page = html.read_text(encoding="utf-8")
    for section in ("extra-counts", "extra-fields", "extra-per_desa"):
        assert f'id="{section}"' in page
    changed_nik = pd.read_csv(months["changes"], dtype=str).query("change == 'nik_changed'")
    assert not any(n in page for n in changed_nik["nik"])  # masked by default
    rows = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
    cells = {str(v) for row in rows for v in row}
    assert {"Jumlah perubahan", "Per desa/kelurahan", "CHG005"} <= cells
