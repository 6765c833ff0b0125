"""End-to-end: NIK, KK, DEM, WIL and HH rules on synthetic exports with injected defects.

siksval synth writes a realistic export and the truth (every finding the injected defects must
produce, including documented cascades). For each rule of these families, the findings must
equal the truth: precision and recall 1.0, nothing missed and nothing extra.
"""

from __future__ import annotations

import pandas as pd
import pytest

import siksval

synth = pytest.importorskip("siksval.synth")

AS_OF = "2026-10-31"
FAMILIES = ("NIK", "KK", "DEM", "WIL", "HH")
CODES = [c for c in synth.DTKS_CODES if c.startswith(FAMILIES)]


def _pairs(frame: pd.DataFrame, code: str) -> set[int]:
    rows = frame.loc[frame["code"] == code, "row"]
    return {int(r) for r in rows}


def _check_file(res, path, fmt: str | None = None) -> dict[str, tuple[set[int], set[int]]]:
    synth.write_result(res, path, style="siksng", fmt=fmt)
    report = siksval.check(path, dataset="dtks", as_of=AS_OF, select=list(FAMILIES))
    found = report.findings_raw
    truth = res.truth
    return {code: (_pairs(found, code), _pairs(truth, code)) for code in CODES}


def _assert_exact(result: dict[str, tuple[set[int], set[int]]]) -> None:
    problems = []
    for code, (found, expected) in result.items():
        missed, extra = expected - found, found - expected
        if missed or extra:
            problems.append(f"{code}: missed rows {sorted(missed)}, extra rows {sorted(extra)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("seed", [11, 12])
def test_every_injected_defect_found_and_nothing_else(tmp_path, seed):
    res = synth.generate_dtks(n_rows=4000, seed=seed, defects="all=3", as_of=AS_OF)
    result = _check_file(res, tmp_path / "dtks.csv")
    # the truth holds every family's defects, so recall is measured on real injections
    assert all(expected for _found, expected in result.values()), "a defect was not injected"
    _assert_exact(result)


def test_xlsx_export_gives_the_same_findings(tmp_path):
    res = synth.generate_dtks(n_rows=1500, seed=5, defects="all", as_of=AS_OF)
    _assert_exact(_check_file(res, tmp_path / "dtks.xlsx"))


def test_clean_export_has_no_findings(tmp_path):
    res = synth.generate_dtks(n_rows=3000, seed=3, as_of=AS_OF)
    result = _check_file(res, tmp_path / "clean.csv")
    assert {code: found for code, (found, _e) in result.items() if found} == {}
