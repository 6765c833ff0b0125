"""Hostile and broken input: never crash, never lose data, always say why (issue 10).

Every case of the generated corpus (corpus.py) is checked twice:
* in this process through `siksval.check` — a correct report (the same findings as the plain
  CSV of the same records) or a UserError whose English and Indonesian sentences name the
  file — and the input files are byte-identical afterwards (sha256 of every file in the case's
  folder);
* through the real command line in one subprocess (cli_driver.py): exit 0/1 with a JSON report,
  or exit 2 with one sentence on stderr; never a traceback, never an "internal error"; a failed
  run leaves an existing output file as it was and no temporary file behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import siksval
from siksval.config import Config
from siksval.errors import UserError
from tests.conftest import ROOT, run_cli
from tests.hostile.corpus import AS_OF, CASES, RECORDS, Case, build_corpus, plain_csv

SENTINEL = "previous report, must survive a failed run\n"


def _sheet(case: Case) -> str | None:
    args = list(case.extra_args)
    return args[args.index("--sheet") + 1] if "--sheet" in args else None


def _digest(folder: Path) -> dict[str, str]:
    """sha256 of every regular file under `folder` (links are not followed)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink() or not p.is_file():
            continue
        try:
            out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
        except PermissionError:
            out[str(p)] = f"unreadable:{p.stat().st_size}:{p.stat().st_mtime_ns}"
    return out


def _findings(report) -> set[tuple[str, object, object]]:
    f = report.findings_raw
    return {(c, None if pd.isna(r) else int(r), col)
            for c, r, col in zip(f["code"], f["row"], f["column"], strict=True)}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("hostile")
    return folder, build_corpus(folder)


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, object, object]]:
    path = plain_csv(tmp_path_factory.mktemp("hostile_baseline"))
    report = siksval.check(path, as_of=AS_OF, config=Config())
    assert report.records == RECORDS
    return _findings(report)


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
    kinds = {c.expect for c in CASES}
    assert kinds == {"report", "error"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_in_process(case: Case, corpus, baseline) -> None:
    folder, paths = corpus
    reason = case.skip() if case.skip else None
    if reason:
        pytest.skip(reason)
    path = paths[case.name]
    before = _digest(folder / case.name)
    try:
        report = siksval.check(path, as_of=AS_OF, config=Config(), sheet=_sheet(case))
        error = None
    except UserError as exc:
        report, error = None, exc
    assert _digest(folder / case.name) == before, "the input files changed"
    if case.expect == "error":
        assert error is not None, f"expected an error, got a report of {report.records} records"
        name = case.names or Path(path).name
        for text in (error.message_en, error.text("id")):
            assert name in text, text
            assert "\n" not in text and text.endswith("."), text
            assert "Traceback" not in text
        for word in case.words:
            assert word.lower() in error.message_en.lower(), (word, error.message_en)
        assert error.text("id") != error.message_en, "no Indonesian sentence"
        return
    assert error is None, f"expected a report, got: {error}"
    assert report.records == (case.records or RECORDS)
    assert report.source.dataset == "dtks"
    if case.baseline:
        assert _findings(report) == baseline
    if case.check:
        case.check(report)


def _cli_runs(folder: Path, paths: dict[str, str], out: Path) -> list[dict[str, object]]:
    runs = []
    for case in CASES:
        if not case.through_cli or (case.skip and case.skip()):
            continue
        target = out / f"{case.name}.json"
        target.write_text(SENTINEL, encoding="utf-8")
        runs.append({
            "name": case.name,
            "args": ["check", paths[case.name], "--as-of", AS_OF, "--lang", "en", "--no-progress",
                     "--format", "json", "--output", str(target), *case.extra_args],
        })
    # Standard input, twice: a good export, and garbage.
    plain = Path(plain_csv(folder / "_stdin")).read_text(encoding="utf-8")
    for name, text in (("stdin_good", plain), ("stdin_garbage", "\x00\x01\x02\x03" * 100)):
        target = out / f"{name}.json"
        target.write_text(SENTINEL, encoding="utf-8")
        runs.append({"name": name, "stdin": text,
                     "args": ["check", "-", "--as-of", AS_OF, "--lang", "en", "--no-progress",
                              "--format", "json", "--output", str(target)]})
    return runs


@pytest.fixture(scope="session")
def cli_results(corpus, tmp_path_factory: pytest.TempPathFactory):
    folder, paths = corpus
    work = tmp_path_factory.mktemp("hostile_cli")
    out = work / "out"
    out.mkdir()
    runs = _cli_runs(folder, paths, out)
    spec, results = work / "runs.json", work / "results.json"
    spec.write_text(json.dumps(runs), encoding="utf-8")
    before = _digest(folder)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "CI": "1"}
    env.pop("SIKSVAL_LANG", None)
    env.pop("SIKSVAL_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "tests.hostile.cli_driver", str(spec), str(results)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    assert _digest(folder) == before, "the CLI changed an input file"
    return out, json.loads(results.read_text(encoding="utf-8"))


CLI_CASES = [c for c in CASES if c.through_cli]


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.name for c in CLI_CASES])
def test_case_through_the_cli(case: Case, cli_results) -> None:
    reason = case.skip() if case.skip else None
    if reason:
        pytest.skip(reason)
    out, results = cli_results
    res = results[case.name]
    assert res["escaped"] is None, res["escaped"]
    stderr = res["stderr"]
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    target = out / f"{case.name}.json"
    if case.expect == "error":
        assert res["code"] == 2, (res["code"], stderr)
        lines = [ln for ln in stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("siksval: "), stderr
        # The failed run neither wrote a report nor clobbered the previous one.
        assert target.read_text(encoding="utf-8") == SENTINEL
    else:
        assert res["code"] in (0, 1), (res["code"], stderr)
        report = json.loads(target.read_text(encoding="utf-8"))
        assert report["source"]["records"] == (case.records or RECORDS)
        assert report["source"]["dataset"] == "dtks"
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")], "temporary file left"


def test_stdin_through_the_cli(cli_results) -> None:
    out, results = cli_results
    good, bad = results["stdin_good"], results["stdin_garbage"]
    assert good["escaped"] is None and good["code"] == 1, good["stderr"]
    report = json.loads((out / "stdin_good.json").read_text(encoding="utf-8"))
    assert report["source"]["path"] == "<stdin>"
    assert bad["code"] == 2 and "<stdin>" in bad["stderr"] and "binary" in bad["stderr"]
    assert "/tmp" not in bad["stderr"], "the temporary copy of stdin leaked into the message"
    assert (out / "stdin_garbage.json").read_text(encoding="utf-8") == SENTINEL


def test_real_stdin_of_a_plain_process(corpus) -> None:
    """`python -m siksval check -` with a real pipe as standard input (not the driver's)."""
    _, paths = corpus
    res = run_cli("check", "-", "--as-of", AS_OF, "--lang", "en", "-q",
                  input=Path(paths["crlf"]).read_text(encoding="utf-8"))
    assert res.returncode == 1 and "Traceback" not in res.stderr, res.stderr


def test_message_variants_have_both_languages_and_the_same_parameters() -> None:
    import re

    from siksval.rules import catalogue

    for code, info in catalogue().items():
        variants = {k.split(":", 1)[1] for k in info.message if ":" in k}
        for variant in variants:
            texts = [info.message.get(f"{lang}:{variant}") for lang in ("id", "en")]
            assert all(texts), f"{code} variant {variant} lacks a language"
            params = [set(re.findall(r"{(\w+)", t)) for t in texts]
            assert params[0] == params[1], f"{code} variant {variant}: parameters differ"
    sch006 = catalogue()["SCH006"]
    text = sch006.render({"column": "NIK#2", "variant": "duplicate", "canonical": "nik",
                          "first": "NIK"}, "en")
    assert text.startswith("Column 'NIK#2' is a second column for nik (the first is 'NIK')")
    assert "tidak dikenali" in sch006.render({"column": "FOTO"}, "id")


def test_formula_cells_stay_inert_in_every_output(corpus, tmp_path: Path) -> None:
    """Values such as `=HYPERLINK(...)` or `+cmd|...` travel into findings: every available
    format renders them, and the CSV report neutralises them (OWASP CSV injection)."""
    import csv

    from siksval.report import FORMATTERS, available, render

    _, paths = corpus
    report = siksval.check(paths["formula_every_cell"], as_of=AS_OF, config=Config())
    assert any(str(v).startswith("=") for v in report.findings_raw["value"].dropna())
    for fmt in available():
        target = tmp_path / f"laporan{FORMATTERS[fmt].extension}"
        render(report, fmt, target, mask=False)
        assert target.stat().st_size > 0
    with (tmp_path / "laporan.csv").open(encoding="utf-8", newline="") as fh:
        cells = [c for row in csv.reader(fh) for c in row]
    assert cells and not [c for c in cells if c.startswith(("=", "+", "-", "@"))]


def test_mixed_encodings_are_read_cell_by_cell(corpus) -> None:
    """utf-8 lines and cp1252 lines in one file: both come back as the text that was meant."""
    from siksval.io.read import read_table

    _, paths = corpus
    table = read_table(paths["mixed_encodings"])
    names = table.frame["NAMA"].tolist()
    assert names[0] == "BUDI SANTOSO É" and names[1] == "SITI AMINAH Ñ"  # utf-8 lines
    assert names[4] == "RINA Ü"  # a cp1252 line
    assert table.source.encoding == "utf-8+cp1252"
