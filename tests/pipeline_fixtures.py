"""Small synthetic exports for the pipeline tests (readers, schema, CLI, JSON report).

Every NIK, KK and name here is invented. The SIKS-NG-style table below has one clean household
and records with known schema defects, so tests can assert exact record numbers.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: SIKS-NG pipe export headers (domain.md §2.2) plus program flags and an unknown column.
SIKS_HEADER = [
    "IDDTKS",
    "PROVINSI",
    "KABUPATEN_KOTA",
    "NOMOR_KK",
    "NOMOR_NIK",
    "NAMA",
    "TANGGAL_LAHIR",
    "JENIS_KELAMIN",
    "HUBUNGAN_KELUARGA",
    "STATUS_PERKAWINAN",
    "DESIL_KESEJAHTERAAN",
    "PENERIMA_PKH",
    "LUAS_LANTAI_M2",
    "FOTO_RUMAH",
]

# fmt: off
SIKS_ROWS: list[list[str]] = [
    # 1: clean head of household
    ["D001", "JAWA BARAT", "KOTA BANDUNG", "3273010101100001", "3273011508800001", "BUDI SANTOSO",
     "15-08-1980", "LAKI-LAKI", "KEPALA KELUARGA", "KAWIN", "2", "YA", "36", "a.jpg"],
    # 2: clean wife, labels in mixed case, ISO date
    ["D001", "JAWA BARAT", "KOTA BANDUNG", "3273010101100001", "3273015506820002", "SITI AMINAH",
     "1982-06-15", "Perempuan", "istri", "Kawin", "2", "ya", "36", "b.jpg"],
    # 3: SCH002 impossible date, SCH003 sex X
    ["D001", "JAWA BARAT", "KOTA BANDUNG", "3273010101100001", "3273011001100003", "ANI",
     "31-02-2010", "X", "ANAK", "BELUM KAWIN", "2", "YA", "36", ""],
    # 4: SCH004 NIK placeholder and empty name, SCH003 relation not allowed
    ["D002", "JAWA BARAT", "KOTA BANDUNG", "3273010202150002", "-", "", "01/01/1990", "P",
     "KEPONAKAN", "BELUM KAWIN", "3", "TIDAK", "20", ""],
    # 5: SCH005 desil 11 and floor 0, SCH002 floor text handled separately, codes as numbers
    ["D002", "JAWA BARAT", "KOTA BANDUNG", "3273010202150002", "3273016507900005", "RINA",
     "25/07/1990", "2", "1", "2", "11", "0", "0", ""],
    # 6: SCH003 yes/no value, SCH002 letters in a number
    ["D003", "JAWA BARAT", "KOTA BANDUNG", "3273010303150003", "3273010101700006", "JOKO",
     "01-01-1970", "L", "KEPALA KELUARGA", "CERAI MATI", "1", "MUNGKIN", "tiga puluh", ""],
]
# fmt: on

#: The SCH findings SIKS_ROWS must produce: (code, row, column). SCH006 is file level.
SIKS_EXPECTED = {
    ("SCH002", 3, "tgl_lahir"),
    ("SCH003", 3, "jenis_kelamin"),
    ("SCH004", 4, "nik"),
    ("SCH004", 4, "nama"),
    ("SCH003", 4, "hub_keluarga"),
    ("SCH005", 5, "desil"),
    ("SCH005", 5, "luas_lantai"),
    ("SCH003", 6, "pkh"),
    ("SCH002", 6, "luas_lantai"),
    ("SCH006", None, "FOTO_RUMAH"),
}


def write_delimited(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    delimiter: str = "|",
    encoding: str = "utf-8",
    newline: str = "\n",
    quote_all: bool = False,
) -> Path:
    """Write a delimited text file exactly as given (quoting only when asked or needed)."""

    def cell(v: str) -> str:
        if quote_all or any(ch in v for ch in (delimiter, '"', "\n", "\r")):
            return '"' + v.replace('"', '""') + '"'
        return v

    lines = [delimiter.join(cell(h) for h in header)]
    lines += [delimiter.join(cell(v) for v in r) for r in rows]
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def write_xlsx(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    sheet: str = "Sheet1",
    extra_sheets: dict[str, list[list[object]]] | None = None,
) -> Path:
    """Write an xlsx with typed cells: str -> text cell, int/float -> numeric cell,
    date/datetime -> real date cell, bool -> boolean cell, None -> empty."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})

    def fill(ws: object, table: Sequence[Sequence[object]]) -> None:
        for i, r in enumerate(table):
            for j, v in enumerate(r):
                if v is None:
                    continue
                if isinstance(v, bool):
                    ws.write_boolean(i, j, v)  # type: ignore[attr-defined]
                elif isinstance(v, (int, float)):
                    ws.write_number(i, j, v)  # type: ignore[attr-defined]
                elif isinstance(v, (dt.date, dt.datetime)):
                    if not isinstance(v, dt.datetime):
                        v = dt.datetime(v.year, v.month, v.day)
                    ws.write_datetime(i, j, v, date_fmt)  # type: ignore[attr-defined]
                else:
                    ws.write_string(i, j, str(v))  # type: ignore[attr-defined]

    fill(wb.add_worksheet(sheet), [list(header), *[list(r) for r in rows]])
    for name, table in (extra_sheets or {}).items():
        fill(wb.add_worksheet(name), table)
    wb.close()
    return path


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess: `python -m siksval ...` with this repo on the path."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("SIKSVAL_LANG", "SIKSVAL_DEBUG")}
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    full_env["CI"] = "1"  # no progress bar in tests
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "siksval", *args],
        capture_output=True,
        text=True,
        cwd=str(cwd) if cwd else None,
        env=full_env,
        timeout=timeout,
        check=False,
    )


class InProcessResult:
    """What `run_main` returns: the same fields as subprocess.CompletedProcess."""

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run_main(capsys: object, *args: str, env: dict[str, str] | None = None,
             monkeypatch: object = None) -> InProcessResult:
    """The CLI entry point in this process (fast; for the many variants of one behaviour).

    The behaviours themselves are also exercised in a subprocess by `run_cli`.
    """
    from siksval.cli import main

    capsys.readouterr()  # type: ignore[attr-defined]
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()  # type: ignore[attr-defined]
    return InProcessResult(code, out.out, out.err)
