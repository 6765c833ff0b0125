"""Read an export (CSV/TSV/pipe, XLSX/XLS/ODS, Parquet) into a frame of text cells.

Every cell comes back as text: a reader must never turn a NIK into a float. For spreadsheets and
Parquet the reader also remembers which cells were numeric (Excel damage evidence: a 16-digit
number stored in a numeric cell has lost its last digit, domain.md §5.1). The source facts
(path, format, delimiter, encoding, records, sha256) are kept for the report.

Errors meant for people are raised as `UserError` (one sentence, exit code 2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO, NoReturn

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from siksval.errors import UserError
from siksval.io import guard
from siksval.io.sniff import (
    SPREADSHEET_SUFFIXES,
    check_file,
    looks_binary,
    not_a_workbook_zip,
    read_head,
    refuse_binary_text,
    refuse_html,
    refuse_known_binary,
    refuse_text_workbook_lookalike,
    utf16_without_bom,
    zip_is_workbook,
)
from siksval.model import SourceInfo

DELIMITERS = ("|", ";", "\t", ",")
SNIFF_BYTES = 256 * 1024
STRING = pd.StringDtype("pyarrow", na_value=np.nan)

#: Magic numbers of the containers we recognise by content, whatever the file is called.
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PARQUET_MAGIC = b"PAR1"
#: Name given to a column whose header cell is empty (1-based position follows).
UNNAMED_PREFIX = "kolom_"
#: Above this, an integral float no longer fits int64; such numbers are shown as Python floats.
_INT64_SAFE = 9.0e18


@dataclass
class RawTable:
    """Cells as text, the numeric-cell flags (spreadsheets/parquet), and the source facts."""

    frame: pd.DataFrame
    numeric_cells: pd.DataFrame
    source: SourceInfo


def read_table(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    max_rows: int | None = None,
    memory_guard: bool = True,
) -> RawTable:
    """Read `path` by its content (the extension is only a hint). `-` reads standard input.

    Raises UserError for a missing, empty, header-only, unreadable or too large file, and for a
    file that changed while it was being read. `max_rows`: refuse more records than this.
    `memory_guard`: refuse a file that would not fit in the memory available (guard.py).
    """
    if str(path) == STDIN:
        if sys.stdin is None or sys.stdin.isatty():
            raise UserError(
                "-: reads the export from standard input, but nothing is piped in; use e.g. "
                "`cat dtks.csv | siksval check -`, or give the path of the file.",
                id="-: membaca ekspor dari masukan standar, tetapi tidak ada yang dialirkan; "
                "gunakan mis. `cat dtks.csv | siksval check -`, atau berikan lokasi berkasnya.",
            )
        return _read_stream(sys.stdin.buffer, STDIN_LABEL, sheet=sheet, max_rows=max_rows,
                            memory_guard=memory_guard)
    p = Path(path)
    st = check_file(p)
    if not stat.S_ISREG(st.st_mode):  # a pipe (`<(cat x.csv)`) or a device: read it once
        with p.open("rb") as fh:
            return _read_stream(fh, str(p), sheet=sheet, max_rows=max_rows,
                                memory_guard=memory_guard)
    before = _signature(st)
    head = read_head(p, 8)
    if memory_guard:
        guard.check_fits(p, st.st_size, guard.kind_of(head, p.suffix.lower()))
    table = _read_by_content(p, head, sheet)
    _drop_unnamed_empty_columns(table)
    if table.frame.shape[1] == 0:
        raise UserError(
            f"{p}: the file has no header row; export it again with column headers.",
            id=f"{p}: berkas tidak punya baris judul kolom; ekspor ulang dengan judul kolom.",
        )
    if len(table.frame) == 0:
        raise UserError(
            f"{p}: header only, no records; the export holds column names but no data rows — "
            "export the data again.",
            id=f"{p}: hanya judul kolom, tanpa rekaman; ekspor berisi nama kolom tetapi tidak "
            "ada baris data — ekspor ulang datanya.",
        )
    guard.check_max_rows(str(p), len(table.frame), max_rows)
    table.source.sha256 = _sha256(p)
    _check_unchanged(p, before)
    return table


#: The path that means standard input, and how messages and the report name it.
STDIN = "-"
STDIN_LABEL = "<stdin>"


def _read_by_content(p: Path, head: bytes, sheet: str | None) -> RawTable:
    suffix = p.suffix.lower()
    if head.startswith(ZIP_MAGIC):
        if not zip_is_workbook(p):
            not_a_workbook_zip(p)
        return _read_spreadsheet(p, sheet)
    if head.startswith(OLE_MAGIC):
        return _read_spreadsheet(p, sheet)
    if head.startswith(PARQUET_MAGIC) or suffix == ".parquet":
        return _read_parquet(p)
    refuse_known_binary(p, head)
    if suffix in SPREADSHEET_SUFFIXES:
        refuse_text_workbook_lookalike(p, suffix)
    return _read_csv(p)


def _signature(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


def _check_unchanged(p: Path, before: tuple[int, int, int, int]) -> None:
    """The file must be the same after reading (and hashing) as before: an export still being
    written, or replaced meanwhile, would give a report on data that exists nowhere."""
    try:
        after = _signature(os.stat(p))
    except OSError:
        after = None
    if after != before:
        raise UserError(
            f"{p}: the file changed while it was being read (size or modification time differ "
            "before and after); wait until the export or copy is complete, then run again.",
            id=f"{p}: berkas berubah saat sedang dibaca (ukuran atau waktu ubahnya berbeda "
            "sebelum dan sesudah); tunggu sampai ekspor atau penyalinan selesai, lalu jalankan "
            "lagi.",
        )


def _read_stream(
    stream: BinaryIO,
    label: str,
    *,
    sheet: str | None,
    max_rows: int | None,
    memory_guard: bool,
) -> RawTable:
    """Standard input or a pipe: copied once to a private temporary file, then read by content
    like any file. Messages and the report name `label`, never the temporary file."""
    import tempfile

    limit = guard.spool_limit() if memory_guard else None
    with tempfile.TemporaryDirectory(prefix="siksval-") as folder:
        tmp = Path(folder) / "input"
        copied = 0
        with tmp.open("wb") as out:
            while chunk := stream.read(1 << 20):
                copied += len(chunk)
                if limit is not None and copied > limit:
                    raise UserError(
                        f"{label}: the input is larger than the {guard.human(limit)} this "
                        "machine can check in memory; use --engine dask or split the data.",
                        id=f"{label}: masukan lebih besar dari {guard.human(limit)} yang dapat "
                        "diperiksa di memori mesin ini; gunakan --engine dask atau pecah datanya.",
                    )
                out.write(chunk)
        try:
            table = read_table(tmp, sheet=sheet, max_rows=max_rows, memory_guard=memory_guard)
        except UserError as exc:
            raise UserError(
                exc.message_en.replace(str(tmp), label),
                id=exc.message_id.replace(str(tmp), label) if exc.message_id else None,
            ) from None
    table.source.path = label
    return table


def _drop_unnamed_empty_columns(table: RawTable) -> None:
    """A column without header and without a single value is layout, not data (a trailing
    delimiter, a formatted but unused spreadsheet column): drop it instead of reporting it."""
    drop = [
        c
        for c in table.frame.columns
        if str(c).startswith(UNNAMED_PREFIX)
        and not table.frame[c].fillna("").str.strip().ne("").any()
    ]
    if drop:
        table.frame = table.frame.drop(columns=drop)
        table.numeric_cells = table.numeric_cells.drop(columns=drop)


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with p.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    line = text.splitlines()[0] if text else ""
    # Some readers give a bare token ("c"): name the error kind beside it.
    return line if len(line) > 8 else f"{type(exc).__name__}: {line}".rstrip(": ")


# ---------------------------------------------------------------------------------------------
# CSV / TSV / pipe
# ---------------------------------------------------------------------------------------------


def detect_encoding(sample: bytes) -> str:
    """utf-8 (with or without BOM), utf-16 by its BOM or by its NUL pattern (no BOM), else
    cp1252 or, failing that, latin-1."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    bare = utf16_without_bom(sample)
    if bare:
        return bare
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still utf-8.
        if exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    return _single_byte(sample)


def _single_byte(sample: bytes) -> str:
    """Windows exports are cp1252; five bytes are undefined there, latin-1 reads anything."""
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def sniff_delimiter(text: str) -> str:
    """Pick the delimiter that splits the first lines most consistently (`| ; tab ,`)."""
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end mid-line
    best, best_score = ",", (-1, -1)
    for delim in DELIMITERS:
        counts = [_count_outside_quotes(ln, delim) for ln in lines] or [0]
        header = counts[0]
        if header == 0:
            continue
        consistent = sum(1 for c in counts if c == header)
        score = (consistent, header)
        if score > best_score:
            best, best_score = delim, score
    return best


def _count_outside_quotes(line: str, delim: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delim and not quoted:
            count += 1
    return count


@dataclass(frozen=True)
class _Text:
    """How a delimited file is read: its delimiter, its encoding, and whether NUL bytes (never
    part of a text export: a damaged copy) are dropped on the way."""

    delimiter: str
    encoding: str
    drop_nul: bool = False


def _read_csv(p: Path) -> RawTable:
    how, header_only = sniff_csv(p)
    if header_only:
        # Only a header line: Arrow cannot skip a header that has no line after it.
        names = dedupe_names(_header_names(p, how))
        empty = pd.DataFrame({n: pd.Series([], dtype=STRING) for n in names})
        return _csv_table(p, empty, how)
    try:
        table = _arrow_csv(p, how)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        # The sample was clean but a later byte is not utf-8 (or not cp1252): fall back.
        fallback = _fallback_encoding(how.encoding, exc)
        if fallback is None:
            _parse_error(p, how, exc)
        return _read_csv_with(p, _Text(how.delimiter, fallback, how.drop_nul))
    return _csv_table(p, table, how)


def sniff_csv(p: Path) -> tuple[_Text, bool]:
    """How to read a delimited text file (delimiter, encoding, NUL bytes) from its first
    256 KB, and whether it holds only a header line; refuses binary, HTML and blank files."""
    with p.open("rb") as fh:
        sample = fh.read(SNIFF_BYTES)
    encoding = detect_encoding(sample)
    utf16 = encoding.startswith("utf-16")
    if not utf16 and looks_binary(sample):
        refuse_binary_text(p)
    drop_nul = not utf16 and b"\x00" in sample
    if drop_nul:
        sample = sample.replace(b"\x00", b"")
        encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors="replace").lstrip("\ufeff")
    if not text.strip():
        raise UserError(
            f"{p}: the file holds only blank lines; export the data again.",
            id=f"{p}: berkas hanya berisi baris kosong; ekspor ulang datanya.",
        )
    refuse_html(p, text)
    if not text.splitlines()[0].strip():
        raise UserError(
            f"{p}: the first line is empty; the file must start with the header row.",
            id=f"{p}: baris pertama kosong; berkas harus diawali baris judul kolom.",
        )
    how = _Text(sniff_delimiter(text), encoding, drop_nul)
    header_only = len(sample) < SNIFF_BYTES and sum(1 for ln in text.splitlines() if ln.strip()) == 1
    return how, header_only


def _fallback_encoding(encoding: str, exc: BaseException) -> str | None:
    if isinstance(exc, UnicodeDecodeError):
        return "latin-1" if encoding != "latin-1" else None
    if encoding in ("utf-8", "utf-8-sig") and "UTF8" in str(exc).upper().replace("-", ""):
        return "cp1252"
    return None


def _read_csv_with(p: Path, how: _Text) -> RawTable:
    try:
        table = _arrow_csv(p, how)
    except UnicodeDecodeError:
        how = _Text(how.delimiter, "latin-1", how.drop_nul)
        try:
            table = _arrow_csv(p, how)
        except pa.ArrowInvalid as exc:
            _parse_error(p, how, exc)
    except pa.ArrowInvalid as exc:
        _parse_error(p, how, exc)
    return _csv_table(p, table, how)


_COLUMNS_MISMATCH = re.compile(r"Expected (\d+) columns, got (\d+)")


def _parse_error(p: Path, how: _Text, exc: BaseException) -> NoReturn:
    """One sentence on why the text cannot be read as a table: the line whose number of values
    differs from the header's, or the quote that is never closed. The line itself is not
    quoted: it holds personal data."""
    delim = _delim_name(how.delimiter)
    bad = _first_bad_record(p, how)
    if bad is not None:
        line, found, expected, spans = bad
        if spans:
            raise UserError(
                f"{p}: line {line} opens a quote (\") that is not closed where the line ends, so "
                f"{found} values run together over several lines; remove or close the quote and "
                "export again.",
                id=f"{p}: baris {line} membuka tanda kutip (\") yang tidak ditutup di akhir "
                f"baris, sehingga {found} nilai menyatu melintasi beberapa baris; hapus atau tutup "
                "tanda kutipnya lalu ekspor ulang.",
            ) from None
        raise UserError(
            f"{p}: line {line} has {found} values but the header has {expected} "
            f"({delim}-separated); fix that line (a stray or missing {delim}) and export again.",
            id=f"{p}: baris {line} berisi {found} nilai padahal judul kolom berisi {expected} "
            f"(berpemisah {delim}); perbaiki baris itu ({delim} berlebih atau kurang) lalu "
            "ekspor ulang.",
        ) from None
    match = _COLUMNS_MISMATCH.search(str(exc))
    reason = (
        f"a row has {match.group(2)} values where the header has {match.group(1)}"
        if match
        else _first_line(exc).split(":")[0]
    )
    raise UserError(
        f"{p}: the file could not be read as {delim}-separated text ({reason}); check that "
        "every row has the same number of columns.",
        id=f"{p}: berkas tidak dapat dibaca sebagai teks berpemisah {delim} ({reason}); periksa "
        "bahwa setiap baris memiliki jumlah kolom yang sama.",
    ) from None


def _first_bad_record(p: Path, how: _Text) -> tuple[int, int, int, bool] | None:
    """(line, values, header values, spans several lines) of the first record whose number of
    values differs from the header's, as Python's csv module reads it; None if all agree."""
    import csv

    with _open_text(p, how) as fh:
        reader = _csv_reader(fh, how.delimiter)
        header = next(reader, [])
        expected = len(header)
        start = reader.line_num + 1
        try:
            for record in reader:
                if record and len(record) != expected:
                    spans = reader.line_num > start and any("\n" in v or "\r" in v for v in record)
                    return start, len(record), expected, spans
                start = reader.line_num + 1
        except csv.Error:
            return None
    return None


class _DropNul(io.RawIOBase):
    """A binary stream without its NUL bytes."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        while True:
            data = self.raw.read(len(buffer))
            if not data:
                return 0
            data = data.replace(b"\x00", b"")
            if data:
                buffer[: len(data)] = data
                return len(data)

    def close(self) -> None:
        self.raw.close()
        super().close()


def _open_binary(p: Path, how: _Text) -> BinaryIO:
    fh = p.open("rb")
    return io.BufferedReader(_DropNul(fh), 1 << 20) if how.drop_nul else fh  # type: ignore[return-value]


def _open_text(p: Path, how: _Text) -> io.TextIOWrapper:
    return io.TextIOWrapper(_open_binary(p, how), encoding=how.encoding, errors="replace",
                            newline="")


def _csv_table(p: Path, table: pa.Table | pd.DataFrame, how: _Text) -> RawTable:
    frame = table if isinstance(table, pd.DataFrame) else _arrow_to_text_frame(table)
    encoding = how.encoding
    if encoding in ("cp1252", "latin-1") and _repair_utf8_cells(frame, encoding):
        encoding = f"utf-8+{encoding}"  # mixed: each cell in the encoding it was written in
    numeric = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    source = SourceInfo(
        path=str(p),
        format="tsv" if how.delimiter == "\t" else "csv",
        records=len(frame),
        delimiter=how.delimiter,
        encoding=encoding,
    )
    return RawTable(frame, numeric, source)


def _repair_utf8_cells(frame: pd.DataFrame, encoding: str) -> bool:
    """Files pasted together from two exports hold utf-8 and cp1252 lines. Read as cp1252 (the
    only way every byte is read), a utf-8 cell shows as mojibake (`Ã‰` for `É`); such a cell
    is given back its utf-8 text when its bytes are valid utf-8. A real cp1252 cell with
    accents is almost never valid utf-8, so it stays. Only non-ASCII cells are looked at.
    Returns whether any cell was repaired."""
    import pyarrow.compute as pc

    repaired = False
    for col in frame.columns:
        values = frame[col]
        arrow = pa.array(values.array)
        ascii_only = pc.fill_null(pc.string_is_ascii(arrow), True)
        if pc.all(ascii_only).as_py():
            continue
        mask = ~np.asarray(ascii_only, dtype=bool)
        before = values[mask]
        after = before.map(lambda v: _as_utf8(v, encoding))
        changed = after.ne(before)
        if changed.any():
            frame.loc[changed[changed].index, col] = after[changed]
            repaired = True
    return repaired


def _as_utf8(text: str, encoding: str) -> str:
    try:
        return text.encode(encoding).decode("utf-8")
    except UnicodeError:
        return text


def _arrow_csv(p: Path, how: _Text) -> pa.Table:
    read_opts, parse_opts, convert_opts = csv_options(p, how)
    if not how.drop_nul:
        return pacsv.read_csv(
            p, read_options=read_opts, parse_options=parse_opts, convert_options=convert_opts
        )
    with _open_binary(p, how) as fh:
        return pacsv.read_csv(
            fh, read_options=read_opts, parse_options=parse_opts, convert_options=convert_opts
        )


def csv_options(
    p: Path, how: _Text
) -> tuple[pacsv.ReadOptions, pacsv.ParseOptions, pacsv.ConvertOptions]:
    """Arrow's options for reading `p` as text cells (shared with the streaming reader)."""
    header, header_lines = _read_header(p, how)
    names = dedupe_names(header)
    encoding = how.encoding
    # Arrow skips a utf-8 BOM itself; other encodings are transcoded while streaming. It skips
    # physical lines, so a header with a line break inside a quoted cell skips all of them.
    read_opts = pacsv.ReadOptions(
        column_names=names,
        skip_rows=header_lines,
        encoding="utf8" if encoding in ("utf-8", "utf-8-sig") else encoding,
        block_size=8 << 20,
    )
    parse_opts = pacsv.ParseOptions(delimiter=how.delimiter, newlines_in_values=True)
    convert_opts = pacsv.ConvertOptions(
        column_types={n: pa.string() for n in names},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    return read_opts, parse_opts, convert_opts


#: A header cell may hold a line break (a two-line header in Excel), but a header record over
#: more lines than this is a quote that is never closed.
HEADER_MAX_LINES = 5


def _csv_reader(fh: io.TextIOWrapper, delimiter: str):  # type: ignore[no-untyped-def]
    import csv

    # A 5 MB cell is data, not an error: lift the csv module's 128 KB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    return csv.reader(fh, delimiter=delimiter)


def _header_names(p: Path, how: _Text) -> list[str]:
    return _read_header(p, how)[0]


def _read_header(p: Path, how: _Text) -> tuple[list[str], int]:
    """The header's names and the number of physical lines it takes."""
    import csv

    with _open_text(p, how) as fh:
        reader = _csv_reader(fh, how.delimiter)
        lines = 1
        try:
            header = next(reader, [])
        except csv.Error:
            header, spans = [], True
        else:
            lines = max(reader.line_num, 1)
            # Over many lines, or over every line of the file: the quote never closed.
            spans = lines > HEADER_MAX_LINES or (lines > 1 and next(reader, None) is None)
    if spans:
        raise UserError(
            f"{p}: the header row (line 1) opens a quote (\") that is not closed, so the whole "
            "file runs into the header; remove or close the quote and export again.",
            id=f"{p}: baris judul kolom (baris 1) membuka tanda kutip (\") yang tidak ditutup, "
            "sehingga seluruh berkas menyatu ke judul kolom; hapus atau tutup tanda kutipnya lalu "
            "ekspor ulang.",
        )
    # A two-line header cell reads as one line ("NAMA\nLENGKAP" -> "NAMA LENGKAP").
    return [" ".join(h.replace("\ufeff", "").split()) for h in header], lines


def dedupe_names(names: list[str]) -> list[str]:
    """Distinct column names: a repeated header gets a `#2` suffix, an empty one `kolom_N`."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name or f"{UNNAMED_PREFIX}{i + 1}"
        if name in seen:
            seen[name] += 1
            out.append(f"{name}#{seen[name]}")
        else:
            seen[name] = 1
            out.append(name)
    return out


def _delim_name(d: str) -> str:
    return {"|": "pipe", ";": "semicolon", "\t": "tab", ",": "comma"}.get(d, repr(d))


def _arrow_to_text_frame(table: pa.Table) -> pd.DataFrame:
    frame = table.to_pandas(types_mapper={pa.string(): STRING, pa.large_string(): STRING}.get)
    return frame.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Spreadsheets (calamine: xlsx, xlsm, xlsb, xls, ods)
# ---------------------------------------------------------------------------------------------


def _read_spreadsheet(p: Path, sheet: str | None) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        if p.suffix.lower() in SPREADSHEET_SUFFIXES:
            wb = CalamineWorkbook.from_path(str(p))
        else:  # a workbook under another name: let calamine detect the format by content
            with p.open("rb") as fh:
                wb = CalamineWorkbook.from_filelike(fh)
    except BaseException as exc:  # noqa: BLE001 - calamine errors, and its Rust panics
        _reraise_interrupts(exc)
        if _is_password_error(exc):
            raise UserError(
                f"{p}: the workbook is protected with a password, so it cannot be read; open it "
                "in Excel, remove the password (File > Info > Protect Workbook), save it and "
                "check that copy.",
                id=f"{p}: buku kerja dilindungi kata sandi sehingga tidak dapat dibaca; buka di "
                "Excel, hapus kata sandinya (File > Info > Protect Workbook), simpan, lalu "
                "periksa salinan itu.",
            ) from None
        raise UserError(
            f"{p}: the spreadsheet could not be opened ({_first_line(exc)}); it may be damaged "
            "or only half saved — open it in Excel and save it again.",
            id=f"{p}: spreadsheet tidak dapat dibuka ({_first_line(exc)}); mungkin rusak atau "
            "belum tersimpan utuh — buka di Excel lalu simpan ulang.",
        ) from None
    names = list(wb.sheet_names)
    if not names:
        raise UserError(
            f"{p}: the workbook has no sheets; save the data again from Excel.",
            id=f"{p}: buku kerja tanpa sheet; simpan ulang datanya dari Excel.",
        )
    sheet_name = _pick_sheet(p, names, sheet)
    try:
        # Rows are streamed in chunks: only one chunk of Python cell objects is alive at a
        # time (a 1M-row sheet as one list of lists would need gigabytes).
        frame, numeric = cells_to_text(wb.get_sheet_by_name(sheet_name).iter_rows())
    except BaseException as exc:  # noqa: BLE001 - any calamine failure means a broken sheet
        _reraise_interrupts(exc)
        # calamine's XML errors name only the tag it choked on ("c"): say what it means.
        why = "broken XML in the sheet" if type(exc).__name__ == "XmlError" else _first_line(exc)
        why_id = "XML sheet rusak" if type(exc).__name__ == "XmlError" else _first_line(exc)
        raise UserError(
            f"{p}: sheet {sheet_name!r} could not be read ({why}); the file may be "
            "damaged or only half saved — open the workbook in Excel and save it again.",
            id=f"{p}: sheet {sheet_name!r} tidak dapat dibaca ({why_id}); berkas "
            "mungkin rusak atau belum tersimpan utuh — buka buku kerjanya di Excel lalu simpan "
            "ulang.",
        ) from None
    if frame is None:
        others = [n for n in names if n != sheet_name and _sheet_has_rows(wb, n)]
        if others:
            listed = ", ".join(repr(n) for n in others)
            raise UserError(
                f"{p}: sheet {sheet_name!r} is empty; the data may be on sheet {listed} — "
                f"choose it with --sheet {others[0]!r}.",
                id=f"{p}: sheet {sheet_name!r} kosong; datanya mungkin di sheet {listed} — "
                f"pilih dengan --sheet {others[0]!r}.",
            )
        raise UserError(
            f"{p}: sheet {sheet_name!r} is empty; export the data again.",
            id=f"{p}: sheet {sheet_name!r} kosong; ekspor ulang datanya.",
        )
    source = SourceInfo(path=str(p), format="xlsx", records=len(frame), sheet=sheet_name)
    suffix = p.suffix.lower().lstrip(".")
    if suffix in ("xls", "xlsb", "ods", "xlsm"):
        source.format = suffix
    return RawTable(frame, numeric, source)


def _reraise_interrupts(exc: BaseException) -> None:
    """Ctrl-C and exits pass through; anything else from a reader (a Rust panic of calamine is
    a BaseException) means the file is unreadable."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)):
        raise exc


def _is_password_error(exc: BaseException) -> bool:
    return type(exc).__name__ == "PasswordError" or "password" in str(exc).lower()


def _sheet_has_rows(wb: object, name: str) -> bool:
    try:
        return bool(wb.get_sheet_by_name(name).height)  # type: ignore[attr-defined]
    except BaseException as exc:  # noqa: BLE001 - only a hint for the message
        _reraise_interrupts(exc)
        return False


def _pick_sheet(p: Path, names: list[str], sheet: str | None) -> str:
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    folded = {n.strip().casefold(): n for n in names}
    if sheet.strip().casefold() in folded:
        return folded[sheet.strip().casefold()]
    raise UserError(
        f"{p}: there is no sheet named {sheet!r}; the sheets are: {', '.join(names)}.",
        id=f"{p}: tidak ada sheet bernama {sheet!r}; sheet yang ada: {', '.join(names)}.",
    )


#: Rows converted per batch when streaming a sheet.
CHUNK_ROWS = 65_536


def cells_to_text(
    rows: Iterable[list[object]], chunk_rows: int = CHUNK_ROWS
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Spreadsheet rows (header first) as text cells plus the numeric-cell flags.

    Rows are consumed in batches; each batch is converted per column, vectorized: a column of
    text cells is taken as it is, mixed columns are split by cell type once (a C-level pass)
    and each type is formatted with numpy. Returns (None, None) for a sheet without rows.
    """
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return None, None
    width = len(first)
    header = dedupe_names([_scalar_text(h).strip() for h in first])
    texts: list[list[pa.Array]] = [[] for _ in header]
    flags: list[list[np.ndarray]] = [[] for _ in header]
    # Formatted but empty rows at the end of a sheet are no records. Interior empty rows stay so
    # that record N is still spreadsheet row N + 1.
    n_rows, last_filled = 0, -1
    while True:
        batch = list(islice(it, chunk_rows))
        if not batch:
            break
        if any(len(r) != width for r in batch):
            width = max(width, *(len(r) for r in batch))
            batch = [_pad(r, width) for r in batch]
        cells = np.empty((len(batch), width), dtype=object)
        cells[:, :] = batch
        filled = ~np.all((cells == "") | pd.isna(cells), axis=1)
        if filled.any():
            last_filled = n_rows + int(np.flatnonzero(filled)[-1])
        for j in range(len(header)):
            text, numeric = _column_text(cells[:, j])
            texts[j].append(text)
            flags[j].append(numeric)
        n_rows += len(batch)
    keep = last_filled + 1
    frame = pd.DataFrame(
        {
            name: pd.Series(
                pd.arrays.ArrowStringArray(
                    pa.chunked_array(texts[j] or [pa.array([], pa.string())]).slice(0, keep),
                    dtype=STRING,
                ),
                copy=False,
            )
            for j, name in enumerate(header)
        }
    )
    numeric = pd.DataFrame(
        {
            name: (np.concatenate(flags[j]) if flags[j] else np.zeros(0, dtype=bool))[:keep]
            for j, name in enumerate(header)
        },
        index=frame.index,
    )
    return frame, numeric


def _pad(row: list[object], width: int) -> list[object]:
    return list(row) + [""] * (width - len(row)) if len(row) < width else list(row)


_CELL_KINDS = {str: 1, float: 2, int: 3, bool: 4, dt.datetime: 5, dt.date: 6}


def _column_text(col: np.ndarray) -> tuple[pa.Array, np.ndarray]:
    """One column of calamine cells -> (Arrow text array, numeric flags)."""
    n = len(col)
    kind = pd.api.types.infer_dtype(col, skipna=False) if n else "empty"
    if kind in ("string", "empty"):
        return pa.array(col, type=pa.string()), np.zeros(n, dtype=bool)
    # One C-level pass: cell type -> small code (0 for anything rare: time, duration, None).
    kind_of = pd.Series(col).map(type).map(_CELL_KINDS).fillna(0).to_numpy(dtype="int8")
    out = np.full(n, "", dtype=object)
    is_str, is_float, is_int, is_bool, is_dt, is_date = (kind_of == k for k in range(1, 7))
    out[is_str] = col[is_str]
    if is_float.any():
        out[is_float] = format_floats(col[is_float].astype("float64"))
    if is_int.any():
        out[is_int] = np.asarray(col[is_int].astype(str), dtype=object)
    if is_bool.any():
        out[is_bool] = np.where(col[is_bool].astype(bool), "TRUE", "FALSE")
    if is_date.any() or is_dt.any():
        out[is_date | is_dt] = _format_datetimes(col[is_date | is_dt])
    rest = (kind_of == 0) & pd.notna(col)
    if rest.any():  # time and duration cells are rare: plain str() is fine
        out[rest] = [_scalar_text(v) for v in col[rest]]
    return pa.array(out, type=pa.string()), (is_float | is_int)


def format_floats(values: np.ndarray) -> np.ndarray:
    """Numbers as Excel shows them in full: integral values without `.0`, others shortest repr."""
    values = np.asarray(values, dtype="float64")
    out = np.full(len(values), "", dtype=object)
    finite = np.isfinite(values)
    integral = finite & (np.floor(values) == values) & (np.abs(values) < _INT64_SAFE)
    if integral.any():
        out[integral] = values[integral].astype("int64").astype(str)
    other = finite & ~integral
    if other.any():  # numpy prints the shortest text that reads back to the same double
        out[other] = values[other].astype(str).astype(object)
    return out


def _format_datetimes(values: np.ndarray) -> np.ndarray:
    """Date cells as ISO text; datetimes keep their time of day when it is not midnight."""
    stamps = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce")
    iso = stamps.dt.strftime("%Y-%m-%d")
    has_time = stamps.notna() & (stamps != stamps.dt.normalize())
    full = stamps.dt.strftime("%Y-%m-%d %H:%M:%S")
    out = iso.where(~has_time, full).to_numpy(dtype=object, na_value=None)
    missing = np.array([v is None for v in out], dtype=bool)
    if missing.any():  # outside pandas' range (year < 1677 or > 2262): isoformat per cell
        out[missing] = [_scalar_text(v) for v in values[missing]]
    return out


def _scalar_text(value: object) -> str:
    """Text of one cell as Excel would show it in full."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(format_floats(np.array([value]))[0])
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------------------------


def _read_parquet(p: Path) -> RawTable:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(p)
    except BaseException as exc:  # noqa: BLE001 - any failure of the Parquet reader
        _reraise_interrupts(exc)
        reason = _first_line(exc).replace(str(p), "").replace("''", "").strip(" :")
        raise UserError(
            f"{p}: the Parquet file could not be read ({reason}); it may be damaged or cut "
            "short — write it again.",
            id=f"{p}: berkas Parquet tidak dapat dibaca ({reason}); mungkin rusak atau "
            "terpotong — tulis ulang.",
        ) from None
    return arrow_table_to_raw(table, p)


def arrow_table_to_raw(table: pa.Table, p: Path, fmt: str = "parquet") -> RawTable:
    """An Arrow table (a whole Parquet file or one piece of it) as text cells plus the
    numeric-cell flags, converted like `_read_parquet` does (the dask engine reads pieces)."""
    # pandas' saved index is no column of the export.
    keep = [n for n in table.column_names if not str(n).startswith("__index_level_")]
    table = table.select(keep)
    frame: dict[str, pd.Series] = {}
    numeric: dict[str, np.ndarray] = {}
    names = dedupe_names([str(n) for n in table.column_names])
    for name, col in zip(names, table.columns, strict=True):
        typ = col.type
        if pa.types.is_nested(typ):
            raise UserError(
                f"{p}: column {name!r} holds nested values ({typ}); flatten it to plain "
                "columns before checking.",
                id=f"{p}: kolom {name!r} berisi nilai bersarang ({typ}); ratakan menjadi kolom "
                "biasa sebelum diperiksa.",
            )
        if pa.types.is_dictionary(typ):
            col = col.cast(typ.value_type)
            typ = col.type
        is_num = pa.types.is_integer(typ) or pa.types.is_floating(typ) or pa.types.is_decimal(typ)
        try:
            frame[name] = _arrow_column_text(col)
        except (pa.ArrowException, ValueError, TypeError, OverflowError):
            raise UserError(
                f"{p}: column {name!r} has the type {typ}, which cannot be read as text; "
                "write it as a string column and check again.",
                id=f"{p}: kolom {name!r} bertipe {typ} yang tidak dapat dibaca sebagai teks; "
                "tulis sebagai kolom teks lalu periksa lagi.",
            ) from None
        valid = ~np.asarray(col.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        numeric[name] = valid & is_num
    df = pd.DataFrame(frame)
    source = SourceInfo(path=str(p), format=fmt, records=len(df))
    return RawTable(df, pd.DataFrame(numeric, index=df.index), source)


def _arrow_column_text(col: pa.ChunkedArray) -> pd.Series:
    typ = col.type
    if pa.types.is_floating(typ):
        values = col.to_numpy(zero_copy_only=False).astype("float64")
        return pd.Series(format_floats(values), dtype=STRING)
    if pa.types.is_timestamp(typ) or pa.types.is_date(typ):
        stamps = pd.Series(col.to_pandas())
        return pd.Series(_format_datetimes(stamps.to_numpy(dtype=object)), dtype=STRING).fillna("")
    if pa.types.is_boolean(typ):
        values = col.to_pandas()
        text = np.where(values.fillna(False).astype(bool), "TRUE", "FALSE").astype(object)
        text[values.isna().to_numpy()] = ""
        return pd.Series(text, dtype=STRING)
    if pa.types.is_binary(typ) or pa.types.is_large_binary(typ) or pa.types.is_fixed_size_binary(typ):
        # Bytes: utf-8 where they are, the replacement character where they are not.
        raw = pd.Series(col.to_numpy(zero_copy_only=False), dtype=object)
        return raw.str.decode("utf-8", errors="replace").fillna("").astype(STRING)
    casted = col.cast(pa.string())
    s = pd.Series(casted.to_pandas(types_mapper={pa.string(): STRING}.get))
    return s.fillna("").astype(STRING)
