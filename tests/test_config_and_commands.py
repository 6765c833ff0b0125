"""Configuration (siksval.toml, [tool.siksval], `siksval init`), `siksval rules`/`schema`, and
the library API."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import siksval
from siksval import config as config_mod
from siksval.config import Config
from siksval.errors import UserError
from siksval.initfile import default_config_text
from siksval.model import Severity
from siksval.rules import catalogue
from tests.pipeline_fixtures import (
    SIKS_HEADER,
    SIKS_ROWS,
    run_cli,
    run_main,
    write_delimited,
)

AS_OF = "2026-10-31"


@pytest.fixture
def defects(tmp_path: Path) -> Path:
    return write_delimited(tmp_path / "dtks.txt", SIKS_HEADER, SIKS_ROWS)


def codes(report: siksval.Report) -> set[str]:
    return set(report.findings["code"])


# -- config ----------------------------------------------------------------------------------


def test_siksval_toml_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "siksval.toml").write_text('ignore = ["SCH006"]\nfail_on = "warning"\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    cfg = config_mod.load(start=sub)
    assert cfg.ignore == ["SCH006"] and cfg.fail_on == "warning"
    assert cfg.path == str(tmp_path / "siksval.toml")


def test_tool_siksval_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.siksval]\nselect = ["SCH"]\n'
        '[tool.siksval.severity]\nSCH003 = "warning"\n'
        '[tool.siksval.aliases]\nnik = ["NIK KTP"]\n'
    )
    cfg = config_mod.load(start=tmp_path)
    assert cfg.select == ["SCH"]
    assert cfg.severity == {"SCH003": Severity.WARNING}
    assert cfg.aliases == {"nik": ["NIK KTP"]}


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert config_mod.load(start=tmp_path).path is None


def test_select_ignore_most_specific_wins() -> None:
    cfg = Config(select=["NIK", "SCH00"], ignore=["NIK009", "SCH"])
    assert cfg.is_selected("NIK001") and not cfg.is_selected("NIK009")
    assert cfg.is_selected("SCH002") and not cfg.is_selected("KK001")
    cfg = Config(ignore=["SCH"])
    assert not cfg.is_selected("SCH001") and cfg.is_selected("NIK001")


def test_severity_override_most_specific_wins() -> None:
    cfg = config_mod.from_mapping({"severity": {"SCH": "warning", "SCH006": "error"}})
    assert cfg.severity_for("SCH003", Severity.ERROR) == Severity.WARNING
    assert cfg.severity_for("SCH006", Severity.INFO) == Severity.ERROR
    assert cfg.severity_for("NIK001", Severity.ERROR) == Severity.ERROR


def test_options_merge_policy_and_rule_tables() -> None:
    cfg = config_mod.from_mapping({"policy": {"min_va": 900, "other": 1},
                                   "rules": {"elg004": {"min_va": 2200}}})
    assert cfg.options_for("ELG004", {"min_va": 1300}) == {"min_va": 2200}
    assert cfg.options_for("ELG005", {"min_va": 1300, "max_desil": 4}) == {
        "min_va": 900, "max_desil": 4}


def test_config_applied_by_the_api(defects: Path) -> None:
    report = siksval.check(
        defects, as_of=AS_OF,
        config={"select": ["SCH"], "ignore": ["SCH006"], "severity": {"SCH003": "warning"}},
    )
    assert codes(report) == {"SCH002", "SCH003", "SCH004", "SCH005"}
    sev = report.findings.groupby("code")["severity"].first().to_dict()
    assert sev["SCH003"] == "warning" and sev["SCH002"] == "error"
    assert report.rules["SCH003"].severity == Severity.WARNING
    assert report.exit_code("error") == 1


def test_config_object_is_not_mutated(defects: Path) -> None:
    cfg = Config()
    siksval.check(defects, as_of=AS_OF, config=cfg, select=["SCH001"], ignore=["SCH002"])
    assert cfg.select == [] and cfg.ignore == []


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"select": ["SHC"]}, "SHC"),
        ({"ignore": ["XYZ001"]}, "XYZ001"),
        ({"severity": {"SCH9": "error"}}, "SCH9"),
        ({"severity": {"SCH001": "fatal"}}, "SCH001"),
        ({"aliases": {"nomor": ["X"]}}, "nomor"),
        ({"select": 5}, "select"),
    ],
)
def test_config_typos_are_errors(defects: Path, mapping: dict, message: str) -> None:
    with pytest.raises(UserError, match=message):
        siksval.check(defects, as_of=AS_OF, config=mapping)


def test_config_file_path_option(defects: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "lain.toml"
    cfg.write_text('[tool.siksval]\nselect = ["SCH004"]\n')
    report = siksval.check(defects, as_of=AS_OF, config=cfg)
    assert codes(report) == {"SCH004"}
    with pytest.raises(UserError, match="not found"):
        siksval.check(defects, as_of=AS_OF, config=tmp_path / "tidak_ada.toml")


def test_init_writes_a_commented_default_that_loads_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "siksval.toml"
    r = run_main(capsys, "init", "--output", str(out))
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    assert text == default_config_text()
    assert all(ln.startswith(("#", "[")) or not ln.strip()
               for ln in text.splitlines()), "every default is commented out"
    cfg = config_mod.load(out)
    assert (cfg.select, cfg.ignore, cfg.severity, cfg.aliases) == ([], [], {}, {})
    # Uncommenting the examples gives a valid configuration too.
    uncommented = "\n".join(
        ln[2:] if re.match(r"^# [A-Za-z_][A-Za-z0-9_]* = ", ln) else ln for ln in text.splitlines()
    )
    data = tomllib.loads(uncommented)
    cfg = config_mod.from_mapping(data)
    assert cfg.select and cfg.ignore and cfg.severity and cfg.aliases
    # Every rule with options has its table with every option.
    for info in catalogue().values():
        if info.options and info.family not in ("ELG", "EXC"):
            assert set(data["rules"][info.code]) == set(info.options)
    # A second init refuses to overwrite; --force does.
    assert run_main(capsys, "init", "--output", str(out)).returncode == 2
    assert run_main(capsys, "init", "--output", str(out), "--force").returncode == 0


def test_init_in_a_subprocess(tmp_path: Path) -> None:
    r = run_cli("init", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert config_mod.load(tmp_path / "siksval.toml").path.endswith("siksval.toml")


# -- rules and schema commands ---------------------------------------------------------------


def test_rules_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    r = run_main(capsys, "rules")
    assert r.returncode == 0
    for code in catalogue():
        assert code in r.stdout
    assert "Kolom wajib tidak ada" in r.stdout
    r = run_main(capsys, "rules", "--lang", "en")
    assert "Required column missing" in r.stdout


def test_rules_one_code(capsys: pytest.CaptureFixture[str]) -> None:
    r = run_main(capsys, "rules", "sch003")
    assert r.returncode == 0
    assert r.stdout.startswith("SCH003 code-not-allowed [error]")
    for section in ("What it does:", "Why it matters:", "Example:", "How to fix:"):
        assert section in r.stdout
    r = run_main(capsys, "rules", "NOPE999")
    assert r.returncode == 2 and "NOPE999" in r.stderr


def test_rules_in_a_subprocess() -> None:
    r = run_cli("rules", "SCH004", "--lang", "en")
    assert r.returncode == 0 and "required-value-empty" in r.stdout


@pytest.mark.parametrize("dataset", ["dtks", "lksa", "lksa_anak"])
def test_schema_command(dataset: str, capsys: pytest.CaptureFixture[str]) -> None:
    from siksval.schema import load_schema

    r = run_main(capsys, "schema", dataset)
    assert r.returncode == 0, r.stderr
    flat = " ".join(r.stdout.split())
    for name in load_schema(dataset).columns:
        assert name in r.stdout
    if dataset == "dtks":
        assert "NOMOR_NIK" in flat and "1=LAKI-LAKI" in flat
    r = run_main(capsys, "schema", "bansos")
    assert r.returncode == 2


def test_schema_in_a_subprocess() -> None:
    r = run_cli("schema", "lksa")
    assert r.returncode == 0 and "akreditasi" in r.stdout


# -- library API -----------------------------------------------------------------------------


def test_api_path_and_dataframe_agree(defects: Path) -> None:
    from_path = siksval.check(str(defects), dataset="dtks", as_of=AS_OF, select=["SCH"])
    df = pd.read_csv(defects, sep="|", dtype=str, keep_default_na=False)
    from_df = siksval.check(df, dataset="dtks", as_of=dt.date(2026, 10, 31), select=["SCH"])
    cols = ["code", "severity", "row", "column", "value"]
    pd.testing.assert_frame_equal(from_path.findings[cols], from_df.findings[cols])


def test_api_report_surface(defects: Path) -> None:
    report = siksval.check(defects, as_of=AS_OF, select=["SCH"])
    f = report.findings
    for col in ("code", "severity", "row", "rows", "column", "value", "message", "no_kk", "nik"):
        assert col in f.columns
    assert f.loc[f["code"] == "SCH003", "row"].tolist() == [3, 4, 6]
    summary = report.summary()
    assert list(summary.columns[:4]) == ["code", "severity", "count", "share"]
    row = summary.set_index("code").loc["SCH003"]
    assert row["count"] == 3 and row["share"] == pytest.approx(3 / len(SIKS_ROWS))
    assert summary["code"].iloc[-1] == "SCH006"  # info last
    assert report.exit_code() == 1 and report.exit_code("never") == 0
    assert report.exit_code("warning") == 1
    assert report.as_of == AS_OF and report.records == len(SIKS_ROWS)
    assert report.households == 3


def test_api_to_json_path(defects: Path, tmp_path: Path) -> None:
    report = siksval.check(defects, as_of=AS_OF, select=["SCH"])
    out = tmp_path / "hasil.json"
    assert report.to_json(str(out)) is None
    doc = json.loads(out.read_text())
    assert doc["summary"]["error"] == 9
    assert report.to_dict()["findings"] == doc["findings"]


def test_api_language(defects: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    en = siksval.check(defects, as_of=AS_OF, select=["SCH004"], lang="en")
    assert en.findings["message"].str.startswith("Required column").all()
    idn = siksval.check(defects, as_of=AS_OF, select=["SCH004"])
    assert idn.findings["message"].str.startswith("Kolom wajib").all()
    monkeypatch.setenv("SIKSVAL_LANG", "en")
    assert siksval.check(defects, as_of=AS_OF, select=["SCH004"]).lang == "en"


def test_api_as_of_default_is_today(defects: Path) -> None:
    assert siksval.check(defects, select=["SCH001"]).as_of == dt.date.today().isoformat()


def test_api_callable_progress(defects: Path) -> None:
    steps: list[str] = []
    siksval.check(defects, as_of=AS_OF, select=["SCH"], progress=steps.append)
    assert steps[0].startswith("read ") and "SCH001" in steps and "SCH006" in steps


def test_api_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not found"):
        siksval.check(tmp_path / "nope.csv")
    with pytest.raises(UserError, match="header only"):
        siksval.check(pd.DataFrame(columns=["NIK", "NAMA"]), dataset="dtks")
    with pytest.raises(UserError, match="not a date"):
        siksval.check(pd.DataFrame({"NIK": ["1"]}), dataset="dtks", as_of="31/10/2026")


def test_rich_progress_bar_draws_for_large_inputs() -> None:
    import io

    from rich.console import Console

    from siksval.cli import RichProgress

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=100)
    bar = RichProgress("id", console=console, min_records=10, min_bytes=10)
    bar.reading("besar.csv", 100)
    assert len(bar.bar.tasks) == 1
    bar.loaded("besar.csv", 50)
    bar.rules("dtks", 3, 50)
    for code in ("SCH001", "SCH002", "NIK001"):
        bar.step(code)
    task = bar.bar.tasks[-1]
    assert task.total == 3 and task.completed == 2
    assert "Struktur" not in task.description and "NIK" in task.description
    bar.close()
    small = RichProgress("id", console=console)
    small.reading("kecil.csv", 100)
    small.rules("dtks", 3, 100)
    small.step("SCH001")
    assert not small.bar.tasks
    small.close()


def test_progress_never_in_ci_or_off_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from siksval.cli import progress_enabled

    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("CI", "true")
    assert not progress_enabled(Tty())
    monkeypatch.delenv("CI")
    assert progress_enabled(Tty())
    assert not progress_enabled(object())


def test_readme_config_example_is_valid(defects: Path) -> None:
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, re.S)
    assert block, "README has a siksval.toml example"
    cfg = config_mod.from_mapping(tomllib.loads(block.group(1)), "README.md")
    report = siksval.check(defects, as_of=AS_OF, config=cfg)  # raises on any typo
    assert set(report.findings["code"]) <= {c for c in catalogue() if c.startswith(("SCH", "NIK", "KK"))}
