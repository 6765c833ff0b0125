"""Readers: every format, delimiter and encoding; identity cells stay text; Excel damage evidence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from siksval.errors import UserError
from siksval.io.read import (
    SNIFF_BYTES,
    cells_to_text,
    detect_encoding,
    format_floats,
    read_table,
    sniff_delimiter,
)
from tests.pipeline_fixtures import SIKS_HEADER, SIKS_ROWS, write_delimited, write_xlsx

HEADER = ["NOMOR_NIK", "NAMA", "KOTA"]
ROWS = [
    ["3273011508800001", "RENÉ ÉLISE", "BANDUNG"],
    ["0012000000000001", "Ñoño", "CIMAHI"],
]


@pytest.mark.parametrize(
    ("delimiter", "fmt"), [("|", "csv"), (";", "csv"), (",", "csv"), ("\t", "tsv")]
)
def test_delimiters_are_sniffed(tmp_path: Path, delimiter: str, fmt: str) -> None:
    path = write_delimited(tmp_path / "x.txt", HEADER, ROWS, delimiter=delimiter)
    table = read_table(path)
    assert table.source.delimiter == delimiter
    assert table.source.format == fmt
    assert list(table.frame.columns) == HEADER
    assert table.frame["NOMOR_NIK"].tolist() == ["3273011508800001", "0012000000000001"]
    assert table.source.records == 2
    assert not table.numeric_cells.to_numpy().any()
    assert len(table.source.sha256) == 64


def test_sniffer_prefers_consistent_delimiter_over_commas_in_values() -> None:
    text = "NIK|FASBAB|NAMA\n1|ADA, DIGUNAKAN SENDIRI|A\n2|MCK UMUM|B, C, D\n"
    assert sniff_delimiter(text) == "|"
    text = "NIK;LUAS\n1;36,5\n2;20,25\n"
    assert sniff_delimiter(text) == ";"


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("cp1252", "cp1252"),
        ("utf-16", "utf-16"),
    ],
)
def test_encodings(tmp_path: Path, encoding: str, reported: str) -> None:
    path = write_delimited(tmp_path / "x.csv", HEADER, ROWS, delimiter=";", encoding=encoding)
    table = read_table(path)
    assert table.source.encoding == reported
    assert list(table.frame.columns) == HEADER  # no BOM glued to the first header
    assert table.frame["NAMA"].tolist() == ["RENÉ ÉLISE", "Ñoño"]


def test_latin1_fallback_for_bytes_undefined_in_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"NIK|NAMA\n1|REN\x81\xe9\n")  # 0x81: no utf-8 start, undefined in cp1252
    table = read_table(path)
    assert table.source.encoding == "latin-1"
    assert table.frame["NAMA"].iloc[0] == "REN\x81\u00e9"


def test_non_utf8_byte_after_the_sniffed_sample_falls_back(tmp_path: Path) -> None:
    rows = [[f"{3273011508800000 + i}", "NAMA BIASA", "BANDUNG"] for i in range(9000)]
    rows.append(["3273011508899999", "JOS\xc9", "BANDUNG"])
    path = write_delimited(tmp_path / "x.csv", HEADER, rows, delimiter="|", encoding="cp1252")
    assert path.stat().st_size > SNIFF_BYTES
    table = read_table(path)
    assert table.source.encoding == "cp1252"
    assert table.frame["NAMA"].iloc[-1] == "JOSÉ"
    assert len(table.frame) == 9001


def test_detect_encoding_keeps_utf8_cut_mid_character() -> None:
    sample = "NAMA\nJOSÉ".encode()[:-1]
    assert detect_encoding(sample) == "utf-8"


def test_quoted_fields_with_delimiters_and_newlines(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        'NIK|ALAMAT|NAMA\n"3273011508800001"|"JL. MAWAR | NO 5\nRT 01"|"SITI ""ANI"""\n'
        "3273011508800002|JL. MELATI|BUDI\n",
        encoding="utf-8",
    )
    table = read_table(path)
    assert table.source.delimiter == "|"
    assert table.frame["ALAMAT"].iloc[0] == "JL. MAWAR | NO 5\nRT 01"
    assert table.frame["NAMA"].iloc[0] == 'SITI "ANI"'
    assert len(table.frame) == 2


def test_crlf_line_endings(tmp_path: Path) -> None:
    path = write_delimited(tmp_path / "x.csv", HEADER, ROWS, delimiter=",", newline="\r\n")
    table = read_table(path)
    assert table.frame["KOTA"].tolist() == ["BANDUNG", "CIMAHI"]


def test_identity_text_and_excel_damage_kept_verbatim(tmp_path: Path) -> None:
    values = ["3.27301E+15", "3273011508950000.0", "'3273011508800001", " 3273 0115 0880 0002 "]
    path = write_delimited(tmp_path / "x.csv", ["NIK", "NAMA"], [[v, "A"] for v in values])
    table = read_table(path)
    assert table.frame["NIK"].tolist() == values


def test_duplicate_and_empty_headers_stay_distinct(tmp_path: Path) -> None:
    path = write_delimited(tmp_path / "x.csv", ["NIK", "NIK", ""], [["1", "2", "3"]])
    assert list(read_table(path).frame.columns) == ["NIK", "NIK#2", "kolom_3"]


def test_empty_values_are_empty_text_not_missing_markers(tmp_path: Path) -> None:
    path = write_delimited(tmp_path / "x.csv", ["NIK", "NAMA"], [["", "NA"], ["NULL", ""]])
    frame = read_table(path).frame
    assert frame["NIK"].tolist() == ["", "NULL"]
    assert frame["NAMA"].tolist() == ["NA", ""]


# -- errors for people --------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not found"):
        read_table(tmp_path / "nope.csv")


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(UserError, match="empty"):
        read_table(tmp_path / "e.csv")


def test_blank_lines_only(tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text("\n\n  \n")
    with pytest.raises(UserError, match="blank lines"):
        read_table(tmp_path / "b.csv")


@pytest.mark.parametrize("trailer", ["", "\n", "\n\n\n"])
def test_header_only(tmp_path: Path, trailer: str) -> None:
    (tmp_path / "h.csv").write_text("|".join(SIKS_HEADER) + trailer)
    with pytest.raises(UserError, match="header only, no records") as err:
        read_table(tmp_path / "h.csv")
    assert "hanya judul kolom" in err.value.text("id")


def test_ragged_rows_are_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("NIK|NAMA|KOTA\n1|A|B\n2|C\n")
    with pytest.raises(UserError, match="line 3 has 2 values but the header has 3"):
        read_table(tmp_path / "r.csv")


def test_png_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "foto.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(UserError, match="not a spreadsheet"):
        read_table(path)


def test_broken_zip_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "half.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(UserError, match="could not be opened"):
        read_table(path)


# -- xlsx ------------------------------------------------------------------------------------


def test_xlsx_typed_cells(tmp_path: Path) -> None:
    header = ["NOMOR_NIK", "NOMOR_KK", "TANGGAL_LAHIR", "DESIL", "LUAS", "PKH", "NAMA"]
    rows = [
        # 16-digit NIK in a numeric cell (Excel keeps 15 significant digits: last one is 0)
        [3273011508800010, "3273010101100001", dt.date(1980, 8, 15), 2, 36.5, True, "A"],
        # NIK typed as text, an Excel serial date in a numeric cell
        ["3273011508800001", "3273010101100001", 29448, 2.0, 40, False, "B"],
        # scientific notation typed as text, date as text
        ["3.27301E+15", 3273010101100000, "15-08-1980", None, None, None, "C"],
    ]
    path = write_xlsx(tmp_path / "x.xlsx", header, rows)
    table = read_table(path)
    f, num = table.frame, table.numeric_cells
    assert table.source.format == "xlsx" and table.source.sheet == "Sheet1"
    assert f["NOMOR_NIK"].tolist() == ["3273011508800010", "3273011508800001", "3.27301E+15"]
    assert num["NOMOR_NIK"].tolist() == [True, False, False]
    assert f["NOMOR_KK"].tolist()[2] == "3273010101100000" and num["NOMOR_KK"].tolist()[2]
    assert f["TANGGAL_LAHIR"].tolist() == ["1980-08-15", "29448", "15-08-1980"]
    assert num["TANGGAL_LAHIR"].tolist() == [False, True, False]
    assert f["DESIL"].tolist() == ["2", "2", ""]
    assert f["LUAS"].tolist() == ["36.5", "40", ""]
    assert f["PKH"].tolist() == ["TRUE", "FALSE", ""]
    assert num["DESIL"].tolist() == [True, True, False]


def test_xlsx_sheet_choice(tmp_path: Path) -> None:
    other = [["NOMOR_NIK", "NAMA"], ["3273011508800002", "KEDUA"]]
    path = write_xlsx(
        tmp_path / "x.xlsx", ["NOMOR_NIK", "NAMA"], [["3273011508800001", "PERTAMA"]],
        sheet="Data", extra_sheets={"Lain": other},
    )
    assert read_table(path).frame["NAMA"].tolist() == ["PERTAMA"]
    assert read_table(path, sheet="Lain").frame["NAMA"].tolist() == ["KEDUA"]
    assert read_table(path, sheet="lain").source.sheet == "Lain"
    with pytest.raises(UserError, match=r"no sheet named 'Nope'.*Data, Lain"):
        read_table(path, sheet="Nope")


def test_xlsx_header_only_and_trailing_empty_rows(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "h.xlsx", SIKS_HEADER, [])
    with pytest.raises(UserError, match="header only"):
        read_table(path)
    rows, _ = cells_to_text([["NIK", "NAMA"], ["1", "A"], ["", ""], ["2", "B"], ["", None]])
    assert rows["NIK"].tolist() == ["1", "", "2"]  # interior empty row kept, trailing dropped


def test_xlsx_by_content_under_another_name(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", ["NIK"], [["3273011508800001"]])
    renamed = path.rename(tmp_path / "export.dat")
    assert read_table(renamed).frame["NIK"].tolist() == ["3273011508800001"]


def test_cells_to_text_mixed_column_types() -> None:
    rows = [
        ["A"],
        [1.0],
        [3273011508800010.0],
        [36.25],
        [5],
        [dt.datetime(1980, 8, 15, 0, 0)],
        [dt.datetime(1980, 8, 15, 7, 30)],
        [dt.date(1500, 1, 2)],
        [True],
        [""],
        ["X"],
    ]
    frame, num = cells_to_text(rows)
    assert frame["A"].tolist() == [
        "1", "3273011508800010", "36.25", "5", "1980-08-15", "1980-08-15 07:30:00",
        "1500-01-02", "TRUE", "", "X",
    ]
    assert num["A"].tolist() == [True, True, True, True] + [False] * 6


def test_format_floats() -> None:
    out = format_floats(np.array([1.0, 2.5, np.nan, 3.27301e15, 1e20, -4.0, 0.1]))
    assert out.tolist() == ["1", "2.5", "", "3273010000000000", "1e+20", "-4", "0.1"]


# -- parquet ---------------------------------------------------------------------------------


def test_parquet_numeric_ids_become_text_with_flags(tmp_path: Path) -> None:
    table = pa.table(
        {
            "NOMOR_NIK": pa.array([3273011508800001, None, 3273011508800003], pa.int64()),
            "NOMOR_KK": pa.array([3.2730101011e15, float("nan"), 3273010101100001.0]),
            "NAMA": pa.array(["A", "B", None]),
            "TGL": pa.array([dt.date(1980, 8, 15), None, dt.date(2001, 1, 2)]),
            "PKH": pa.array([True, False, None]),
            "KAT": pa.array(["X", "Y", "X"]).dictionary_encode(),
        }
    )
    path = tmp_path / "x.parquet"
    pq.write_table(table, path)
    t = read_table(path)
    f, num = t.frame, t.numeric_cells
    assert t.source.format == "parquet"
    assert f["NOMOR_NIK"].tolist() == ["3273011508800001", "", "3273011508800003"]
    assert num["NOMOR_NIK"].tolist() == [True, False, True]
    assert f["NOMOR_KK"].tolist() == ["3273010101100000", "", "3273010101100001"]
    assert f["NAMA"].tolist() == ["A", "B", ""]
    assert not num["NAMA"].any()
    assert f["TGL"].tolist() == ["1980-08-15", "", "2001-01-02"]
    assert f["PKH"].tolist() == ["TRUE", "FALSE", ""]
    assert f["KAT"].tolist() == ["X", "Y", "X"]


def test_parquet_written_by_pandas_drops_saved_index(tmp_path: Path) -> None:
    df = pd.DataFrame({"NIK": ["3273011508800001", "3273011508800002"]}, index=[10, 20])
    df.to_parquet(tmp_path / "x.parquet")
    assert list(read_table(tmp_path / "x.parquet").frame.columns) == ["NIK"]


def test_siks_fixture_reads_the_same_from_csv_and_xlsx(tmp_path: Path) -> None:
    csv = read_table(write_delimited(tmp_path / "x.csv", SIKS_HEADER, SIKS_ROWS))
    xlsx = read_table(write_xlsx(tmp_path / "x.xlsx", SIKS_HEADER, SIKS_ROWS))
    pd.testing.assert_frame_equal(csv.frame, xlsx.frame)


def test_unnamed_empty_columns_are_layout_not_data(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("NIK|NAMA||\n1|A||\n2|B|x|\n")
    assert list(read_table(path).frame.columns) == ["NIK", "NAMA", "kolom_3"]
    xlsx = write_xlsx(tmp_path / "x.xlsx", ["NIK", "NAMA", "", ""], [["1", "A", "", None]])
    assert list(read_table(xlsx).frame.columns) == ["NIK", "NAMA"]


def test_xlsx_streamed_in_chunks_keeps_order_and_trims_trailing_rows() -> None:
    rows: list[list[object]] = [["NIK", "N"]]
    rows += [[f"{i:016d}", float(i)] for i in range(1, 11)]
    rows += [["", None], ["", ""]]
    frame, num = cells_to_text(iter(rows), chunk_rows=3)
    assert frame["NIK"].tolist() == [f"{i:016d}" for i in range(1, 11)]
    assert frame["N"].tolist() == [str(i) for i in range(1, 11)]
    assert num["N"].all() and not num["NIK"].any()
    assert str(frame["NIK"].dtype) == "str"


def test_xlsm_is_read_and_reported_as_such(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", ["NIK"], [[3273011508800010]])
    macro = path.rename(tmp_path / "x.xlsm")
    table = read_table(macro)
    assert table.source.format == "xlsm"
    assert table.frame["NIK"].tolist() == ["3273011508800010"]
    assert table.numeric_cells["NIK"].tolist() == [True]
