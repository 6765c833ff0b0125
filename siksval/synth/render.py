"""Render a canonical synthetic frame in an export style and write it to CSV / XLSX / Parquet.

Styles:

* ``siksng``: SIKS-NG-style upper-case headers (every one an alias or the canonical name in
  spec/columns.md), label values (``LAKI-LAKI``, ``KEPALA KELUARGA``, ``YA``/``TIDAK``) and
  ``dd-mm-yyyy`` dates, in the column order of the real bulk export (domain.md §2.2, S28).
* ``canonical``: canonical column names, numeric codes, ``1``/``0`` flags and ISO dates.

Rendering is vectorized: codes are mapped through small lookup arrays, dates through pyarrow's
``strftime`` kernel.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import UserError
from . import codes
from .result import SynthResult

SIKSNG_HEADERS = {
    "dtks": {
        "id_dtks": "IDDTKS",
        "provinsi": "PROVINSI",
        "kabupaten_kota": "KABUPATEN_KOTA",
        "kecamatan": "KECAMATAN",
        "desa_kelurahan": "DESA_KELURAHAN",
        "alamat": "ALAMAT",
        "dusun": "DUSUN",
        "rt": "RT",
        "rw": "RW",
        "no_kk": "NOMOR_KK",
        "nik": "NOMOR_NIK",
        "nama": "NAMA",
        "tgl_lahir": "TANGGAL_LAHIR",
        "tempat_lahir": "TEMPAT_LAHIR",
        "jenis_kelamin": "JENIS_KELAMIN",
        "nama_ibu_kandung": "NAMA_IBU_KANDUNG",
        "hub_keluarga": "HUBUNGAN_KELUARGA",
        "status_kawin": "STATUS_PERKAWINAN",
        "pekerjaan": "JENIS_PEKERJAAN",
        "kedudukan_kerja": "KEDUDUKAN_PEKERJAAN",
        "kode_wilayah": "KODE_WILAYAH_DESA",
        "status_keberadaan": "KEBERADAAN_ART",
        "padan_dukcapil": "PADAN",
        "desil": "DESIL_KESEJAHTERAAN",
        "pkh": "PENERIMA_PKH",
        "bpnt": "PENERIMA_BPNT",
        "pbi_jk": "PENERIMA_PBI",
        "bst": "PENERIMA_BST",
        "blt_dd": "PENERIMA_BLT_DD",
        "pip": "PENERIMA_PIP",
        "daya_listrik": "DAYA",
        "luas_lantai": "LUAS_LANTAI_M2",
        "jenis_lantai": "LANTAI",
        "jenis_dinding": "DINDING",
        "fasilitas_bab": "FASBAB",
        "ada_mobil": "PUNYA_MOBIL",
        "ada_motor": "PUNYA_MOTOR",
        "ada_ac": "PUNYA_AC",
        "ada_emas": "PUNYA_EMAS",
        "ada_lemari_es": "PUNYA_LEMARI_ES",
        "ada_laptop": "PUNYA_LAPTOP",
        "ada_lahan": "PUNYA_LAHAN",
        "ada_rumah_lain": "PUNYA_RUMAH_LAIN",
    },
    "lksa": {
        "id_lksa": "NO_REGISTRASI",
        "nama_lksa": "NAMA_LEMBAGA",
        "kode_wilayah": "KODE_DESA",
        "akreditasi": "NILAI_AKREDITASI",
        "tgl_akreditasi": "TANGGAL_AKREDITASI",
        "izin_berlaku_sampai": "MASA_BERLAKU_IZIN",
        "kapasitas": "DAYA_TAMPUNG",
    },
    "lksa_anak": {
        "nik": "NIK_ANAK",
        "nama": "NAMA_ANAK",
        "tgl_lahir": "TANGGAL_LAHIR",
        "jenis_kelamin": "JENIS_KELAMIN",
        "id_lksa": "NO_REGISTRASI_LKSA",
        "kategori": "KATEGORI_PPKS",
        "tgl_masuk": "TANGGAL_MASUK",
        "status": "STATUS_ANAK",
        "no_kk": "NO_KK",
        "nama_ibu_kandung": "NAMA_IBU",
    },
}

LABELS = {
    "jenis_kelamin": codes.SEX_LABEL,
    "hub_keluarga": codes.HUB_LABEL,
    "status_kawin": codes.KAWIN_LABEL,
    "status_keberadaan": codes.KEBERADAAN_LABEL,
    "jenis_lantai": codes.LANTAI_LABEL,
    "jenis_dinding": codes.DINDING_LABEL,
    "fasilitas_bab": codes.FASBAB_LABEL,
}
DATE_COLS = ("tgl_lahir", "tgl_masuk", "tgl_akreditasi", "izin_berlaku_sampai")
STYLES = ("siksng", "canonical")


def _code_labels(s: pd.Series, table: dict[int, str]) -> pd.Series:
    lut = np.full(max(table) + 1, "", dtype=object)
    for k, v in table.items():
        lut[k] = v
    vals = s.to_numpy(dtype="float64", na_value=np.nan)
    ok = np.isfinite(vals)
    out = np.full(len(s), "", dtype=object)
    out[ok] = lut[vals[ok].astype(np.int64)]
    return pd.Series(out, index=s.index)


def _dates(s: pd.Series, fmt: str) -> pd.Series:
    arr = pa.array(s.to_numpy(dtype="datetime64[s]"), type=pa.timestamp("s"))
    txt = pc.fill_null(pc.strftime(arr, format=fmt), "")
    return pd.Series(txt.to_numpy(zero_copy_only=False), index=s.index, dtype=object)


def _flags(s: pd.Series, yes: str, no: str) -> pd.Series:
    v = s.astype("boolean")
    out = np.where(v.fillna(False).to_numpy(bool), yes, no).astype(object)
    out[v.isna().to_numpy()] = ""
    return pd.Series(out, index=s.index)


def _ints(s: pd.Series) -> pd.Series:
    vals = s.astype("Float64")
    txt = vals.astype("Int64").astype("string").fillna("")
    return txt.astype(object)


def render(result: SynthResult, style: str = "siksng") -> pd.DataFrame:
    """Return the export as an all-text DataFrame with the style's headers and values.

    Raw overrides (defects that are not representable in the typed frame, e.g. ``31-02-1980``)
    are applied last, so the text file carries exactly the injected raw value.
    """
    if style not in STYLES:
        raise UserError(
            f"gaya tidak dikenal / unknown style {style!r}; pilih / use siksng, canonical"
        )
    f = result.frame
    ds = result.dataset
    out = {}
    for col in f.columns:
        s = f[col]
        if col in DATE_COLS:
            out[col] = _dates(s, "%d-%m-%Y" if style == "siksng" else "%Y-%m-%d")
        elif isinstance(s.dtype, pd.BooleanDtype):
            out[col] = _flags(s, "YA", "TIDAK") if style == "siksng" else _flags(s, "1", "0")
        elif style == "siksng" and col in LABELS and ds != "lksa":
            out[col] = _code_labels(s, LABELS[col])
        elif col == "daya_listrik" and style == "siksng":
            txt = _ints(s)
            out[col] = txt.where(txt != "3500", ">2200")
        elif col == "luas_lantai":
            out[col] = _ints(s)
        elif col == "pekerjaan" and style == "canonical":
            code = s.map(codes.PEKERJAAN_CODE)
            out[col] = code.astype("Int64").astype("string").fillna(s).fillna("").astype(object)
        elif col == "kategori" and style == "siksng":
            out[col] = s.map(codes.KATEGORI_LABEL).fillna(s).fillna("").astype(object)
        elif pd.api.types.is_integer_dtype(s.dtype) or pd.api.types.is_float_dtype(s.dtype):
            out[col] = _ints(s)
        else:
            out[col] = s.astype(object).where(s.notna(), "")
    r = pd.DataFrame(out, index=f.index)
    ov = result.overrides
    if len(ov):
        for col, g in ov.groupby("column"):
            if col in r:
                r.loc[g["idx"].to_numpy(), col] = g["raw"].to_numpy()
    if style == "siksng":
        headers = SIKSNG_HEADERS[ds]
        r = r.rename(columns={c: headers.get(c, c) for c in r.columns})
    return r


def infer_format(path: str | Path) -> str:
    """Output format from the file extension: csv/txt/tsv, xlsx, parquet."""
    ext = Path(path).suffix.lower()
    if ext in (".csv", ".txt", ".tsv", ".psv"):
        return "csv"
    if ext == ".xlsx":
        return "xlsx"
    if ext in (".parquet", ".pq"):
        return "parquet"
    raise UserError(
        f"format keluaran tidak dikenali dari {ext!r} / cannot infer the output format from "
        f"{ext!r}; pakai / use .csv, .txt, .tsv, .xlsx or .parquet"
    )


def write_frame(
    text: pd.DataFrame,
    path: str | Path,
    *,
    fmt: str | None = None,
    delimiter: str = "|",
    id_columns: tuple[str, ...] = (),
) -> Path:
    """Write an all-text rendered frame. ``id_columns``: headers of identity columns, written
    as text cells in xlsx (damaged NIKs such as ``3.27301E+15`` / ``...0000.0`` are written as
    numeric cells, as Excel itself would hold them)."""
    path = Path(path)
    fmt = fmt or infer_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        _write_csv(text, path, delimiter)
    elif fmt == "xlsx":
        _write_xlsx(text, path, id_columns)
    elif fmt == "parquet":
        table = pa.Table.from_pandas(text.astype("string"), preserve_index=False)
        import pyarrow.parquet as pq

        pq.write_table(table, path)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return path


def _write_csv(text: pd.DataFrame, path: Path, delimiter: str) -> None:
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(text.astype("string"), preserve_index=False)
    # Empty cells as empty fields, not quoted "": fill nulls with "" happens in render already.
    opts = pacsv.WriteOptions(delimiter=delimiter, quoting_style="needed")
    pacsv.write_csv(table, path, write_options=opts)


_NUMERIC_RE = r"^[0-9]+(\.[0-9]+)?([eE][+][0-9]+)?$"


def _write_xlsx(text: pd.DataFrame, path: Path, id_columns: tuple[str, ...]) -> None:
    import xlsxwriter

    if len(text) + 1 > 1_048_576:
        raise UserError(
            "xlsx memuat paling banyak 1.048.576 baris / xlsx holds at most 1,048,576 rows per "
            "sheet; pakai / use .csv or .parquet"
        )
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet("DTKS" if "NOMOR_NIK" in text.columns else "Sheet1")
    cols = list(text.columns)
    ws.write_row(0, 0, cols)
    numeric_cols = {
        "DESIL_KESEJAHTERAAN",
        "desil",
        "LUAS_LANTAI_M2",
        "luas_lantai",
        "kapasitas",
        "DAYA_TAMPUNG",
    }
    arrays = [text[c].to_numpy(dtype=object) for c in cols]
    damaged = {}
    for j, c in enumerate(cols):
        if c in id_columns:
            s = text[c].astype("string")
            damaged[j] = (s.str.contains(r"[eE]\+|\.0+$", regex=True).fillna(False)).to_numpy()
    num_j = [j for j, c in enumerate(cols) if c in numeric_cols]
    # constant_memory mode requires row-by-row writing; this is the xlsx writer's own API.
    for i in range(len(text)):
        row = [a[i] for a in arrays]
        ws.write_row(i + 1, 0, row)  # strings (identity numbers stay text)
        for j in num_j:
            v = row[j]
            if v not in ("", None):
                try:
                    ws.write_number(i + 1, j, float(v))
                except ValueError:
                    pass  # an injected non-numeric value (SCH002) stays text on purpose
        for j, dm in damaged.items():
            if dm[i]:
                ws.write_number(i + 1, j, float(row[j]))
    wb.close()


def write_result(
    result: SynthResult,
    path: str | Path,
    *,
    style: str = "siksng",
    fmt: str | None = None,
    delimiter: str | None = None,
) -> Path:
    """Render ``result`` in ``style`` and write it (format from the extension)."""
    fmt = fmt or infer_format(path)
    if delimiter is None:
        delimiter = "|" if style == "siksng" else ","
        if Path(path).suffix.lower() == ".tsv":
            delimiter = "\t"
    if fmt == "parquet" and style == "canonical":
        return _write_typed_parquet(result, Path(path))
    text = render(result, style)
    ids = ("nik", "no_kk", "id_dtks", "id_lksa", "kode_wilayah")
    if style == "siksng":
        hdr = SIKSNG_HEADERS[result.dataset]
        ids = tuple(hdr.get(c, c) for c in ids)
    return write_frame(text, path, fmt=fmt, delimiter=delimiter, id_columns=ids)


def _write_typed_parquet(result: SynthResult, path: Path) -> Path:
    """Canonical parquet keeps the typed columns; raw overrides turn a column into text."""
    import pyarrow.parquet as pq

    f = result.frame.copy()
    if len(result.overrides):
        text = render(result, "canonical")
        for col in result.overrides["column"].unique():
            if col in f:
                f[col] = text[col].astype("string")
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pandas(f, preserve_index=False), path)
    return path
