"""The generic runner of the per-rule YAML case tables in tests/rules/cases/<CODE>.yml.

Each case gives rows as an officer's export would hold them and the record numbers where the
rule must fire; everything else (the near misses) must stay silent.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

import siksval
from siksval.rules import catalogue

CASES_DIR = Path(__file__).parent / "cases"
#: Two-month cases of `siksval diff` (CHG rules): each case has `old:` and `new:` rows and
#: `expect` holds record numbers of NEW.
DIFF_CASES_DIR = Path(__file__).parent / "diff_cases"


def _load_cases() -> list[tuple[str, dict, dict]]:
    out = []
    for path in sorted([*CASES_DIR.glob("*.yml"), *DIFF_CASES_DIR.glob("*.yml")]):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec.get("cases", []):
            out.append((path.stem, spec, case))
    return out


CASES = _load_cases()


def frame_for(spec: dict, case: dict) -> pd.DataFrame:
    defaults = dict(spec.get("defaults") or {})
    defaults.update(case.get("defaults") or {})
    # A default set to null in a case removes that column (e.g. to test other header spellings).
    defaults = {k: v for k, v in defaults.items() if v is not None}
    rows = [{**defaults, **(row or {})} for row in case["rows"]]
    columns: list[str] = []
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    data = {c: ["" if r.get(c) is None else str(r.get(c)) for r in rows] for c in columns}
    return pd.DataFrame(data, dtype="str")


def run_case(spec: dict, case: dict) -> tuple[set[int], set[str]]:
    code = spec["code"]
    if "files" in case:
        return run_files_case(spec, case)
    if "old" in case:
        return run_diff_case(spec, case)
    df = frame_for(spec, case)
    config = {**(spec.get("config") or {}), **(case.get("config") or {})}
    report = siksval.check(
        df,
        dataset=case.get("dataset", spec.get("dataset", "dtks")),
        as_of=str(case.get("as_of", spec.get("as_of", "2026-10-31"))),
        config=config,
        select=[code],
    )
    found = report.findings_raw
    hits = found[found["code"] == code]
    return {int(r) for r in hits["row"].dropna()}, {str(c) for c in hits["column"].dropna()}


def run_files_case(spec: dict, case: dict) -> tuple[set[int], set[str]]:
    """Cross-file case: `files` maps dataset -> rows (`against` = the DTKS file of --against).

    The file of `dataset` is the first input; `expect` holds record numbers of that file only
    (findings on the other files are ignored), so per-file numbering is tested too.
    `defaults` apply to the main file, `file_defaults: {dataset: {...}}` to the others.
    """
    code = spec["code"]
    main = case.get("dataset", spec.get("dataset", "dtks"))
    file_defaults = {**(spec.get("file_defaults") or {}), **(case.get("file_defaults") or {})}

    def frame(name: str) -> pd.DataFrame:
        defaults = spec.get("defaults") if name == main else file_defaults.get(name)
        return frame_for({"defaults": defaults}, {"rows": case["files"][name]})

    others = [n for n in case["files"] if n not in (main, "against")]
    config = {**(spec.get("config") or {}), **(case.get("config") or {})}
    report = siksval.check(
        [frame(main)] + [frame(n) for n in others],
        dataset=[main, *others],
        against=frame("against") if "against" in case["files"] else None,
        as_of=str(case.get("as_of", spec.get("as_of", "2026-10-31"))),
        config=config,
        select=[code],
    )
    found = report.findings_raw
    hits = found[(found["code"] == code) & (found["source"] == report.sources[0].path)]
    return {int(r) for r in hits["row"].dropna()}, {str(c) for c in hits["column"].dropna()}


def run_diff_case(spec: dict, case: dict) -> tuple[set[int], set[str]]:
    """Two-month case: `old` and `new` rows (spec and case `defaults` apply to both)."""
    code = spec["code"]
    config = {**(spec.get("config") or {}), **(case.get("config") or {})}
    old = frame_for(spec, {"rows": case["old"], "defaults": case.get("defaults")})
    new = frame_for(spec, {"rows": case["new"], "defaults": case.get("defaults")})
    report = siksval.diff(
        old, new, dataset="dtks", as_of=str(case.get("as_of", spec.get("as_of", "2026-10-31"))),
        config=config, select=[code],
    )
    hits = report.findings_raw[report.findings_raw["code"] == code]
    return {int(r) for r in hits["row"].dropna()}, {str(c) for c in hits["column"].dropna()}


@pytest.mark.parametrize(
    ("code", "spec", "case"), CASES, ids=[f"{c}:{case.get('name', '?')}" for c, _, case in CASES]
)
def test_case(code: str, spec: dict, case: dict) -> None:
    assert spec["code"] == code, f"{code}.yml declares code {spec['code']}"
    rows, columns = run_case(spec, case)
    if "expect_columns" in case:  # file-level rules: findings name a column, not a record
        assert columns == set(case["expect_columns"])
        assert rows == set()
    else:
        assert rows == {int(r) for r in case.get("expect", [])}


def test_every_rule_has_firing_and_silent_cases() -> None:
    by_code: dict[str, list[dict]] = {}
    for code, _spec, case in CASES:
        by_code.setdefault(code, []).append(case)
    missing = []
    for code in catalogue():
        cases = by_code.get(code, [])
        fires = any(c.get("expect") or c.get("expect_columns") for c in cases)
        silent = any(not (c.get("expect") or c.get("expect_columns")) for c in cases)
        if not (fires and silent):
            missing.append(code)
    assert not missing, f"rules without a firing case and a near miss in tests/rules/cases: {missing}"
