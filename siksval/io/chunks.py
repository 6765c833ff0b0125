"""Reading an export in pieces, so a run never needs the whole file in memory at once.

A Parquet file is cut along its row groups; a CSV/TSV/pipe file is first converted, streaming
(one block of 8 MB in memory at a time), into a Parquet file of text columns with row groups of
`rows_per_piece` records. Every piece knows the 0-based position of its first record in the file,
so record numbers stay global (1-based, as in a single-process run).

The cells of a piece are converted exactly as `read_table` converts the whole file (same CSV
options, same Parquet-to-text rules, same numeric-cell flags).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from siksval.errors import UserError
from siksval.io import read as rd
from siksval.model import SourceInfo

#: Records per piece when a CSV is converted (also the row-group size of the converted file).
ROWS_PER_PIECE = 200_000
SPREADSHEET_SUFFIXES = rd.SPREADSHEET_SUFFIXES


@dataclass(frozen=True)
class Piece:
    """One row group of a Parquet file: where it is and where its records sit in the file."""

    path: str
    row_group: int
    offset: int  # 0-based position of the piece's first record in the whole file
    rows: int


@dataclass
class Pieces:
    """A file ready to be read piece by piece."""

    parquet: Path  # the file the pieces are read from (the input, or its Parquet conversion)
    pieces: list[Piece]
    columns: list[str]  # the column names as read_table would give them (deduplicated)
    drop: list[str]  # unnamed columns without any value (layout, dropped like read_table does)
    source: SourceInfo  # facts about the *original* input, for the report


def is_parquet(path: Path) -> bool:
    return rd.read_head(path, 4).startswith(rd.PARQUET_MAGIC) or path.suffix.lower() == ".parquet"


def prepare(path: str | os.PathLike[str], workdir: Path, rows_per_piece: int = ROWS_PER_PIECE) -> Pieces:
    """Cut `path` into pieces; a CSV is converted into `workdir` first (streaming)."""
    p = Path(path)
    rd.check_file(p)
    head = rd.read_head(p, 8)
    if head.startswith((rd.ZIP_MAGIC, rd.OLE_MAGIC)) or p.suffix.lower() in SPREADSHEET_SUFFIXES:
        raise UserError(
            f"{p}: spreadsheets cannot be read in pieces; save the sheet as CSV or Parquet for "
            "--engine dask, or check it with the default engine.",
            id=f"{p}: spreadsheet tidak dapat dibaca per bagian; simpan sheet sebagai CSV atau "
            "Parquet untuk --engine dask, atau periksa dengan engine bawaan.",
        )
    if is_parquet(p):
        source = SourceInfo(path=str(p), format="parquet", records=0)
        target = p
    else:
        target = workdir / (p.stem + ".parquet")
        source = csv_to_parquet(p, target, rows_per_piece)
    try:
        meta = pq.ParquetFile(target).metadata
    except (pa.ArrowException, OSError) as exc:
        raise UserError(
            f"{p}: the Parquet file could not be read ({rd._first_line(exc)}); write it again.",
            id=f"{p}: berkas Parquet tidak dapat dibaca ({rd._first_line(exc)}); tulis ulang.",
        ) from None
    pieces, offset = [], 0
    for i in range(meta.num_row_groups):
        n = meta.row_group(i).num_rows
        if n:
            pieces.append(Piece(str(target), i, offset, n))
        offset += n
    if offset == 0:
        raise UserError(
            f"{p}: header only, no records; the export holds column names but no data rows — "
            "export the data again.",
            id=f"{p}: hanya judul kolom, tanpa rekaman; ekspor berisi nama kolom tetapi tidak "
            "ada baris data — ekspor ulang datanya.",
        )
    raw_names = [n for n in meta.schema.to_arrow_schema().names if not str(n).startswith("__index_level_")]
    columns = rd.dedupe_names([str(n) for n in raw_names])
    drop = _empty_unnamed(target, raw_names, columns)
    source.records = offset
    source.sha256 = rd._sha256(p)
    return Pieces(target, pieces, [c for c in columns if c not in drop], drop, source)


def read_piece(piece: Piece, label: str, drop: list[str] | tuple[str, ...] = ()) -> rd.RawTable:
    """The records of one piece as text cells plus numeric-cell flags (like `read_table`)."""
    table = pq.ParquetFile(piece.path).read_row_group(piece.row_group)
    raw = rd.arrow_table_to_raw(table, Path(label))
    if drop:
        raw.frame = raw.frame.drop(columns=list(drop))
        raw.numeric_cells = raw.numeric_cells.drop(columns=list(drop))
    return raw


def _empty_unnamed(path: Path, raw_names: list[str], columns: list[str]) -> list[str]:
    """Unnamed columns (`kolom_N`) without a single non-blank value anywhere in the file."""
    unnamed = [(r, c) for r, c in zip(raw_names, columns, strict=True) if c.startswith(rd.UNNAMED_PREFIX)]
    if not unnamed:
        return []
    pf = pq.ParquetFile(path)
    seen = {c: False for _, c in unnamed}
    for batch in pf.iter_batches(columns=[r for r, _ in unnamed], batch_size=65_536):
        for (_, c), col in zip(unnamed, batch.columns, strict=True):
            if not seen[c]:
                text = rd._arrow_column_text(pa.chunked_array([col]))
                seen[c] = bool(text.str.strip().ne("").any())
    return [c for c, any_value in seen.items() if not any_value]


def csv_to_parquet(p: Path, target: Path, rows_per_piece: int = ROWS_PER_PIECE) -> SourceInfo:
    """Convert a CSV/TSV/pipe export, streaming, into Parquet text columns; returns the facts
    of the CSV (delimiter, encoding) for the report. Sniffing, options, the encoding fallback
    and the repair of utf-8 cells in a cp1252 file are those of `read_table`."""
    how, _ = rd.sniff_csv(p)
    try:
        repaired = _stream_csv(p, target, how, rows_per_piece)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        fallback = rd._fallback_encoding(how.encoding, exc)
        if fallback is None:
            rd._parse_error(p, how, exc)
        how = rd._Text(how.delimiter, fallback, how.drop_nul)
        try:
            repaired = _stream_csv(p, target, how, rows_per_piece)
        except UnicodeDecodeError:
            how = rd._Text(how.delimiter, "latin-1", how.drop_nul)
            try:
                repaired = _stream_csv(p, target, how, rows_per_piece)
            except pa.ArrowInvalid as exc2:
                rd._parse_error(p, how, exc2)
        except pa.ArrowInvalid as exc2:
            rd._parse_error(p, how, exc2)
    encoding = f"utf-8+{how.encoding}" if repaired else how.encoding
    return SourceInfo(
        path=str(p),
        format="tsv" if how.delimiter == "\t" else "csv",
        records=0,
        delimiter=how.delimiter,
        encoding=encoding,
    )


def _stream_csv(p: Path, target: Path, how: rd._Text, rows_per_piece: int) -> bool:
    """Write the pieces; returns whether any utf-8 cell of a cp1252 file was repaired."""
    read_opts, parse_opts, convert_opts = rd.csv_options(p, how)
    names = read_opts.column_names
    schema = pa.schema([(n, pa.string()) for n in names])
    repair = how.encoding in ("cp1252", "latin-1")
    repaired = False
    pending: list[pa.RecordBatch] = []
    n_pending = 0
    with pq.ParquetWriter(target, schema, compression="zstd") as writer, \
            rd._open_binary(p, how) as fh:
        reader = pacsv.open_csv(
            fh, read_options=read_opts, parse_options=parse_opts, convert_options=convert_opts
        )
        for batch in reader:
            if repair:
                frame = rd._arrow_to_text_frame(pa.Table.from_batches([batch]))
                if rd._repair_utf8_cells(frame, how.encoding):
                    repaired = True
                    batch = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
                    batch = batch.combine_chunks().to_batches()[0] if batch.num_rows else batch
            pending.extend(batch.to_batches() if isinstance(batch, pa.Table) else [batch])
            n_pending += batch.num_rows
            while n_pending >= rows_per_piece:
                table = pa.Table.from_batches(pending, schema)
                writer.write_table(table.slice(0, rows_per_piece), row_group_size=rows_per_piece)
                rest = table.slice(rows_per_piece)
                pending = rest.to_batches()
                n_pending = rest.num_rows
        if n_pending:
            writer.write_table(pa.Table.from_batches(pending, schema), row_group_size=rows_per_piece)
    return repaired


def offsets_to_rows(piece: Piece) -> np.ndarray:
    """The 1-based record numbers of a piece's records."""
    return np.arange(piece.offset + 1, piece.offset + piece.rows + 1, dtype=np.int64)
