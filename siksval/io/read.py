"""Read an export (CSV/TSV/pipe, XLSX, Parquet) into a frame of text cells.

Every cell comes back as text: a reader must never turn a NIK into a float. For xlsx the reader
also remembers which cells were numeric (Excel damage evidence: a 16-digit number stored in a
numeric cell has lost its last digit). The source facts (path, format, delimiter, encoding,
records, sha256) are kept for the report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from dataclasses import dataclass
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


@dataclass
class RawTable:
    """Cells as text, the numeric-cell flags (xlsx/parquet), and the source facts."""

    frame: pd.DataFrame
    numeric_cells: pd.DataFrame
    source: SourceInfo


def read_table(path: str | os.PathLike[str], *, sheet: str | None = None) -> RawTable:
    """Read `path` by its content (and extension as a hint). Raises UserError for people."""
    p = Path(path)
    _check_file(p)
    head = _head(p, 8)
    suffix = p.suffix.lower()
    if head.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        if not head.startswith(b"PK\x03\x04"):
            raise UserError(
                f"{p}: the file is named .xlsx but is not an Excel workbook; "
                "save it again as .xlsx or give the real file."
            )
        table = _read_xlsx(p, sheet)
    elif head.startswith(b"PAR1") or suffix == ".parquet":
        table = _read_parquet(p)
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UserError(
            f"{p}: this is an old Excel .xls (or password-protected) workbook, which siksval "
            "cannot read; open it in Excel and save it as .xlsx or CSV."
        )
    else:
        table = _read_csv(p)
    table.source.sha256 = _sha256(p)
    if table.frame.shape[1] == 0:
        raise UserError(f"{p}: the file has no header row; export it again with column headers.")
    return table


def _check_file(p: Path) -> None:
    if not p.exists():
        raise UserError(f"{p}: file not found; check the path and try again.")
    if p.is_dir():
        raise UserError(f"{p}: is a folder, not a file; give the path of the export file.")
    if not os.access(p, os.R_OK):
        raise UserError(f"{p}: no permission to read the file; check its permissions.")
    if p.stat().st_size == 0:
        raise UserError(f"{p}: the file is empty; export the data again.")


def _head(p: Path, n: int) -> bytes:
    with p.open("rb") as fh:
        return fh.read(n)


def _sha256(p: Path) -> str:
    h = hashlib.sha256()
    with p.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------


def _detect_encoding(sample: bytes) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still utf-8.
        if exc.start >= len(sample) - 3:
            return "utf-8"
        return "cp1252"


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
    encoding = _detect_encoding(sample)
    text = sample.decode(encoding, errors="replace")
    delimiter = sniff_delimiter(text)
    first_line = text.splitlines()[0] if text.splitlines() else ""
    if not first_line.strip():
        raise UserError(f"{p}: the first line is empty; the file must start with the header row.")
    try:
        table = _arrow_csv(p, delimiter, encoding)
    except pa.ArrowInvalid as exc:
        if encoding == "utf-8" and "UTF8" in str(exc).upper():
            encoding = "cp1252"
            table = _arrow_csv(p, delimiter, encoding)
        else:
            raise UserError(f"{p}: the file could not be read as {_delim_name(delimiter)}-"
                            f"separated text ({_first_line(exc)}); check that every row has "
                            "the same number of columns.") from None
    frame = _arrow_to_text_frame(table)
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
    header = _header_names(p, delimiter, encoding)
    names = _dedupe_names(header)
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
    source: object = p
    if encoding == "utf-8-sig":
        source = io.BytesIO(p.read_bytes()[3:])
    return pacsv.read_csv(
        source, read_options=read_opts, parse_options=parse_opts, convert_options=convert_opts
    )


def _header_names(p: Path, delimiter: str, encoding: str) -> list[str]:
    import csv

    with p.open("r", encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            return []
    return [h.strip() for h in header]


def _dedupe_names(names: list[str]) -> list[str]:
    """Arrow needs distinct names; a repeated header gets a `#2` suffix (reported later)."""
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name or f"kolom_{i + 1}"
        if name in seen:
            seen[name] += 1
            out.append(f"{name}#{seen[name]}")
        else:
            seen[name] = 1
            out.append(name)
    return out


def _delim_name(d: str) -> str:
    return {"|": "pipe", ";": "semicolon", "\t": "tab", ",": "comma"}.get(d, repr(d))


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _arrow_to_text_frame(table: pa.Table) -> pd.DataFrame:
    frame = table.to_pandas(types_mapper={pa.string(): STRING, pa.large_string(): STRING}.get)
    return frame.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# XLSX (calamine)
# ---------------------------------------------------------------------------------------------


def _read_xlsx(p: Path, sheet: str | None) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(p))
    except Exception as exc:  # noqa: BLE001 - calamine raises its own types for broken archives
        raise UserError(
            f"{p}: the Excel file could not be opened ({_first_line(exc)}); it may be damaged, "
            "password-protected or only half saved — open it in Excel and save it again."
        ) from None
    names = wb.sheet_names
    if not names:
        raise UserError(f"{p}: the workbook has no sheets.")
    if sheet is None:
        sheet_name = names[0]
    elif sheet in names:
        sheet_name = sheet
    else:
        raise UserError(
            f"{p}: there is no sheet named {sheet!r}; the sheets are: {', '.join(names)}."
        )
    try:
        rows = wb.get_sheet_by_name(sheet_name).to_python(skip_empty_area=True)
    except Exception as exc:  # noqa: BLE001 - any calamine failure means an unreadable sheet
        raise UserError(
            f"{p}: sheet {sheet_name!r} could not be read ({_first_line(exc)}); save the "
            "workbook again in Excel."
        ) from None
    if not rows:
        raise UserError(f"{p}: sheet {sheet_name!r} is empty; export the data again.")
    header = _dedupe_names([_cell_text(h)[0].strip() for h in rows[0]])
    body = rows[1:]
    width = len(header)
    columns: dict[str, list[str]] = {h: [] for h in header}
    numeric: dict[str, list[bool]] = {h: [] for h in header}
    # Column-wise conversion; xlsx exports are at most ~1M rows (Excel's own limit).
    for j, h in enumerate(header):
        texts, flags = columns[h], numeric[h]
        for r in body:
            text, is_num = _cell_text(r[j] if j < len(r) else "")
            texts.append(text)
            flags.append(is_num)
    frame = pd.DataFrame({h: pd.array(columns[h], dtype=STRING) for h in header})
    numeric_cells = pd.DataFrame({h: np.asarray(numeric[h], dtype=bool) for h in header})
    if width == 0:
        frame = pd.DataFrame()
    source = SourceInfo(path=str(p), format="xlsx", records=len(frame), sheet=sheet_name)
    return RawTable(frame, numeric_cells, source)


def _cell_text(value: object) -> tuple[str, bool]:
    """Text of an xlsx cell as Excel would show it in full, and whether it was numeric."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e20:
            return str(int(value)), True
        return repr(value), True
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat(), False
        return value.isoformat(sep=" "), False
    if isinstance(value, dt.date):
        return value.isoformat(), False
    if isinstance(value, dt.time):
        return value.isoformat(), False
    if isinstance(value, dt.timedelta):
        return str(value), False
    return str(value), False


# ---------------------------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------------------------


def _read_parquet(p: Path) -> RawTable:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(p)
    except (pa.ArrowException, OSError) as exc:
        raise UserError(
            f"{p}: the Parquet file could not be read ({_first_line(exc)}); write it again."
        ) from None
    frame: dict[str, pd.Series] = {}
    numeric: dict[str, np.ndarray] = {}
    names = _dedupe_names([str(n) for n in table.column_names])
    for name, col in zip(names, table.columns, strict=True):
        typ = col.type
        if pa.types.is_nested(typ):
            raise UserError(
                f"{p}: column {name!r} holds nested values ({typ}); flatten it to plain "
                "columns before checking."
            )
        is_num = pa.types.is_integer(typ) or pa.types.is_floating(typ) or pa.types.is_decimal(typ)
        frame[name] = _arrow_column_text(col)
        numeric[name] = np.full(len(col), is_num, dtype=bool)
    df = pd.DataFrame(frame)
    source = SourceInfo(path=str(p), format="parquet", records=len(df))
    return RawTable(df, pd.DataFrame(numeric, index=df.index), source)


def _arrow_column_text(col: pa.ChunkedArray) -> pd.Series:
    typ = col.type
    if pa.types.is_floating(typ):
        values = col.to_numpy(zero_copy_only=False)
        integral = np.isfinite(values) & (np.floor(values) == values) & (np.abs(values) < 1e20)
        text = np.where(
            integral,
            np.char.mod("%d", np.where(integral, values, 0).astype("int64")).astype(object),
            values.astype(str).astype(object),
        )
        text[~np.isfinite(values)] = ""
        return pd.Series(pd.array(text, dtype=STRING))
    if pa.types.is_timestamp(typ) or pa.types.is_date(typ):
        s = pd.Series(col.to_pandas()).dt.strftime("%Y-%m-%d")
        return s.fillna("").astype(STRING)
    casted = col.cast(pa.string())
    s = pd.Series(casted.to_pandas(types_mapper={pa.string(): STRING}.get))
    return s.fillna("").astype(STRING)
