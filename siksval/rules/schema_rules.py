"""SCH — structure and types. The schema step finds these; the rules turn them into findings.

Keeping SCH codes as ordinary rules means select/ignore, severity overrides, documentation and
`siksval rules SCH003` work for them exactly as for every other rule.
"""

from __future__ import annotations

import pandas as pd

from siksval.dataset import Dataset
from siksval.rules import ALL_DATASETS, rule
from siksval.schema import load_schema


def _cell_failures(ds: Dataset, code: str) -> pd.DataFrame | None:
    failures = ds.schema_failures
    if failures is None or failures.empty:
        return None
    sub = failures[(failures["code"] == code) & failures["index"].notna()]
    if sub.empty:
        return None
    idx = sub["index"].astype("int64").to_numpy()
    rows = ds.row.to_numpy()[idx]
    frame = pd.DataFrame(
        {
            "row": rows,
            "rows": [[int(r)] for r in rows],
            "column": sub["column"].to_numpy(),
            "value": sub["value"].to_numpy(),
            "params": [{"column": c, "value": v} for c, v in zip(sub["column"], sub["value"], strict=True)],
        }
    )
    for key in ("no_kk", "nik"):
        if key in ds.frame.columns:
            frame[key] = ds.frame[key].to_numpy(dtype=object, na_value=None)[idx]
    return frame


@rule(
    "SCH001",
    "required-column-missing",
    severity="error",
    level="file",
    datasets=ALL_DATASETS,
    message={
        "id": "Kolom wajib '{column}' tidak ditemukan dengan nama atau alias mana pun",
        "en": "Required column '{column}' was not found under any name or alias",
    },
    summary={"id": "Kolom wajib tidak ada", "en": "Required column missing"},
)
def required_column_missing(ds: Dataset, opts: dict) -> pd.DataFrame | None:
    """What it does: reports each required canonical column that no header of the file maps
    to (one file-level finding per column).

    Why it matters: without the column the rules that need it cannot run, and an upload without
    it is rejected. Header spellings differ between SIKS-NG, BDT and P3KE exports
    (domain.md §2.2–2.4, §7.7).

    Example: a DTKS export with `NOMOR_NIK` and `NAMA` but no KK column at all -> SCH001 for
    `no_kk`.

    How to fix: export the column, or if it is there under another header add that header as an
    alias in siksval.toml (`[aliases] no_kk = ["NO KARTU KELUARGA"]`); `siksval schema dtks`
    lists the accepted names.
    """
    failures = ds.schema_failures
    if failures is None or failures.empty:
        return None
    sub = failures[failures["code"] == "SCH001"]
    if sub.empty:
        return None
    return pd.DataFrame(
        {
            "row": pd.array([pd.NA] * len(sub), dtype="Int64"),
            "rows": [[] for _ in range(len(sub))],
            "column": sub["column"].to_numpy(),
            "value": None,
            "params": [{"column": c} for c in sub["column"]],
        }
    )


@rule(
    "SCH002",
    "value-not-parseable",
    severity="error",
    level="row",
    datasets=ALL_DATASETS,
    message={
        "id": "Nilai '{value}' di kolom {column} tidak dapat dibaca sebagai {expected[id]}",
        "en": "Value '{value}' in column {column} cannot be read as {expected[en]}",
    },
    summary={"id": "Nilai tidak terbaca", "en": "Value not parseable"},
)
def value_not_parseable(ds: Dataset, opts: dict) -> pd.DataFrame | None:
    """What it does: flags a non-empty value that cannot be read as its column's type: a date
    that is no calendar date (`31/02/1980`), `TIDAK TAHU` in a date, letters in a number.

    Why it matters: an unreadable birth date makes the age, the NIK cross-checks and every
    age-based rule blind for that person (domain.md §5.5: dates come as text in mixed formats
    and as Excel serials).

    Example: `TANGGAL_LAHIR` = `31-02-1980` or `LUAS_LANTAI_M2` = `tiga puluh`.

    How to fix: correct the value in SIKS-NG; accepted date forms are dd/mm/yyyy, dd-mm-yyyy,
    dd.mm.yyyy, yyyy-mm-dd, yyyymmdd and real Excel dates.
    """
    frame = _cell_failures(ds, "SCH002")
    if frame is None:
        return None
    # Say what the column expects, as one bilingual parameter (no personal data in it).
    columns = load_schema(ds.name).columns
    expected = []
    for p in frame["params"]:
        kind = columns[p["column"]].type if p["column"] in columns else ""
        text_id, text_en = EXPECTED.get(kind, EXPECTED[""])
        expected.append({**p, "expected": {"id": text_id, "en": text_en}})
    frame["params"] = expected
    return frame


#: What a column of each type expects, for SCH002 messages: (Bahasa Indonesia, English).
EXPECTED: dict[str, tuple[str, str]] = {
    "date": ("tanggal (mis. 15-08-1980)", "a date (e.g. 15-08-1980)"),
    "int": ("bilangan bulat", "a whole number"),
    "float": ("angka", "a number"),
    "power": ("daya listrik dalam VA atau kode 1–5", "power in VA or a code 1–5"),
    "": ("nilai kolom ini", "this column's type"),
}


@rule(
    "SCH003",
    "code-not-allowed",
    severity="error",
    level="row",
    datasets=ALL_DATASETS,
    message={
        "id": "Nilai '{value}' bukan kode atau label yang sah untuk kolom {column}",
        "en": "Value '{value}' is not an allowed code or label for column {column}",
    },
    summary={"id": "Kode tidak dikenal", "en": "Code not allowed"},
)
def code_not_allowed(ds: Dataset, opts: dict) -> pd.DataFrame | None:
    """What it does: flags a coded field (sex, relation, marital status, floor, yes/no flags…)
    holding a value that is none of its codes or labels.

    Why it matters: an unknown code silently drops the record from the rules that use the field
    (a relation that is not KEPALA KELUARGA/ANAK/… hides a household without head). Code lists:
    Regsosek 2022 and Dukcapil SIAK (domain.md §2.5, §2.7).

    Example: `JENIS_KELAMIN` = `X`, `HUBUNGAN_KELUARGA` = `KEPONAKAN`, `PENERIMA_PKH` = `MUNGKIN`.

    How to fix: correct the value to one of the codes or labels that `siksval schema` lists.
    """
    return _cell_failures(ds, "SCH003")


@rule(
    "SCH004",
    "required-value-empty",
    severity="error",
    level="row",
    datasets=ALL_DATASETS,
    message={
        "id": "Kolom wajib {column} kosong atau berisi pengganti ('{value}')",
        "en": "Required column {column} is empty or a placeholder ('{value}')",
    },
    summary={"id": "Nilai wajib kosong", "en": "Required value empty"},
)
def required_value_empty(ds: Dataset, opts: dict) -> pd.DataFrame | None:
    """What it does: flags a required field that is empty, blank or a placeholder (`-`, `NULL`,
    `NA`, `N/A`).

    Why it matters: DTKS records without NIK, KK, name or birth date cannot be matched with
    Dukcapil; KPK found 16.7 million aid recipients without NIK (domain.md S50).

    Example: `NOMOR_NIK` = `-`, `NAMA` empty.

    How to fix: fill the value from the family card (KK) or KTP; if the person is not known,
    verify in the field before the next upload.
    """
    return _cell_failures(ds, "SCH004")


@rule(
    "SCH005",
    "value-out-of-range",
    severity="error",
    level="row",
    datasets=ALL_DATASETS,
    message={
        "id": "Nilai {value} di kolom {column} di luar rentang yang sah",
        "en": "Value {value} in column {column} is outside its valid range",
    },
    summary={"id": "Nilai di luar rentang", "en": "Value out of range"},
)
def value_out_of_range(ds: Dataset, opts: dict) -> pd.DataFrame | None:
    """What it does: flags a number outside its domain: `desil` not 1–10, `luas_lantai` ≤ 0 or
    over 10,000 m², `kapasitas` below 0.

    Why it matters: DTKS ranks households into desil 1–4 and DTSEN into 1–10 (domain.md §2.9);
    a desil of 11 or a floor of 0 m² is a keying error that also distorts the eligibility rules.

    Example: `DESIL_KESEJAHTERAAN` = `11`, `LUAS_LANTAI_M2` = `0`.

    How to fix: correct the value; desil comes from the ministry's ranking and must not be
    edited by hand.
    """
    return _cell_failures(ds, "SCH005")


@rule(
    "SCH006",
    "unknown-column",
    severity="info",
    level="file",
    datasets=ALL_DATASETS,
    message={
        "id": "Kolom '{column}' tidak dikenali dan disimpan apa adanya",
        "en": "Column '{column}' is not recognised and is kept as it is",
        # A second header for a column already found (a repeated header, or two aliases).
        "id:duplicate": "Kolom '{column}' adalah kolom kedua untuk {canonical} (yang pertama: "
        "'{first}'); hanya yang pertama diperiksa, kolom ini disimpan apa adanya",
        "en:duplicate": "Column '{column}' is a second column for {canonical} (the first is "
        "'{first}'); only the first is checked, this one is kept as it is",
    },
    summary={"id": "Kolom tidak dikenal", "en": "Unknown column"},
)
def unknown_column(ds: Dataset, opts: dict) -> pd.DataFrame | None:
    """What it does: lists once each header that maps to no canonical column. The column is
    kept and travels with the data; nothing is dropped silently. A header that names a column
    already found — the same header twice (`NIK`, `NIK`, read as `NIK` and `NIK#2`) or two
    aliases of one column (`NIK` and `NOMOR_NIK`) — is listed too, saying which header is
    checked: only the first.

    Why it matters: a misspelt header (`NIK KEPALA`) hides a column siksval would otherwise
    check; exports from different apps name the same field differently (domain.md §7.7).

    Example: a header `FOTO_RUMAH` or `NAMA_PENDAMPING`; a second `NOMOR_NIK` column.

    How to fix: nothing if the column is not needed; otherwise add its header as an alias in
    siksval.toml. For a second column of the same field, keep the right one first (or remove
    the other) so that the values checked are the ones meant.
    """
    unknown = ds.source.columns_unknown if ds.source else []
    if not unknown:
        return None
    repeated = ds.source.columns_duplicate
    first = {canonical: header for header, canonical in ds.source.columns_mapped.items()}
    params = [
        {"column": c, "variant": "duplicate", "canonical": repeated[c],
         "first": first.get(repeated[c], repeated[c])}
        if c in repeated else {"column": c}
        for c in unknown
    ]
    return pd.DataFrame(
        {
            "row": pd.array([pd.NA] * len(unknown), dtype="Int64"),
            "rows": [[] for _ in unknown],
            "column": unknown,
            "value": None,
            "params": params,
        }
    )
