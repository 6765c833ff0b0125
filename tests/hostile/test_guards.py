"""Guards around the reading: a file that changes while read, --max-rows, the memory estimate,
outputs that are never half-written, unknown siksval.toml keys."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import siksval
from siksval.config import Config, known_keys
from siksval.config import load as load_config
from siksval.errors import UserError
from siksval.io import guard, read
from siksval.report import FORMATTERS, Formatter, render
from tests.hostile.corpus import AS_OF, RECORDS, plain_csv
from tests.pipeline_fixtures import SIKS_HEADER, SIKS_ROWS, run_main, write_xlsx


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    return Path(plain_csv(tmp_path / "in"))


# -- a file that changes while it is read --------------------------------------------------


def _writer_during_read(monkeypatch: pytest.MonkeyPatch, reader: str, change) -> None:
    """Make `read.<reader>` change the file right after parsing it, as a concurrent writer
    (an export still running, a sync client) would."""
    original = getattr(read, reader)

    def reading_then_changed(p: Path, *args, **kwargs):
        table = original(p, *args, **kwargs)
        change(Path(p))
        return table

    monkeypatch.setattr(read, reader, reading_then_changed)


def _append(p: Path) -> None:
    with p.open("ab") as fh:
        fh.write("|".join(SIKS_ROWS[0]).encode() + b"\n")


def _replace_same_size(p: Path) -> None:
    """Another file of the same size and mtime put in its place (a new inode)."""
    st = p.stat()
    tmp = p.with_suffix(".new")
    tmp.write_bytes(p.read_bytes().replace(b"BUDI", b"BUDY"))
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, p)


@pytest.mark.parametrize("change", [_append, _replace_same_size], ids=["appended", "replaced"])
def test_a_file_changed_while_read_is_refused(
    plain: Path, monkeypatch: pytest.MonkeyPatch, change
) -> None:
    _writer_during_read(monkeypatch, "_read_csv", change)
    with pytest.raises(UserError) as err:
        siksval.check(str(plain), as_of=AS_OF, config=Config())
    message = err.value.message_en
    assert str(plain) in message and "changed while it was being read" in message
    assert "run again" in message and "berubah saat sedang dibaca" in err.value.text("id")


def test_a_workbook_changed_while_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", SIKS_HEADER, SIKS_ROWS)
    _writer_during_read(monkeypatch, "_read_spreadsheet", lambda p: p.write_bytes(b"PK" * 10))
    with pytest.raises(UserError, match="changed while it was being read"):
        read.read_table(path)


def test_an_unchanged_file_reads_normally(plain: Path) -> None:
    table = read.read_table(plain)
    assert table.source.records == RECORDS and len(table.source.sha256) == 64


# -- --max-rows and the memory guard -------------------------------------------------------


def test_max_rows(plain: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert siksval.check(str(plain), as_of=AS_OF, config=Config(), max_rows=RECORDS).records \
        == RECORDS
    with pytest.raises(UserError) as err:
        siksval.check(str(plain), as_of=AS_OF, config=Config(), max_rows=RECORDS - 1)
    assert f"has {RECORDS} records, more than --max-rows {RECORDS - 1}" in err.value.message_en
    assert "--engine dask" in err.value.message_en
    res = run_main(capsys, "check", str(plain), "--max-rows", "3", "--lang", "en")
    assert res.returncode == 2 and "--max-rows 3" in res.stderr and "Traceback" not in res.stderr
    res = run_main(capsys, "check", str(plain), "--max-rows", "0", "--lang", "en")
    assert res.returncode == 2 and "--max-rows must be 1 or more" in res.stderr


def test_max_rows_applies_to_dataframes_too() -> None:
    import pandas as pd

    frame = pd.DataFrame(SIKS_ROWS, columns=SIKS_HEADER)
    with pytest.raises(UserError, match="--max-rows 2"):
        siksval.check(frame, as_of=AS_OF, config=Config(), max_rows=2)


def test_memory_guard_refuses_before_reading(
    plain: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(guard.ENV_LIMIT, "200M")  # below the reserve alone: nothing fits
    called = []
    monkeypatch.setattr(read, "_read_csv", lambda p: called.append(p))
    with pytest.raises(UserError) as err:
        read.read_table(plain)
    assert not called, "the guard must refuse before reading"
    message = err.value.message_en
    assert str(plain) in message and "--engine dask" in message and "200.0 MB" in message
    res = run_main(capsys, "check", str(plain), "--lang", "en")
    assert res.returncode == 2 and "--engine dask" in res.stderr


def test_memory_guard_lets_a_file_through_with_room(plain: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(guard.ENV_LIMIT, "2G")
    assert read.read_table(plain).source.records == RECORDS
    assert read.read_table(plain, memory_guard=False).source.records == RECORDS


def test_memory_estimate_by_format() -> None:
    assert guard.kind_of(b"PK\x03\x04", ".xlsx") == "xlsx"
    assert guard.kind_of(b"PK\x03\x04", ".ods") == "ods"
    assert guard.kind_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls") == "xls"
    assert guard.kind_of(b"PAR1", ".bin") == "parquet"
    assert guard.kind_of(b"NIK|", ".csv") == "csv"
    # A compressed format needs more memory per byte of file than text.
    assert guard.estimate(10**6, "xlsx") > guard.estimate(10**6, "csv") > 10**6
    assert guard.parse_size("1.5G") == int(1.5 * 1024**3)
    assert guard.parse_size("512m") == 512 * 1024**2
    assert guard.parse_size("1000") == 1000
    with pytest.raises(UserError, match="not a size"):
        guard.parse_size("banyak")


def test_a_zip_bomb_workbook_is_estimated_by_its_content(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A small file whose sheet inflates to 100 MB is judged by the 100 MB, not by its size."""
    import zipfile

    bomb = tmp_path / "kecil.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b" " * (100 * 1024 * 1024))
    size = bomb.stat().st_size
    assert size < 1024 * 1024
    assert guard.estimate_file(bomb, size, "xlsx") > 300 * 1024 * 1024
    monkeypatch.setenv(guard.ENV_LIMIT, "500M")
    with pytest.raises(UserError, match="--engine dask"):
        read.read_table(bomb)


def test_parquet_is_estimated_by_its_cells(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "x.parquet"
    pq.write_table(pa.table({"a": ["1"] * 1000, "b": ["2"] * 1000}), path)
    size = path.stat().st_size
    assert guard.estimate_file(path, size, "parquet") == 2000 * guard.BYTES_PER_PARQUET_CELL
    broken = tmp_path / "rusak.parquet"
    broken.write_bytes(b"PAR1" + b"\x00" * 100)
    assert guard.estimate_file(broken, 104, "parquet") == guard.estimate(104, "parquet")


def test_available_memory_is_known_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(guard.ENV_LIMIT, raising=False)
    room = guard.available_memory()
    assert room is None or room > 0


def test_stdin_bigger_than_memory_is_refused_while_copying(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    monkeypatch.setattr(guard, "spool_limit", lambda: 1000)
    with pytest.raises(UserError, match="<stdin>: the input is larger than"):
        read._read_stream(io.BytesIO(b"x" * 5000), "<stdin>", sheet=None, max_rows=None,
                          memory_guard=True)


# -- outputs are never half-written --------------------------------------------------------


def test_a_formatter_failing_half_way_leaves_the_previous_file(
    plain: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = siksval.check(str(plain), as_of=AS_OF, config=Config())
    target = tmp_path / "laporan.json"
    target.write_text("previous", encoding="utf-8")

    def half_then_fail(report, fh, **opts) -> None:
        fh.write('{"half": ')
        raise RuntimeError("disk full half-way")

    import siksval.report.json as json_module

    monkeypatch.setattr(json_module, "write_json", half_then_fail)
    with pytest.raises(RuntimeError):
        render(report, "json", target)
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "laporan.json"]
    # and a new target is not created at all
    with pytest.raises(RuntimeError):
        render(report, "json", tmp_path / "baru.json")
    assert not (tmp_path / "baru.json").exists()
    assert FORMATTERS["json"] == Formatter("json", "siksval.report.json", "write_json", ".json")


def test_a_failed_run_keeps_the_previous_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "rusak.csv"
    broken.write_bytes(b"\x00\x01\x02" * 100)
    target = tmp_path / "laporan.html"
    target.write_text("previous", encoding="utf-8")
    res = run_main(capsys, "check", str(broken), "-f", "html", "-o", str(target))
    assert res.returncode == 2
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["laporan.html", "rusak.csv"]


# -- siksval.toml: unknown keys ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('ignor = ["NIK009"]\n', "'ignor' (did you mean 'ignore'?)"),
        ('[alias]\nnik = ["NIK KTP"]\n', "'alias' (did you mean 'aliases'?)"),
        ('engine_name = "x"\nfail_on = "error"\n', "'engine_name'"),
        ('[tool.siksval]\nlanguage = "en"\n', "'language'"),
    ],
)
def test_unknown_config_keys_are_named(tmp_path: Path, text: str, named: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "siksval.toml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_config(cfg)
    assert named in err.value.message_en and str(cfg) in err.value.message_en
    assert "kunci tidak dikenal" in err.value.text("id")
    res = run_main(capsys, "check", "tidak_ada.csv", "--config", str(cfg), "--lang", "en")
    assert res.returncode == 2 and named in res.stderr


def test_unknown_keys_in_pyproject_are_named_too(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.siksval]\nselct = ["NIK"]\n', "utf-8")
    with pytest.raises(UserError, match="'selct' \\(did you mean 'select'\\?\\)"):
        load_config(start=tmp_path)


def test_every_documented_key_is_known(tmp_path: Path) -> None:
    from siksval.initfile import default_config_text

    cfg = tmp_path / "siksval.toml"
    text = default_config_text()
    # Uncomment every `# key = value` line of the top level: all must be accepted.
    lines = [ln[2:] if ln.startswith("# ") and " = " in ln and not ln[2:].startswith(" ")
             and "[" not in ln.split("=")[0] else ln for ln in text.splitlines()]
    top = []
    for ln in lines:
        if ln.startswith("["):
            break
        top.append(ln)
    cfg.write_text("\n".join(top) + "\n", encoding="utf-8")
    loaded = load_config(cfg)
    assert loaded.fail_on == "error" and loaded.max_examples == 5
    assert set(known_keys()) >= {"select", "ignore", "severity", "rules", "policy", "aliases"}
