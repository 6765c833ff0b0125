"""Size guards: refuse, with one clear sentence, an input the in-memory (pandas) engine cannot
hold, before reading it, and an input with more records than `--max-rows`.

The memory a check needs is estimated from the file: per byte of CSV, per byte of a workbook's
unzipped content, per cell of a Parquet file — peak resident memory measured by
`bench/bench_memory.py` on synthetic SIKS-NG exports (see bench/RESULTS.md, "Memory per byte of
input"), rounded up. The memory available is the
kernel's MemAvailable, lowered by a cgroup (container) limit when there is one;
`SIKSVAL_MEMORY_LIMIT` (bytes, or with a K/M/G suffix) sets it by hand.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from siksval.errors import UserError

#: Peak memory of a pandas-engine check per byte of input file, by format, measured with
#: bench/bench_memory.py and rounded up: csv 6.4, xlsx 36.0, parquet 70.0 (100,000 rows), xls
#: 16.9 (60,000 rows), ods 753 (20,000 rows: calamine's ODS reader holds the whole sheet).
#: csv falls with size (fixed costs spread): 4.4 at 1M rows (497 MB), 4.3 at 5M (2.5 GB);
#: 6.0 keeps a margin without refusing a 5M-row export on a 24 GB machine.
#: For xlsx/ods and parquet the finer estimates below are used whenever the file's own zip
#: directory or footer can be read.
BYTES_PER_FILE_BYTE = {"csv": 6.0, "xlsx": 40.0, "xls": 20.0, "ods": 800.0, "parquet": 80.0}
#: Memory kept free for the interpreter, libraries and the report.
RESERVE = 256 * 1024 * 1024
ENV_LIMIT = "SIKSVAL_MEMORY_LIMIT"

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def kind_of(head: bytes, suffix: str) -> str:
    """The format family of a file for the estimate, from its first bytes and its name."""
    if head.startswith(_ZIP):
        return "ods" if suffix == ".ods" else "xlsx"
    if head.startswith(_OLE):
        return "xls"
    if head.startswith(b"PAR1") or suffix == ".parquet":
        return "parquet"
    return "csv"


#: Peak memory per byte of a workbook's *uncompressed* content (its zip members), measured with
#: bench_memory.py and rounded up: xlsx 3.0 (100,000 rows: 676 MB over 228 MB of sheet XML),
#: ods 18.2 (20,000 rows: 1,860 MB over 102 MB). Used instead of the file size when the zip
#: directory can be read: it does not depend on how well the sheet compressed, and a zip bomb
#: cannot hide behind a small file.
BYTES_PER_XML_BYTE = {"xlsx": 3.5, "ods": 20.0}


def estimate(size: int, kind: str) -> int:
    """Bytes of memory a check of a `size`-byte file of `kind` needs at its peak."""
    return int(size * BYTES_PER_FILE_BYTE.get(kind, BYTES_PER_FILE_BYTE["csv"]))


#: Peak memory per cell of a Parquet file (rows x columns from its footer): measured 55.5
#: (bench_memory.py, 100,000 rows x 44 columns: 244 MB), rounded up. How well a Parquet file
#: compresses varies too much for its size to tell.
BYTES_PER_PARQUET_CELL = 64


def estimate_file(path: Path | str, size: int, kind: str) -> int:
    """Like `estimate`, but from what the file declares: a zipped workbook's unzipped size, a
    Parquet file's rows x columns."""
    if kind in ("xlsx", "ods"):
        inflated = _zip_content_size(path)
        if inflated is not None:
            return int(inflated * BYTES_PER_XML_BYTE[kind])
    if kind == "parquet":
        cells = _parquet_cells(path)
        if cells is not None:
            return cells * BYTES_PER_PARQUET_CELL
    return estimate(size, kind)


def _parquet_cells(path: Path | str) -> int | None:
    try:
        import pyarrow.parquet as pq

        meta = pq.ParquetFile(path).metadata
        return int(meta.num_rows) * int(meta.num_columns)
    except Exception:  # noqa: BLE001 - damaged: the reader will say so
        return None


def _zip_content_size(path: Path | str) -> int | None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None  # damaged: the reader will say so


def available_memory() -> int | None:
    """Bytes this process can still use, or None when it cannot be told."""
    override = os.environ.get(ENV_LIMIT)
    if override:
        return parse_size(override)
    found = [v for v in (_meminfo_available(), _cgroup_room()) if v is not None]
    return min(found) if found else None


def parse_size(text: str) -> int:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", text.lower())
    if not match:
        raise UserError(
            f"{ENV_LIMIT}={text!r} is not a size; write bytes or a size like 4G or 512M.",
            id=f"{ENV_LIMIT}={text!r} bukan ukuran; tulis dalam byte atau seperti 4G atau 512M.",
        )
    factor = 1024 ** " kmgt".index(match.group(2) or " ")
    return int(float(match.group(1)) * factor)


def _meminfo_available() -> int | None:
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return _sysconf_available()
    match = re.search(r"^MemAvailable:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) * 1024 if match else _sysconf_available()


def _sysconf_available() -> int | None:
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _cgroup_room() -> int | None:
    """Room left under a cgroup v2 memory limit (a container), None without a limit."""
    base = Path("/sys/fs/cgroup")
    try:
        limit = (base / "memory.max").read_text().strip()
        if limit == "max":
            return None
        current = int((base / "memory.current").read_text().strip())
    except (OSError, ValueError):
        return None
    return max(int(limit) - current, 0)


def human(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"  # pragma: no cover - the loop returns


def check_fits(path: Path | str, size: int, kind: str) -> None:
    """Refuse a file whose estimated peak memory exceeds what is available."""
    room = available_memory()
    if room is None:
        return
    need = estimate_file(path, size, kind) + RESERVE
    if need > room:
        raise UserError(
            f"{path}: the file ({human(size)}) needs about {human(need)} of memory to check "
            f"in one piece, but only {human(room)} is available; use --engine dask, which reads "
            "it in parts, or split the file, or free memory and run again.",
            id=f"{path}: berkas ini ({human(size)}) butuh sekitar {human(need)} memori untuk "
            f"diperiksa sekaligus, padahal hanya tersedia {human(room)}; gunakan --engine dask "
            "yang membacanya per bagian, atau pecah berkasnya, atau kosongkan memori lalu "
            "jalankan lagi.",
        )


def spool_limit() -> int | None:
    """The most bytes of standard input worth keeping: beyond this no format fits in memory."""
    room = available_memory()
    if room is None:
        return None
    smallest = min(BYTES_PER_FILE_BYTE.values())
    return max(int((room - RESERVE) / smallest), 0)


def check_max_rows(where: str, records: int, max_rows: int | None) -> None:
    """Refuse more records than `--max-rows` allows."""
    if max_rows is None or records <= max_rows:
        return
    raise UserError(
        f"{where}: the file has {records:,} records, more than --max-rows {max_rows:,} allows; "
        "raise --max-rows, split the file, or use --engine dask for very large files.",
        id=f"{where}: berkas berisi {records:,} rekaman, lebih dari batas --max-rows "
        f"{max_rows:,}; naikkan --max-rows, pecah berkasnya, atau gunakan --engine dask untuk "
        "berkas yang sangat besar.",
    )
