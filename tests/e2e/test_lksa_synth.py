"""End-to-end: the LKS rules on synthetic LKSA exports with injected defects.

`siksval synth --dataset lksa` writes the institutions, the children (`<stem>_anak`) and a DTKS
family file sharing some children (`<stem>_dtks`), plus the truth: every LKS finding the
injected defects must produce, with the file (dataset) it belongs to. Checked together through
the real CLI (`check anak lksa --against dtks`), every LKS rule must find exactly its truth:
precision and recall 1.0 per rule, record numbers per file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import siksval

synth = pytest.importorskip("siksval.synth")
if not hasattr(synth, "generate_lksa"):
    pytest.skip("the LKSA synthetic generator is not in this checkout", allow_module_level=True)

AS_OF = "2026-10-31"
CODES = [f"LKS00{i}" for i in range(1, 9)]
Key = tuple[str, str, int, tuple[int, ...]]  # dataset, code, row, rows


def _truth(res) -> set[Key]:
    parts = [res.truth, *[e.truth for e in res.extra.values()]]
    t = pd.concat(parts, ignore_index=True)
    t = t[t["code"].isin(CODES)]
    return {
        (str(d), str(c), int(r), tuple(int(x) for x in str(rs).split()))
        for d, c, r, rs in zip(t["dataset"], t["code"], t["row"], t["rows"], strict=True)
    }


def _found(findings: list[dict], datasets: dict[str, str]) -> set[Key]:
    return {
        (datasets[Path(f["source"]).name], f["code"], int(f["row"]), tuple(f["rows"]))
        for f in findings
        if f["code"] in CODES
    }


def _assert_exact(found: set[Key], expected: set[Key]) -> None:
    problems = []
    for code in CODES:
        f = {k for k in found if k[1] == code}
        e = {k for k in expected if k[1] == code}
        if f != e:
            problems.append(f"{code}: missed {sorted(e - f)}, extra {sorted(f - e)}")
    assert not problems, "\n".join(problems)


def _write(res, folder: Path, ext: str = ".csv") -> tuple[Path, Path, Path]:
    paths = (folder / f"lksa{ext}", folder / f"lksa_anak{ext}", folder / f"lksa_dtks{ext}")
    for part, p in zip((res, res.extra["lksa_anak"], res.extra["dtks"]), paths, strict=True):
        synth.write_result(part, p, style="siksng")
    return paths


def test_every_injected_lks_defect_found_and_nothing_else(tmp_path: Path, cli) -> None:
    res = synth.generate_lksa(n_children=400, seed=21, defects="all=3", as_of=AS_OF)
    assert not res.skipped, f"defects not injected: {res.skipped}"
    lksa, anak, dtks = _write(res, tmp_path)
    out = cli(
        "check",
        str(anak),
        str(lksa),
        "--against",
        str(dtks),
        "--as-of",
        AS_OF,
        "--select",
        "LKS",
        "--format",
        "json",
        "--unmask",
    )
    assert out.returncode in (0, 1), out.stderr
    report = json.loads(out.stdout)
    assert report["rules_skipped"] == []
    datasets = {Path(s["path"]).name: s["dataset"] for s in report["sources"]}
    assert sorted(datasets.values()) == ["lksa", "lksa_anak"]
    expected = _truth(res)
    assert {k[1] for k in expected} == set(CODES), "a rule has no injected defect to find"
    _assert_exact(_found(report["findings"], datasets), expected)


def _api_findings(report) -> list[dict]:
    f = report.findings_raw
    return [
        {"source": s, "code": c, "row": r, "rows": rs}
        for s, c, r, rs in zip(f["source"], f["code"], f["row"], f["rows"], strict=True)
    ]


@pytest.mark.parametrize("seed", [22, 23])
def test_other_seeds_and_lists_in_reverse_order(tmp_path: Path, seed: int) -> None:
    res = synth.generate_lksa(n_children=500, seed=seed, defects="all=4", as_of=AS_OF)
    assert not res.skipped, f"defects not injected: {res.skipped}"
    lksa, anak, dtks = _write(res, tmp_path)
    report = siksval.check([str(lksa), str(anak)], against=str(dtks), as_of=AS_OF, select=["LKS"])
    datasets = {Path(s.path).name: s.dataset for s in report.sources}
    _assert_exact(_found(_api_findings(report), datasets), _truth(res))


def test_synth_cli_writes_three_files_and_check_finds_the_truth(tmp_path: Path, cli) -> None:
    """The user's path: `siksval synth --dataset lksa`, then `siksval check`."""
    out = tmp_path / "lksa.csv"
    truth_csv = tmp_path / "truth.csv"
    made = cli(
        "synth",
        str(out),
        "--dataset",
        "lksa",
        "--rows",
        "300",
        "--seed",
        "5",
        "--defects",
        "all",
        "--as-of",
        AS_OF,
        "--truth",
        str(truth_csv),
    )
    assert made.returncode == 0, made.stderr
    anak, dtks = tmp_path / "lksa_anak.csv", tmp_path / "lksa_dtks.csv"
    assert anak.exists() and dtks.exists()
    res = cli(
        "check",
        str(anak),
        str(out),
        "--against",
        str(dtks),
        "--as-of",
        AS_OF,
        "--select",
        "LKS",
        "--format",
        "json",
    )
    report = json.loads(res.stdout)
    datasets = {Path(s["path"]).name: s["dataset"] for s in report["sources"]}
    t = pd.read_csv(truth_csv, dtype=str)
    t = t[t["code"].isin(CODES)]
    expected = {
        (d, c, int(r), tuple(int(x) for x in rs.split()))
        for d, c, r, rs in zip(t["dataset"], t["code"], t["row"], t["rows"], strict=True)
    }
    _assert_exact(_found(report["findings"], datasets), expected)


def test_xlsx_exports_give_the_same_findings(tmp_path: Path) -> None:
    res = synth.generate_lksa(n_children=200, seed=7, defects="all", as_of=AS_OF)
    lksa, anak, dtks = _write(res, tmp_path, ".xlsx")
    report = siksval.check([str(anak), str(lksa)], against=str(dtks), as_of=AS_OF, select=["LKS"])
    datasets = {Path(s.path).name: s.dataset for s in report.sources}
    _assert_exact(_found(_api_findings(report), datasets), _truth(res))


def test_clean_lksa_files_have_no_lks_findings(tmp_path: Path) -> None:
    res = synth.generate_lksa(n_children=400, seed=3, as_of=AS_OF)
    lksa, anak, dtks = _write(res, tmp_path)
    report = siksval.check([str(anak), str(lksa)], against=str(dtks), as_of=AS_OF, select=["LKS"])
    assert report.findings_raw.empty, report.findings_raw[["code", "row", "source"]]
    # the near misses (children who left their DTKS family: PINDAH there) stayed silent
    assert len(res.extra["lksa_anak"].near_misses) > 0


def test_shipped_lksa_examples_match_their_truth() -> None:
    """examples/lksa_*contoh.csv (README/docs material) give exactly lksa_contoh_truth.csv."""
    ex = Path(__file__).resolve().parents[2] / "examples"
    report = siksval.check(
        [str(ex / "lksa_anak_contoh.csv"), str(ex / "lksa_contoh.csv")],
        against=str(ex / "lksa_keluarga_contoh.csv"),
        as_of=AS_OF,
        select=["LKS"],
    )
    datasets = {Path(s.path).name: s.dataset for s in report.sources}
    t = pd.read_csv(ex / "lksa_contoh_truth.csv", dtype=str)
    t = t[t["code"].isin(CODES)]
    expected = {
        (d, c, int(r), tuple(int(x) for x in rs.split()))
        for d, c, r, rs in zip(t["dataset"], t["code"], t["row"], t["rows"], strict=True)
    }
    assert {k[1] for k in expected} == set(CODES)
    _assert_exact(_found(_api_findings(report), datasets), expected)
