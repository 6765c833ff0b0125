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
import os
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from siksval.errors import UserError
from siksval.model import SourceInfo

DELIMITERS = ("|", ";", "\t", ",")
SNIFF_BYTES = 256 * 1024
STRING = pd.StringDtype("pyarrow", na_value=np.nan)

#: Magic numbers of the containers we recognise by content, whatever the file is called.
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PARQUET_MAGIC = b"PAR1"
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
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


def read_table(path: str | os.PathLike[str], *, sheet: str | None = None) -> RawTable:
    """Read `path` by its content (the extension is only a hint).

    Raises UserError for a missing, empty, header-only or unreadable file.
    """
    p = Path(path)
    _check_file(p)
    head = _head(p, 8)
    suffix = p.suffix.lower()
    if head.startswith((ZIP_MAGIC, OLE_MAGIC)) or suffix in SPREADSHEET_SUFFIXES:
        if not head.startswith((ZIP_MAGIC, OLE_MAGIC)):
            raise UserError(
                f"{p}: the file is named {suffix} but is not a spreadsheet workbook; "
                "save it again from Excel as .xlsx or CSV, or give the real file.",
                id=f"{p}: berkas bernama {suffix} tetapi bukan buku kerja spreadsheet; simpan "
                "ulang dari Excel sebagai .xlsx atau CSV, atau berikan berkas yang benar.",
            )
        table = _read_spreadsheet(p, sheet)
    elif head.startswith(PARQUET_MAGIC) or suffix == ".parquet":
        table = _read_parquet(p)
    else:
        table = _read_csv(p)
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
    table.source.sha256 = _sha256(p)
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


def _check_file(p: Path) -> None:
    if not p.exists():
        raise UserError(
            f"{p}: file not found; check the path and try again.",
            id=f"{p}: berkas tidak ditemukan; periksa lokasi berkas lalu coba lagi.",
        )
    if p.is_dir():
        raise UserError(
            f"{p}: is a folder, not a file; give the path of the export file.",
            id=f"{p}: ini folder, bukan berkas; berikan lokasi berkas ekspor.",
        )
    if not os.access(p, os.R_OK):
        raise UserError(
            f"{p}: no permission to read the file; check its permissions.",
            id=f"{p}: tidak ada izin membaca berkas; periksa izin aksesnya.",
        )
    if p.stat().st_size == 0:
        raise UserError(
            f"{p}: the file is empty; export the data again.",
            id=f"{p}: berkas kosong; ekspor ulang datanya.",
        )


def _head(p: Path, n: int) -> bytes:
    with p.open("rb") as fh:
        return fh.read(n)


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with p.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# ---------------------------------------------------------------------------------------------
# CSV / TSV / pipe
# ---------------------------------------------------------------------------------------------


def detect_encoding(sample: bytes) -> str:
    """utf-8 (with or without BOM), utf-16 by its BOM, else cp1252 or, failing that, latin-1."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
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


def _read_csv(p: Path) -> RawTable:
    with p.open("rb") as fh:
        sample = fh.read(SNIFF_BYTES)
    encoding = detect_encoding(sample)
    text = sample.decode(encoding, errors="replace").lstrip("\ufeff")
    if not text.strip():
        raise UserError(
            f"{p}: the file holds only blank lines; export the data again.",
            id=f"{p}: berkas hanya berisi baris kosong; ekspor ulang datanya.",
        )
    if not text.splitlines()[0].strip():
        raise UserError(
            f"{p}: the first line is empty; the file must start with the header row.",
            id=f"{p}: baris pertama kosong; berkas harus diawali baris judul kolom.",
        )
    delimiter = sniff_delimiter(text)
    if len(sample) < SNIFF_BYTES and sum(1 for ln in text.splitlines() if ln.strip()) == 1:
        # Only a header line: Arrow cannot skip a header that has no line after it.
        names = dedupe_names(_header_names(p, delimiter, encoding))
        empty = pd.DataFrame({n: pd.Series([], dtype=STRING) for n in names})
        return _csv_table(p, empty, delimiter, encoding)
    try:
        table = _arrow_csv(p, delimiter, encoding)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        # The sample was clean but a later byte is not utf-8 (or not cp1252): fall back.
        fallback = _fallback_encoding(encoding, exc)
        if fallback is None:
            raise UserError(
                f"{p}: the file could not be read as {_delim_name(delimiter)}-separated text "
                f"({_first_line(exc)}); check that every row has the same number of columns.",
                id=f"{p}: berkas tidak dapat dibaca sebagai teks berpemisah "
                f"{_delim_name(delimiter)} ({_first_line(exc)}); periksa bahwa setiap baris "
                "memiliki jumlah kolom yang sama.",
            ) from None
        encoding = fallback
        return _read_csv_with(p, delimiter, encoding)
    return _csv_table(p, table, delimiter, encoding)


def _fallback_encoding(encoding: str, exc: BaseException) -> str | None:
    if isinstance(exc, UnicodeDecodeError):
        return "latin-1" if encoding != "latin-1" else None
    if encoding in ("utf-8", "utf-8-sig") and "UTF8" in str(exc).upper().replace("-", ""):
        return "cp1252"
    return None


def _read_csv_with(p: Path, delimiter: str, encoding: str) -> RawTable:
    try:
        table = _arrow_csv(p, delimiter, encoding)
    except UnicodeDecodeError:
        encoding = "latin-1"
        table = _arrow_csv(p, delimiter, encoding)
    except pa.ArrowInvalid as exc:
        raise UserError(
            f"{p}: the file could not be read as {_delim_name(delimiter)}-separated text "
            f"({_first_line(exc)}); check that every row has the same number of columns.",
            id=f"{p}: berkas tidak dapat dibaca sebagai teks berpemisah {_delim_name(delimiter)} "
            f"({_first_line(exc)}); periksa bahwa setiap baris memiliki jumlah kolom yang sama.",
        ) from None
    return _csv_table(p, table, delimiter, encoding)


def _csv_table(
    p: Path, table: pa.Table | pd.DataFrame, delimiter: str, encoding: str
) -> RawTable:
    frame = table if isinstance(table, pd.DataFrame) else _arrow_to_text_frame(table)
    numeric = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    source = SourceInfo(
        path=str(p),
        format="tsv" if delimiter == "\t" else "csv",
        records=len(frame),
        delimiter=delimiter,
        encoding=encoding,
    )
    return RawTable(frame, numeric, source)


def _arrow_csv(p: Path, delimiter: str, encoding: str) -> pa.Table:
    read_opts, parse_opts, convert_opts = csv_options(p, delimiter, encoding)
    return pacsv.read_csv(
        p, read_options=read_opts, parse_options=parse_opts, convert_options=convert_opts
    )


def csv_options(
    p: Path, delimiter: str, encoding: str
) -> tuple[pacsv.ReadOptions, pacsv.ParseOptions, pacsv.ConvertOptions]:
    """Arrow's options for reading `p` as text cells (shared with the streaming reader)."""
    names = dedupe_names(_header_names(p, delimiter, encoding))
    # Arrow skips a utf-8 BOM itself; other encodings are transcoded while streaming.
    read_opts = pacsv.ReadOptions(
        column_names=names,
        skip_rows=1,
        encoding="utf8" if encoding in ("utf-8", "utf-8-sig") else encoding,
        block_size=8 << 20,
    )
    parse_opts = pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True)
    convert_opts = pacsv.ConvertOptions(
        column_types={n: pa.string() for n in names},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    return read_opts, parse_opts, convert_opts


def _header_names(p: Path, delimiter: str, encoding: str) -> list[str]:
    import csv

    with p.open("r", encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        header = next(reader, [])
    return [h.replace("\ufeff", "").strip() for h in header]


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
    except Exception as exc:  # noqa: BLE001 - calamine has many error types; all mean "unreadable"
        raise UserError(
            f"{p}: the spreadsheet could not be opened ({_first_line(exc)}); it may be damaged, "
            "password-protected or only half saved — open it in Excel and save it again.",
            id=f"{p}: spreadsheet tidak dapat dibuka ({_first_line(exc)}); mungkin rusak, "
            "berkata sandi, atau belum tersimpan utuh — buka di Excel lalu simpan ulang.",
        ) from None
    names = list(wb.sheet_names)
    if not names:
        raise UserError(f"{p}: the workbook has no sheets.", id=f"{p}: buku kerja tanpa sheet.")
    sheet_name = _pick_sheet(p, names, sheet)
    try:
        # Rows are streamed in chunks: only one chunk of Python cell objects is alive at a
        # time (a 1M-row sheet as one list of lists would need gigabytes).
        frame, numeric = cells_to_text(wb.get_sheet_by_name(sheet_name).iter_rows())
    except Exception as exc:  # noqa: BLE001 - any calamine failure here means a broken sheet
        raise UserError(
            f"{p}: sheet {sheet_name!r} could not be read ({_first_line(exc)}); save the "
            "workbook again in Excel.",
            id=f"{p}: sheet {sheet_name!r} tidak dapat dibaca ({_first_line(exc)}); simpan "
            "ulang buku kerjanya di Excel.",
        ) from None
    if frame is None:
        raise UserError(
            f"{p}: sheet {sheet_name!r} is empty; export the data again.",
            id=f"{p}: sheet {sheet_name!r} kosong; ekspor ulang datanya.",
        )
    source = SourceInfo(path=str(p), format="xlsx", records=len(frame), sheet=sheet_name)
    suffix = p.suffix.lower().lstrip(".")
    if suffix in ("xls", "xlsb", "ods", "xlsm"):
        source.format = suffix
    return RawTable(frame, numeric, source)


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
    except (pa.ArrowException, OSError) as exc:
        raise UserError(
            f"{p}: the Parquet file could not be read ({_first_line(exc)}); write it again.",
            id=f"{p}: berkas Parquet tidak dapat dibaca ({_first_line(exc)}); tulis ulang.",
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
        frame[name] = _arrow_column_text(col)
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
    casted = col.cast(pa.string())
    s = pd.Series(casted.to_pandas(types_mapper={pa.string(): STRING}.get))
    return s.fillna("").astype(STRING)
