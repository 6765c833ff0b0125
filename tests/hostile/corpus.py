"""A corpus of hostile and broken inputs, generated (no binaries in the repo).

Each `Case` builds one input in a folder and says what siksval must make of it: either a
correct report (checked against the plain CSV of the same synthetic records), or exit 2 with one
sentence that names the file and contains the given words. Every NIK and name is invented (the
SIKS-NG-style fixture of tests/pipeline_fixtures.py).

Run as a script to look at the files: `python -m tests.hostile.corpus OUTDIR`.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import os
import random
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.pipeline_fixtures import SIKS_HEADER, SIKS_ROWS, write_delimited, write_xlsx

#: The reference date the corpus is checked with.
AS_OF = "2026-10-31"
#: A NIK of the fixture that every correct report must carry through unchanged (as text).
NIK_1 = SIKS_ROWS[0][SIKS_HEADER.index("NOMOR_NIK")]
RECORDS = len(SIKS_ROWS)

Build = Callable[[Path], str]


@dataclass(frozen=True)
class Case:
    """One hostile input and what it must give.

    expect: "report" (a report; `check` looks at it) or "error" (exit 2; the message names the
    file and contains every word of `words`, compared in lower case, English).
    baseline: for a report, its findings must equal those of the plain CSV of the fixture.
    """

    name: str
    build: Build
    expect: str
    words: tuple[str, ...] = ()
    baseline: bool = False
    records: int | None = None
    check: Callable[[object], None] | None = None
    #: also through the CLI subprocess: every error case, and the report cases marked True
    #: (the others are checked in process only, to keep the suite fast)
    cli: bool | None = None
    skip: Callable[[], str | None] | None = None
    extra_args: tuple[str, ...] = ()
    #: the file name that must appear in the message (default: the built path's name)
    names: str | None = None

    @property
    def through_cli(self) -> bool:
        return self.cli if self.cli is not None else self.expect == "error"


# ---------------------------------------------------------------------------------------------
# builders
# ---------------------------------------------------------------------------------------------


def _csv(name: str, **kw) -> Build:
    def build(d: Path) -> str:
        return str(write_delimited(d / name, SIKS_HEADER, SIKS_ROWS, **kw))

    return build


def _bytes(name: str, data: bytes | Callable[[], bytes]) -> Build:
    def build(d: Path) -> str:
        p = d / name
        p.write_bytes(data() if callable(data) else data)
        return str(p)

    return build


def _plain_text(delimiter: str = "|") -> str:
    lines = [delimiter.join(SIKS_HEADER), *(delimiter.join(r) for r in SIKS_ROWS)]
    return "\n".join(lines) + "\n"


def _png() -> bytes:
    """A real (tiny) PNG: signature, IHDR, IDAT, IEND."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\xff\x00" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _garbage(n: int = 64 * 1024, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)


def _xlsx(name: str, rows: list[list[object]] | None = None, header: list[str] | None = None,
          **kw) -> Build:
    def build(d: Path) -> str:
        return str(write_xlsx(d / name, header or SIKS_HEADER, rows or SIKS_ROWS, **kw))

    return build


def _xlsx_bytes(d: Path) -> bytes:
    tmp = d / ".plain_for_bytes.xlsx"
    write_xlsx(tmp, SIKS_HEADER, SIKS_ROWS)
    data = tmp.read_bytes()
    tmp.unlink()
    return data


def _xlsx_named_csv(d: Path) -> str:
    p = d / "buku.csv"
    p.write_bytes(_xlsx_bytes(d))
    return str(p)


def _zip_of_csv(d: Path) -> str:
    """A zipped export named .csv (as mail attachments often are)."""
    p = d / "ekspor.csv"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("dtks.csv", _plain_text())
    return str(p)


def _truncated_xlsx(d: Path) -> str:
    p = d / "terpotong.xlsx"
    data = _xlsx_bytes(d)
    p.write_bytes(data[: len(data) // 2])
    return str(p)


def _zip_not_workbook(d: Path) -> str:
    p = d / "arsip.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("catatan.txt", "bukan buku kerja")
    return str(p)


def _corrupt_sheet_xml(d: Path) -> str:
    """A valid zip whose worksheet XML is cut in the middle (a half-saved workbook)."""
    src = io.BytesIO(_xlsx_bytes(d))
    p = d / "xml_rusak.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(p, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: len(data) // 3]
            zout.writestr(item, data)
    return str(p)


def _encrypted_xlsx(d: Path) -> str:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = d / ".plain_for_encryption.xlsx"
    write_xlsx(plain, SIKS_HEADER, SIKS_ROWS)
    p = d / "bersandi.xlsx"
    with plain.open("rb") as fin, p.open("wb") as fout:
        OOXMLFile(fin).encrypt("rahasia", fout)
    plain.unlink()
    return str(p)


def _xls(d: Path) -> str:
    import xlwt

    wb = xlwt.Workbook()
    ws = wb.add_sheet("DTKS")
    for i, row in enumerate([SIKS_HEADER, *SIKS_ROWS]):
        for j, v in enumerate(row):
            ws.write(i, j, v)
    p = d / "lama.xls"
    wb.save(str(p))
    return str(p)


def _ods(d: Path) -> str:
    import pandas as pd

    p = d / "libreoffice.ods"
    pd.DataFrame(SIKS_ROWS, columns=SIKS_HEADER).to_excel(p, engine="odf", index=False)
    return str(p)


def _html_as_xls(d: Path) -> str:
    head = "".join(f"<th>{h}</th>" for h in SIKS_HEADER)
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in SIKS_ROWS)
    p = d / "dari_web.xls"
    p.write_text(f"<html><body><table><tr>{head}</tr>{body}</table></body></html>", "utf-8")
    return str(p)


def _utf16_nobom(d: Path) -> str:
    p = d / "utf16_tanpa_bom.csv"
    p.write_bytes(_plain_text().encode("utf-16-le"))
    return str(p)


def _mixed_encodings(d: Path) -> str:
    """Half the rows utf-8, half cp1252 (two exports pasted together)."""
    rows = [list(r) for r in SIKS_ROWS]
    rows[0][SIKS_HEADER.index("NAMA")] = "BUDI SANTOSO É"
    rows[1][SIKS_HEADER.index("NAMA")] = "SITI AMINAH Ñ"
    lines = ["|".join(SIKS_HEADER).encode()]
    for i, r in enumerate(rows):
        lines.append("|".join(r).encode("utf-8" if i < 3 else "cp1252", errors="replace"))
    rows[4][SIKS_HEADER.index("NAMA")] = "RINA Ü"
    lines[5] = "|".join(rows[4]).encode("cp1252")
    p = d / "campuran.csv"
    p.write_bytes(b"\n".join(lines) + b"\n")
    return str(p)


def _nul_bytes(d: Path) -> str:
    text = _plain_text().replace("BUDI SANTOSO", "BUDI\x00SANTOSO").replace("RINA", "RI\x00NA")
    p = d / "nul.csv"
    p.write_bytes(text.encode() + b"\x00\x00\x00")
    return str(p)


def _big_field(d: Path) -> str:
    rows = [list(r) for r in SIKS_ROWS]
    rows[2][SIKS_HEADER.index("FOTO_RUMAH")] = "x" * (5 * 1024 * 1024)
    return str(write_delimited(d / "sel_5mb.csv", SIKS_HEADER, rows))


def _wide(d: Path) -> str:
    extra = [f"KOLOM_TAMBAHAN_{i}" for i in range(10_000 - len(SIKS_HEADER))]
    rows = [list(r) + [str(i % 10)] * len(extra) for i, r in enumerate(SIKS_ROWS)]
    return str(write_delimited(d / "lebar_10000.csv", SIKS_HEADER + extra, rows))


def _dup_header(d: Path) -> str:
    header = [*SIKS_HEADER, "NOMOR_NIK"]
    rows = [[*r, r[SIKS_HEADER.index("NOMOR_NIK")]] for r in SIKS_ROWS]
    return str(write_delimited(d / "judul_ganda.csv", header, rows))


def _alias_twice(d: Path) -> str:
    header = [*SIKS_HEADER, "NIK"]
    rows = [[*r, r[SIKS_HEADER.index("NOMOR_NIK")]] for r in SIKS_ROWS]
    return str(write_delimited(d / "alias_ganda.csv", header, rows))


def _hash_header(d: Path) -> str:
    header = [*SIKS_HEADER, "NIK#2"]
    rows = [[*r, "1"] for r in SIKS_ROWS]
    return str(write_delimited(d / "judul_pagar.csv", header, rows))


def _ragged(short: bool) -> Build:
    def build(d: Path) -> str:
        lines = _plain_text().splitlines()
        lines[3] = lines[3].rsplit("|", 2)[0] if short else lines[3] + "|LEBIH|LAGI"
        p = d / ("baris_pendek.csv" if short else "baris_panjang.csv")
        p.write_text("\n".join(lines) + "\n", "utf-8")
        return str(p)

    return build


def _trailing_delimiter(d: Path) -> str:
    lines = _plain_text().splitlines()
    p = d / "pemisah_akhir.csv"
    p.write_text("\n".join(ln + "|" for ln in lines) + "\n", "utf-8")
    return str(p)


def _unbalanced_quote(d: Path) -> str:
    lines = _plain_text().splitlines()
    lines[2] = lines[2].replace("SITI AMINAH", '"SITI AMINAH')
    p = d / "kutip_terbuka.csv"
    p.write_text("\n".join(lines) + "\n", "utf-8")
    return str(p)


def _open_quote_big(d: Path) -> str:
    """An unclosed quote followed by more than the csv module's default 128 KB field limit."""
    lines = _plain_text().splitlines()
    lines[2] = lines[2].replace("SITI AMINAH", '"SITI AMINAH')
    filler = ["|".join(SIKS_ROWS[0])] * 3000
    p = d / "kutip_terbuka_besar.csv"
    p.write_text("\n".join(lines + filler) + "\n", "utf-8")
    return str(p)


def _header_quote_big(d: Path) -> str:
    p = d / "judul_kutip_besar.csv"
    p.write_text('"' + "|".join(SIKS_HEADER) + "\n"
                 + ("|".join(SIKS_ROWS[0]) + "\n") * 3000, "utf-8")
    return str(p)


def _two_line_header(d: Path) -> str:
    """A header cell with a line break inside quotes (a wrapped header in Excel)."""
    header = [*SIKS_HEADER]
    header[SIKS_HEADER.index("NAMA")] = "NAMA\nLENGKAP"
    return str(write_delimited(d / "judul_dua_baris.csv", header, SIKS_ROWS))


def _formulas(d: Path) -> str:
    """Every cell a formula or formula-like text (CSV injection attempts included)."""
    rows = [[f"={v!r}" if v else "=\"\"" for v in r] for r in SIKS_ROWS]
    rows[0][SIKS_HEADER.index("NAMA")] = '=HYPERLINK("http://contoh.invalid","klik")'
    rows[1][SIKS_HEADER.index("NAMA")] = "+cmd|' /C calc'!A0"
    rows[2][SIKS_HEADER.index("NAMA")] = "@SUM(1+1)"
    rows[3][SIKS_HEADER.index("NAMA")] = "-2+3"
    return str(write_delimited(d / "rumus.csv", SIKS_HEADER, rows))


def _excel_serial_dates(d: Path) -> str:
    rows: list[list[object]] = [list(r) for r in SIKS_ROWS]
    col = SIKS_HEADER.index("TANGGAL_LAHIR")
    rows[0][col] = 29448  # 1980-08-15 as an Excel serial in a numeric cell
    rows[1][col] = dt.date(1982, 6, 15)  # a real date cell
    rows[5][col] = 25569.0  # 1970-01-01
    return str(write_xlsx(d / "tanggal_serial.xlsx", SIKS_HEADER, rows))


def _nik_numbers(digits: int) -> Build:
    def build(d: Path) -> str:
        rows: list[list[object]] = [list(r) for r in SIKS_ROWS]
        col = SIKS_HEADER.index("NOMOR_NIK")
        for r in rows:
            if r[col].isdigit():
                r[col] = float(r[col] + "1" * (digits - 16))
        return str(write_xlsx(d / f"nik_angka_{digits}.xlsx", SIKS_HEADER, rows))

    return build


def _formula_xlsx(d: Path) -> str:
    import xlsxwriter

    p = d / "rumus.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet()
    for j, h in enumerate(SIKS_HEADER):
        ws.write_string(0, j, h)
    for i, r in enumerate(SIKS_ROWS, start=1):
        for j, v in enumerate(r):
            ws.write_formula(i, j, f'="{v}"', None, v)  # cached value = the text
    wb.close()
    return str(p)


def _empty_first_sheet(d: Path) -> str:
    import xlsxwriter

    p = d / "sheet_pertama_kosong.xlsx"
    wb = xlsxwriter.Workbook(str(p))
    wb.add_worksheet("Petunjuk")
    ws = wb.add_worksheet("Data")
    for i, r in enumerate([SIKS_HEADER, *SIKS_ROWS]):
        for j, v in enumerate(r):
            ws.write_string(i, j, v)
    wb.close()
    return str(p)


def _parquet(name: str, table_fn: Callable[[], object]) -> Build:
    def build(d: Path) -> str:
        import pyarrow.parquet as pq

        p = d / name
        pq.write_table(table_fn(), p)
        return str(p)

    return build


def _nested_table():
    import pyarrow as pa

    cols = {h: pa.array([r[i] for r in SIKS_ROWS]) for i, h in enumerate(SIKS_HEADER)}
    cols["ANGGOTA"] = pa.array([[1, 2]] * RECORDS, type=pa.list_(pa.int64()))
    cols["ALAMAT"] = pa.array([{"rt": "01", "rw": "02"}] * RECORDS)
    return pa.table(cols)


def _odd_types_table():
    """Every column a type a careless export might use: dictionary, large string, binary,
    decimal, timestamp with zone, date, null, int with nulls."""
    from decimal import Decimal

    import pyarrow as pa

    def col(h: str) -> list[str]:
        return [r[SIKS_HEADER.index(h)] for r in SIKS_ROWS]

    dates = [dt.date(1980, 8, 15), dt.date(1982, 6, 15), None, dt.date(1990, 1, 1),
             dt.date(1990, 7, 25), dt.date(1970, 1, 1)]
    return pa.table({
        "NOMOR_KK": pa.array(col("NOMOR_KK")).dictionary_encode(),
        "NOMOR_NIK": pa.array(col("NOMOR_NIK"), type=pa.large_string()),
        "NAMA": pa.array([v.encode() for v in col("NAMA")], type=pa.binary()),
        "TANGGAL_LAHIR": pa.array(dates, type=pa.date32()),
        "JENIS_KELAMIN": pa.array(col("JENIS_KELAMIN")),
        "HUBUNGAN_KELUARGA": pa.array(col("HUBUNGAN_KELUARGA")),
        "DESIL_KESEJAHTERAAN": pa.array([Decimal("2"), Decimal("2"), None, Decimal("3"),
                                         Decimal("11"), Decimal("1")], type=pa.decimal128(5, 0)),
        "DIPERBARUI": pa.array([dt.datetime(2026, 1, 1, 7, 0)] * RECORDS,
                               type=pa.timestamp("us", tz="Asia/Jakarta")),
        "KOSONG": pa.nulls(RECORDS),
        "JUMLAH": pa.array([1, None, 3, 4, None, 6], type=pa.int64()),
    })


def _truncated_parquet(d: Path) -> str:
    import pyarrow.parquet as pq

    tmp = d / ".full.parquet"
    pq.write_table(_odd_types_table().drop(["KOSONG"]), tmp)
    data = tmp.read_bytes()
    tmp.unlink()
    p = d / "terpotong.parquet"
    p.write_bytes(data[: len(data) // 2])
    return str(p)


def _directory(d: Path) -> str:
    p = d / "folder.csv"
    p.mkdir()
    return str(p)


def _no_permission(d: Path) -> str:
    p = d / "terkunci.csv"
    p.write_text(_plain_text(), "utf-8")
    p.chmod(0)
    return str(p)


def _root_skip() -> str | None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return "running as root: chmod 000 does not stop root from reading"
    return None


def _symlink_loop(d: Path) -> str:
    a, b = d / "putaran_a.csv", d / "putaran_b.csv"
    a.symlink_to(b.name)
    b.symlink_to(a.name)
    return str(a)


def _dangling_symlink(d: Path) -> str:
    p = d / "tautan_putus.csv"
    p.symlink_to("tidak_ada_di_sini.csv")
    return str(p)


def _excel_title_rows(d: Path) -> str:
    """Two title lines above the header, as printed reports have."""
    p = d / "judul_laporan.xlsx"
    write_xlsx(p, ["DATA TERPADU KESEJAHTERAAN SOSIAL"], [["Kota Bandung, Oktober 2026"], [],
                                                         SIKS_HEADER, *SIKS_ROWS])
    return str(p)


# ---------------------------------------------------------------------------------------------
# report checks
# ---------------------------------------------------------------------------------------------


def _codes(report) -> set[str]:
    return set(report.findings_raw["code"])


def _has_unknown(*columns: str) -> Callable[[object], None]:
    def check(report) -> None:
        assert set(columns) <= set(report.source.columns_unknown), report.source.columns_unknown
        assert "SCH006" in _codes(report)

    return check


def _encoding_is(enc: str) -> Callable[[object], None]:
    def check(report) -> None:
        assert report.source.encoding == enc, report.source.encoding

    return check


def _duplicate_column(header: str) -> Callable[[object], None]:
    def check(report) -> None:
        f = report.findings_in("en")
        rows = f[(f["code"] == "SCH006") & (f["column"] == header)]
        assert len(rows) == 1, f[["code", "column"]].to_dict("records")
        message = rows["message"].iloc[0]
        assert "nik" in message and "second" in message.lower(), message

    return check


def _nik_damage(report) -> None:
    codes = _codes(report)
    assert codes & {"NIK001", "NIK002"}, sorted(codes)


def _dates_from_serials(report) -> None:
    f = report.findings_raw
    bad_dates = f[(f["code"] == "SCH002") & (f["column"] == "tgl_lahir")]["row"].tolist()
    assert bad_dates == [3], bad_dates  # only the fixture's own 31-02-2010


def _formulas_kept_as_text(report) -> None:
    assert report.source.records == RECORDS
    f = report.findings_raw
    # The NIK cells are `='3273…'`: text, never evaluated, so they are reported as not digits.
    assert (f["column"] == "nik").any()


def _parquet_odd(report) -> None:
    assert report.source.format == "parquet"
    assert {"DIPERBARUI", "KOSONG", "JUMLAH"} <= set(report.source.columns_unknown)


# ---------------------------------------------------------------------------------------------
# the corpus
# ---------------------------------------------------------------------------------------------

CASES: list[Case] = [
    # --- empty and nearly empty ---
    Case("empty", _bytes("kosong.csv", b""), "error", ("empty",)),
    Case("header_only", _bytes("judul_saja.csv", "|".join(SIKS_HEADER).encode() + b"\n"),
         "error", ("header only",)),
    Case("header_only_crlf_no_newline", _bytes("judul_saja2.csv", "|".join(SIKS_HEADER).encode()),
         "error", ("header only",)),
    Case("blank_lines", _bytes("baris_kosong.csv", b"\n\r\n   \n\n"), "error", ("blank",)),
    Case("single_nul", _bytes("nol.csv", b"\x00"), "error", ("binary",)),
    Case("dev_null", lambda d: os.devnull, "error", ("empty",), names=os.devnull),
    # --- not what the name says ---
    Case("binary_garbage_csv", _bytes("sampah.csv", _garbage), "error", ("binary",)),
    Case("png_as_xlsx", _bytes("foto.xlsx", _png), "error", ("png", "not a spreadsheet")),
    Case("png_as_csv", _bytes("foto.csv", _png), "error", ("png", "not a data export")),
    Case("pdf_as_csv", _bytes("laporan.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "error",
         ("pdf",)),
    Case("gzip_as_csv", _bytes("terkompresi.csv", lambda: gzip.compress(_plain_text().encode())),
         "error", ("compressed",)),
    Case("html_as_xls", _html_as_xls, "error", ("html", "save it as .xlsx")),
    Case("html_login_page_as_csv", _bytes("unduhan.csv", b"<!DOCTYPE html>\n<html><head>"
         b"<title>Masuk</title></head><body><form>...</form></body></html>\n"), "error",
         ("html", "download the export again")),
    Case("excel_2003_xml_as_xls", _bytes("xml2003.xls", b'<?xml version="1.0"?>\n<Workbook '
         b'xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>\n'),
         "error", ("excel 2003 xml",)),
    Case("zip_archive_as_csv", _zip_of_csv, "error", ("zip archive", "dtks.csv")),
    Case("csv_named_xlsx", _bytes("teks.xlsx", _plain_text().encode()), "report", baseline=True, cli=True),
    Case("xlsx_named_csv", _xlsx_named_csv, "report", baseline=True),
    Case("json_as_csv", _bytes("data.csv", b'[{"nik": "3273011508800001"}]\n'), "error",
         ("header only",)),
    # --- damaged workbooks ---
    Case("truncated_xlsx", _truncated_xlsx, "error", ("could not be opened",)),
    Case("zip_not_workbook", _zip_not_workbook, "error", ("zip archive", "catatan.txt")),
    Case("corrupt_sheet_xml", _corrupt_sheet_xml, "error", ("broken xml", "save it again")),
    Case("password_xlsx", _encrypted_xlsx, "error", ("password",)),
    Case("empty_first_sheet", _empty_first_sheet, "error", ("empty", "--sheet", "data")),
    Case("empty_first_sheet_pick", _empty_first_sheet, "report", baseline=True,
         extra_args=("--sheet", "Data")),
    Case("title_rows_above_header", _excel_title_rows, "error", ("headers",)),
    # --- other spreadsheet formats ---
    Case("xls_old_format", _xls, "report", baseline=True, cli=True),
    Case("ods", _ods, "report", baseline=True, cli=True),
    Case("formula_xlsx", _formula_xlsx, "report", baseline=True),
    # --- encodings and bytes ---
    Case("utf16_bom", _csv("utf16.csv", encoding="utf-16"), "report", baseline=True,
         check=_encoding_is("utf-16"), cli=True),
    Case("utf16_no_bom", _utf16_nobom, "report", baseline=True, check=_encoding_is("utf-16-le")),
    Case("utf8_bom", _csv("utf8_bom.csv", encoding="utf-8-sig"), "report", baseline=True),
    Case("cp1252", _csv("windows.csv", encoding="cp1252"), "report", baseline=True),
    Case("mixed_encodings", _mixed_encodings, "report", baseline=True),
    Case("nul_bytes", _nul_bytes, "report", baseline=True, cli=True),
    # --- size and shape ---
    Case("field_5mb", _big_field, "report", baseline=True, cli=True),
    Case("columns_10000", _wide, "report", check=_has_unknown("KOLOM_TAMBAHAN_0")),
    Case("duplicate_headers", _dup_header, "report", check=_duplicate_column("NOMOR_NIK#2"), cli=True),
    Case("alias_twice", _alias_twice, "report", check=_duplicate_column("NIK")),
    Case("hash_in_header", _hash_header, "report", check=_has_unknown("NIK#2")),
    Case("ragged_short_row", _ragged(True), "error", ("line 4", "14")),
    Case("ragged_long_row", _ragged(False), "error", ("line 4", "14")),
    Case("trailing_delimiter", _trailing_delimiter, "report", baseline=True),
    Case("unbalanced_quote", _unbalanced_quote, "error", ("quote",)),
    Case("open_quote_swallows_200kb", _open_quote_big, "error", ("line 3", "quote")),
    Case("header_open_quote", _bytes("judul_kutip.csv", ('"' + _plain_text()).encode()), "error",
         ("header row", "quote")),
    Case("header_open_quote_200kb", _header_quote_big, "error", ("header row", "quote")),
    Case("two_line_header_cell", _two_line_header, "report", baseline=True),
    # --- line ends ---
    Case("crlf", _csv("crlf.csv", newline="\r\n"), "report", baseline=True),
    Case("cr_only", _csv("cr.csv", newline="\r"), "report", baseline=True),
    Case("semicolon_quoted", _csv("titik_koma.csv", delimiter=";", quote_all=True), "report",
         baseline=True),
    # --- cell content ---
    Case("formula_every_cell", _formulas, "report", check=_formulas_kept_as_text, cli=True),
    Case("excel_serial_dates", _excel_serial_dates, "report", check=_dates_from_serials),
    Case("nik_17_digits_as_numbers", _nik_numbers(17), "report", check=_nik_damage, cli=True),
    Case("nik_16_digits_as_numbers", _nik_numbers(16), "report", check=_nik_damage),
    # --- parquet ---
    Case("parquet_nested", _parquet("bersarang.parquet", _nested_table), "error", ("nested",)),
    Case("parquet_odd_types", _parquet("aneka_tipe.parquet", _odd_types_table), "report",
         check=_parquet_odd, cli=True),
    Case("parquet_truncated", _truncated_parquet, "error", ("parquet",)),
    # --- the path itself ---
    Case("directory", _directory, "error", ("folder",)),
    Case("missing", lambda d: str(d / "tidak_ada.csv"), "error", ("not found",)),
    Case("no_permission", _no_permission, "error", ("permission",), skip=_root_skip),
    Case("symlink_loop", _symlink_loop, "error", ("link",)),
    Case("dangling_symlink", _dangling_symlink, "error", ("link", "tidak_ada_di_sini.csv")),
]

BY_NAME = {c.name: c for c in CASES}


def build_corpus(folder: Path) -> dict[str, str]:
    """Build every case in its own sub-folder; returns case name -> path to give siksval."""
    out = {}
    for case in CASES:
        d = folder / case.name
        d.mkdir(parents=True, exist_ok=True)
        out[case.name] = case.build(d)
    return out


def plain_csv(folder: Path) -> str:
    """The fixture as a plain pipe CSV: the baseline a correct report must agree with."""
    folder.mkdir(parents=True, exist_ok=True)
    return str(write_delimited(folder / "dasar.csv", SIKS_HEADER, SIKS_ROWS))


if __name__ == "__main__":  # pragma: no cover - manual inspection
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile_corpus")
    for name, path in build_corpus(target).items():
        print(f"{name}\t{path}")
