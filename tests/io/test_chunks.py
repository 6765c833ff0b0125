"""Reading in pieces gives the same cells, flags and record positions as reading whole."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from siksval.errors import UserError
from siksval.io import chunks
from siksval.io.read import read_table


def _whole_from_pieces(prepared: chunks.Pieces, label: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    frames, flags = [], []
    expected_offset = 0
    for piece in prepared.pieces:
        assert piece.offset == expected_offset
        raw = chunks.read_piece(piece, label, prepared.drop)
        assert len(raw.frame) == piece.rows
        frames.append(raw.frame)
        flags.append(raw.numeric_cells)
        expected_offset += piece.rows
    return pd.concat(frames, ignore_index=True), pd.concat(flags, ignore_index=True)


def test_csv_pieces_equal_read_table(tmp_path: Path) -> None:
    # cp1252 text, a quoted line break, a trailing delimiter (unnamed empty column), 23 records.
    lines = ["NOMOR_NIK;NAMA;CATATAN;"]
    for i in range(23):
        note = '"baris\nkedua"' if i == 7 else ("  " if i % 5 else f"catatan {i}")
        lines.append(f"32730115088000{i:02d};RENÉ {i};{note};")
    path = tmp_path / "x.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    whole = read_table(path)
    prepared = chunks.prepare(path, tmp_path, rows_per_piece=5)
    assert [p.rows for p in prepared.pieces] == [5, 5, 5, 5, 3]
    assert prepared.drop == ["kolom_4"]
    frame, flags = _whole_from_pieces(prepared, str(path))
    pd.testing.assert_frame_equal(frame, whole.frame)
    pd.testing.assert_frame_equal(flags, whole.numeric_cells.astype(bool))
    src = prepared.source
    assert (src.format, src.delimiter, src.encoding, src.records, src.sha256) == (
        "csv", ";", whole.source.encoding, 23, whole.source.sha256)


def test_parquet_pieces_keep_numeric_flags(tmp_path: Path) -> None:
    table = pa.table({
        "NOMOR_NIK": pa.array([3273011508800001.0, None, 3273011508800003.0, 1.5e15]),
        "NAMA": pa.array(["A", "B", None, "D"]),
        "UMUR": pa.array([1, 2, None, 4], type=pa.int64()),
    })
    path = tmp_path / "x.parquet"
    pq.write_table(table, path, row_group_size=3)
    whole = read_table(path)
    prepared = chunks.prepare(path, tmp_path)
    assert [p.rows for p in prepared.pieces] == [3, 1]
    frame, flags = _whole_from_pieces(prepared, str(path))
    pd.testing.assert_frame_equal(frame, whole.frame)
    pd.testing.assert_frame_equal(flags, whole.numeric_cells)
    assert flags["NOMOR_NIK"].tolist() == [True, False, True, True]
    assert chunks.offsets_to_rows(prepared.pieces[1]).tolist() == [4]
    assert np.array_equal(chunks.offsets_to_rows(prepared.pieces[0]), [1, 2, 3])


def test_header_only_and_spreadsheet_are_user_errors(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("NOMOR_NIK|NAMA\n", encoding="utf-8")
    with pytest.raises(UserError, match="header only"):
        chunks.prepare(path, tmp_path)
    xlsx = tmp_path / "x.xlsx"
    xlsx.write_bytes(b"PK\x03\x04not really a workbook")
    with pytest.raises(UserError, match="spreadsheets cannot be read in pieces"):
        chunks.prepare(xlsx, tmp_path)
