"""Exit codes 0/1/2, --fail-on and errors for people, through the real CLI in a subprocess.

Each behaviour runs at least once as `python -m siksval` in a subprocess (`run_cli`); further
variants of the same behaviour call the same entry point in-process (`run_main`), which is
much faster on a shared machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.pipeline_fixtures import (
    SIKS_HEADER,
    SIKS_ROWS,
    run_cli,
    run_main,
    write_delimited,
    write_xlsx,
)

AS_OF = ["--as-of", "2026-10-31"]
CLEAN_ROWS = [r[:-1] for r in SIKS_ROWS[:2]]


@pytest.fixture
def defects(tmp_path: Path) -> Path:
    return write_delimited(tmp_path / "dtks.txt", SIKS_HEADER, SIKS_ROWS)


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    return write_delimited(tmp_path / "bersih.csv", SIKS_HEADER[:-1], CLEAN_ROWS, delimiter=";")


def one_sentence_error(result: object) -> str:
    """Exit 2 with one line on stderr and no traceback."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("siksval: ")
    return lines[0]


def test_exit_1_on_errors_with_text_report(defects: Path) -> None:
    r = run_cli("check", str(defects), *AS_OF, "--select", "SCH")
    assert r.returncode == 1, r.stderr
    assert "SCH003" in r.stdout and "GAGAL" in r.stdout
    assert "Dataset terdeteksi dari header: dtks" in r.stderr


def test_exit_0_when_clean(clean: Path) -> None:
    r = run_cli("check", str(clean), *AS_OF, "--select", "SCH")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "LULUS" in r.stdout


def test_fail_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Only an info finding (SCH006, unknown column) in this file.
    path = write_delimited(tmp_path / "x.csv", SIKS_HEADER, [r for r in SIKS_ROWS[:2]])
    assert run_cli("check", str(path), *AS_OF, "--select", "SCH", "--fail-on", "info"
                   ).returncode == 1
    base = ("check", str(path), *AS_OF, "--select", "SCH", "-q")
    assert run_main(capsys, *base).returncode == 0
    assert run_main(capsys, *base, "--fail-on", "warning").returncode == 0
    assert run_main(capsys, *base, "--fail-on", "INFO").returncode == 1
    assert run_main(capsys, *base, "--fail-on", "info", "--ignore", "SCH006").returncode == 0


def test_fail_on_never_and_quiet(defects: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = run_main(capsys, "check", str(defects), *AS_OF, "--fail-on", "never", "--quiet")
    assert r.returncode == 0 and r.stdout == "" and r.stderr == ""


def test_json_to_stdout_is_pipeable(defects: Path) -> None:
    r = run_cli("check", str(defects), *AS_OF, "--select", "SCH", "--format", "json")
    assert r.returncode == 1
    doc = json.loads(r.stdout)  # diagnostics went to stderr, stdout is pure JSON
    assert doc["summary"]["error"] == 9


def test_several_formats_with_outputs(
    defects: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_json, out_csv = tmp_path / "hasil.json", tmp_path / "hasil.csv"
    r = run_main(capsys, "check", str(defects), *AS_OF, "--select", "SCH", "-f", "json", "-o",
                str(out_json), "-f", "csv", "-o", str(out_csv), "--lang", "en")
    assert r.returncode == 1, r.stderr
    assert json.loads(out_json.read_text())["findings"]
    assert out_csv.read_text().startswith("code,severity,row")
    assert "Written:" in r.stderr


def test_select_via_config_and_severity_override(defects: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "siksval.toml"
    cfg.write_text('select = ["SCH006"]\n[severity]\nSCH006 = "error"\n')
    r = run_cli("check", str(defects), *AS_OF, "--format", "json", cwd=tmp_path)
    doc = json.loads(r.stdout)
    assert r.returncode == 1
    assert doc["summary"] == {"error": 1, "warning": 0, "info": 0,
                              "by_rule": {"SCH006": {"severity": "error", "count": 1,
                                                     "households": None}}}


def test_xlsx_sheet_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", ["A"], [["x"]], sheet="Catatan",
                      extra_sheets={"DTKS": [SIKS_HEADER, *SIKS_ROWS]})
    r = run_main(capsys, "check", str(path), *AS_OF, "--select", "SCH", "--sheet", "DTKS",
                 "-f", "json")
    assert r.returncode == 1, r.stderr
    assert json.loads(r.stdout)["source"]["sheet"] == "DTKS"


# -- exit 2: the run could not be done -------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    line = one_sentence_error(run_cli("check", str(tmp_path / "tidak_ada.csv")))
    assert "tidak ditemukan" in line


def test_missing_file_in_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    line = one_sentence_error(run_main(capsys, "check", str(tmp_path / "x.csv"), "--lang", "en"))
    assert "file not found" in line
    monkeypatch.setenv("SIKSVAL_LANG", "en")
    assert "file not found" in one_sentence_error(
        run_main(capsys, "check", str(tmp_path / "nope.csv"))
    )


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "kosong.csv").write_bytes(b"")
    assert "kosong" in one_sentence_error(run_cli("check", str(tmp_path / "kosong.csv")))


def test_header_only(tmp_path: Path) -> None:
    path = tmp_path / "judul.csv"
    path.write_text("|".join(SIKS_HEADER) + "\n")
    line = one_sentence_error(run_cli("check", str(path), "--lang", "en"))
    assert "header only, no records" in line


def test_header_only_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_xlsx(tmp_path / "judul.xlsx", SIKS_HEADER, [])
    line = one_sentence_error(run_main(capsys, "check", str(path), "--lang", "en"))
    assert "header only" in line


def test_png_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "foto.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    line = one_sentence_error(run_cli("check", str(path), "--lang", "en"))
    assert "not a spreadsheet" in line


def test_truncated_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_xlsx(tmp_path / "ok.xlsx", SIKS_HEADER, SIKS_ROWS)
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(good.read_bytes()[:400])
    one_sentence_error(run_main(capsys, "check", str(broken)))


def test_unknown_dataset(defects: Path) -> None:
    line = one_sentence_error(run_cli("check", str(defects), "--dataset", "bansos"))
    assert "bansos" in line


def test_headers_match_no_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_delimited(tmp_path / "lain.csv", ["KODE", "HARGA"], [["1", "2"]])
    one_sentence_error(run_main(capsys, "check", str(path)))


@pytest.mark.parametrize(
    "args",
    [
        ["--bogus"],
        ["--fail-on", "kadang"],
        ["--format", "pdf"],
        ["--as-of", "31-10-2026"],
        ["--lang", "fr"],
        ["--max-examples", "banyak"],
        ["--config", "/tidak/ada/siksval.toml"],
        ["-f", "json", "-o", "-", "-f", "csv", "-o", "-"],
    ],
)
def test_bad_options(defects: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    one_sentence_error(run_main(capsys, "check", str(defects), *args))


@pytest.mark.parametrize("select", ["CHG001", "CHG", "LKS"])
def test_select_with_no_rule_for_the_data_is_an_error(
    defects: Path, select: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # a CHG or LKS selection on a DTKS file would otherwise run nothing and say "all clear"
    line = one_sentence_error(run_main(capsys, "check", str(defects), "--select", select))
    assert select in line and "dtks" in line


def test_select_keeps_working_when_one_code_applies(
    defects: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    both = run_main(capsys, "check", str(defects), "--select", "SCH,LKS", "-f", "json")
    alone = run_main(capsys, "check", str(defects), "--select", "SCH", "-f", "json")
    assert both.returncode == alone.returncode == 1
    assert both.stdout == alone.stdout


def test_bad_option_in_a_subprocess(defects: Path) -> None:
    line = one_sentence_error(run_cli("check", str(defects), "--bogus"))
    assert "--bogus" in line and "--help" in line


def test_no_path_given(capsys: pytest.CaptureFixture[str]) -> None:
    one_sentence_error(run_main(capsys, "check"))


def test_unwritable_output(defects: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = one_sentence_error(
        run_main(capsys, "check", str(defects), "-f", "json", "-o", str(tmp_path / "no" / "dir.json"),
                "--quiet")
    )
    assert "dir.json" in line


def test_bad_config_toml(
    defects: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "siksval.toml").write_text("select = [\n")
    monkeypatch.chdir(tmp_path)
    line = one_sentence_error(run_main(capsys, "check", str(defects), "--lang", "en"))
    assert "not valid TOML" in line


def test_folder_instead_of_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "dtks.csv").mkdir()
    one_sentence_error(run_main(capsys, "check", str(tmp_path / "dtks.csv")))


def test_internal_errors_are_one_sentence_too(
    defects: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import siksval.api

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(siksval.api, "check", broken)
    line = one_sentence_error(run_main(capsys, "check", str(defects)))
    assert "internal error" in line and "SIKSVAL_DEBUG" in line


def test_version_and_help() -> None:
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("siksval ")
    r = run_cli("check", "--help")
    assert r.returncode == 0 and "--fail-on" in r.stdout
    r = run_cli()
    assert r.returncode == 0 and "check" in r.stdout
