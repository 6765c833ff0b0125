"""NIK rules (NIK001–NIK009): the person's identity number.

All rules read the one decoding ``ds.cached(nik_columns)`` (siksval.idnum). NIK003–NIK009 run
only on NIKs that pass NIK001/NIK002 (``ok``); NIK007/NIK008 only when the date part is valid.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from siksval import refdata
from siksval.idnum import birth_ymd, nik_columns, region_columns
from siksval.rules import Hits, rule
from siksval.rules._evidence import bilingual, dotted, fmt_date, sparse_params, zfill

NIK_DATASETS = ("dtks", "lksa_anak")

# Excel damage kinds, in the two report languages.
_DAMAGE = (
    ("excel_scientific", "notasi ilmiah (E+15)", "scientific notation (E+15)"),
    ("excel_float", "angka pecahan berakhiran .0", "a float ending in .0"),
    ("excel_numeric", "sel angka Excel >= 10^15", "a numeric Excel cell >= 10^15"),
)


def malformed_hits(dec: pd.DataFrame, column: str) -> Hits:
    """Shared by NIK001 and KK001: present, not 16 digits, not Excel damage."""
    mask = dec["present"] & ~dec["ok"] & ~dec["damaged"]
    where = np.flatnonzero(mask.to_numpy())
    clean = dec["clean"].iloc[where]
    length = clean.str.len().to_numpy()
    non_digits = length - clean.str.count("[0-9]").to_numpy()
    params = sparse_params(dec.index, where, length=length, non_digits=non_digits)
    return Hits(mask=mask, column=column, params=params)


def damaged_hits(dec: pd.DataFrame, column: str) -> Hits:
    """Shared by NIK002 and KK002: the Excel-damage signature found, named in both languages."""
    mask = dec["damaged"]
    where = np.flatnonzero(mask.to_numpy())
    sub = dec.iloc[where]
    jenis = np.full(len(where), "", dtype=object)
    kind = np.full(len(where), "", dtype=object)
    for flag, id_text, en_text in reversed(_DAMAGE):  # first matching kind wins
        hit = sub[flag].to_numpy(bool)
        jenis[hit] = id_text
        kind[hit] = en_text
    return Hits(
        mask=mask,
        column=column,
        params=sparse_params(dec.index, where, jenis=bilingual(jenis, kind)),
    )


def province_hits(dec: pd.DataFrame, column: str) -> Hits:
    """Shared by NIK003 and KK003: first two digits are no Kemendagri province."""
    prov = dec["prov"]
    mask = dec["ok"] & ~prov.isin(refdata.provinces().index).fillna(False)
    where = np.flatnonzero(mask.to_numpy())
    params = sparse_params(dec.index, where, prov=zfill(prov.iloc[where], 2))
    return Hits(mask=mask, column=column, params=params)


@rule(
    "NIK001",
    "nik-malformed",
    severity="error",
    columns=("nik",),
    datasets=NIK_DATASETS,
    message={
        "id": "NIK harus 16 digit angka; setelah dibersihkan tertulis {length} karakter, "
        "{non_digits} di antaranya bukan angka",
        "en": "NIK must be 16 digits; after clean-up it has {length} characters, "
        "{non_digits} of them not digits",
    },
    summary={"id": "NIK tidak 16 digit angka", "en": "NIK is not 16 digits"},
)
def nik_malformed(ds, opts):
    """What it does: after trimming spaces, a leading apostrophe and the separators `.`, `-` and
    space, flags a NIK that is not exactly 16 digits (too short, too long, letters). Values
    damaged by Excel are reported by NIK002 instead; empty values by the schema (SCH004).

    Why it matters: a NIK is always 16 digits, `PP KK CC DDMMYY SSSS` (domain.md §1.1, sources
    S1–S4). A shorter or longer value cannot be matched against Dukcapil ("tidak padan") and
    blocks aid payment; Disdukcapil lists entry errors as a main cause of invalid NIKs (§5.2, S91).

    Example: `327301150895001` (15 digits) or `3273O11508950001` (letter O for zero) fire;
    `'3273.0115.0895.0001` does not (it cleans up to 16 digits).

    How to fix: copy the NIK again from the family card (KK) or KTP-el, digit by digit, and store
    the column as text.
    """
    return malformed_hits(ds.cached(nik_columns), "nik")


@rule(
    "NIK002",
    "nik-excel-damaged",
    severity="error",
    columns=("nik",),
    datasets=NIK_DATASETS,
    message={
        "id": "NIK rusak oleh Excel: {jenis[id]}; digit terakhirnya hilang",
        "en": "NIK damaged by Excel: {jenis[en]}; its last digit is lost",
    },
    summary={"id": "NIK rusak oleh Excel", "en": "NIK damaged by Excel"},
)
def nik_excel_damaged(ds, opts):
    """What it does: flags NIKs showing Excel's number damage: scientific notation
    (`3.27301E+15`), a float tail (`3273011508950000.0`), or a number of 16 digits or more read
    from a numeric xlsx cell (>= 10^15).

    Why it matters: Excel keeps only 15 significant digits, so the 16th digit of a NIK typed or
    imported as a number becomes 0 and cannot be recovered, even by formatting the cell as text
    afterwards (domain.md §5.1, S86–S89). Dukcapil then rejects the NIK; Disdukcapil Trenggalek
    reports NIKs "ending in 0" that fail validation (S10).

    Example: `3.27301E+15`, `3273011508950000.0`, or the numeric cell 3273011508950000 fire;
    the text cell `3273011508950000` does not (a serial may legitimately end in 0).

    How to fix: re-enter the NIK from the KK/KTP into a column formatted as Text *before* typing
    (or with a leading apostrophe); export with identity columns as text.
    """
    return damaged_hits(ds.cached(nik_columns), "nik")


@rule(
    "NIK003",
    "nik-province-unknown",
    severity="error",
    columns=("nik",),
    datasets=NIK_DATASETS,
    message={
        "id": "Kode provinsi NIK {prov} tidak ada dalam daftar Kemendagri",
        "en": "NIK province code {prov} is not a Kemendagri province",
    },
    summary={"id": "Kode provinsi NIK tidak dikenal", "en": "NIK province code unknown"},
)
def nik_province_unknown(ds, opts):
    """What it does: flags a 16-digit NIK whose first two digits are no Kemendagri province code
    (valid: 11–19, 21, 31–36, 51–53, 61–65, 71–76, 81–82, 91–96).

    Why it matters: digits 1–2 are the province of first registration (domain.md §1.1, §1.3;
    Kepmendagri 300.2.2-2138/2025, S16). No NIK starts with 20, 37–50, 97 or the like, so the
    number was mistyped or invented. BPS statistical codes (e.g. 97) are not Kemendagri codes.

    Example: `9701011508950001` (97) or `0101011508950001` fire; `6502011508950001` (Kalimantan
    Utara) and `9601011508950001` (Papua Barat Daya) do not.

    How to fix: check the NIK against the KK or KTP-el and correct it; if the card itself shows
    this number, refer the person to Disdukcapil.
    """
    return province_hits(ds.cached(nik_columns), "nik")


@rule(
    "NIK004",
    "nik-regency-unknown",
    severity="error",
    columns=("nik",),
    datasets=NIK_DATASETS,
    message={
        "id": "Kode wilayah NIK {kode}: {alasan[id]}",
        "en": "NIK region code {kode}: {alasan[en]}",
    },
    summary={"id": "Kode kab/kota NIK tidak dikenal", "en": "NIK kab/kota code unknown"},
)
def nik_regency_unknown(ds, opts):
    """What it does: for a NIK with a valid province, flags digits 1–4 that are no kab/kota code
    of the current Kemendagri list nor a historical code still found in NIKs (Papua before the
    2022 split, e.g. 91.01 Merauke; Kalimantan Utara before 2012, e.g. 64.73 Tarakan), and a
    kab/kota or kecamatan part `00`.

    Why it matters: digits 3–4 are the kab/kota of first registration (domain.md §1.1, §1.4).
    NIKs never change, so codes from earlier decrees stay valid (§1.5, §9, S16); anything else
    is a keying error. An unknown *kecamatan* is not flagged: about 590 old kecamatan codes no
    longer exist (§9).

    Example: `3299011508950001` (32.99) and `3273001508950001` (kecamatan 00) fire;
    `9101011508950001` (old Merauke code) and `3273011508950001` do not.

    How to fix: compare the NIK with the KK or KTP-el and correct the mistyped digits.
    """
    dec = ds.cached(nik_columns)
    prov_ok = dec["prov"].isin(refdata.provinces().index).fillna(False)
    kab, kec = dec["kab"], dec["kec"]
    unknown = ~kab.isin(refdata.nik_regency_codes()).fillna(False)
    kab00 = (kab % 100 == 0).fillna(False)
    kec00 = (kec % 100 == 0).fillna(False)
    mask = dec["ok"] & prov_ok & (unknown | kab00 | kec00)
    where = np.flatnonzero(mask.to_numpy())
    sub_kab00 = kab00.to_numpy()[where]
    sub_unknown = unknown.to_numpy()[where]
    alasan = np.where(
        sub_kab00,
        "bagian kab/kota 00",
        np.where(sub_unknown, "kab/kota tidak ada dalam daftar Kemendagri", "bagian kecamatan 00"),
    )
    reason = np.where(
        sub_kab00,
        "kab/kota part is 00",
        np.where(sub_unknown, "no Kemendagri kab/kota has this code", "kecamatan part is 00"),
    )
    kode = dotted(kec.iloc[where], 6)
    return Hits(
        mask=mask,
        column="nik",
        params=sparse_params(dec.index, where, kode=kode, alasan=bilingual(alasan, reason)),
    )


@rule(
    "NIK005",
    "nik-birthdate-invalid",
    severity="error",
    columns=("nik",),
    datasets=NIK_DATASETS,
    message={
        "id": "Tanggal lahir di NIK ({ddmmyy}) bukan tanggal yang ada: {alasan[id]}",
        "en": "The NIK's birth date ({ddmmyy}) is not a calendar date: {alasan[en]}",
    },
    summary={"id": "Tanggal lahir di NIK tidak valid", "en": "NIK birth date invalid"},
)
def nik_birthdate_invalid(ds, opts):
    """What it does: flags a 16-digit NIK whose DDMMYY part (digits 7–12) is no calendar date:
    day not 01–31 or 41–71, month not 01–12, or a day the month does not have. 29 February
    exists only in leap years; the century is taken from the record's `tgl_lahir` when its year
    ends in the same two digits, else the latest century that is not in the future.

    Why it matters: women's NIKs carry the birth day + 40, so valid day codes are 01–31 and
    41–71 (domain.md §1.1, S1–S4). python-stdnum's `day % 40` wrongly accepts 81–91 (§1.7, S6).
    An impossible date means a keying error in the NIK.

    Example: `3273013202900001` (day 32), `3273011513900001` (month 13) and `3273012902000001`
    with `tgl_lahir` 1900 fire; `3273017112990001` (a woman born 31 Dec, day 71),
    `3273012902000001` born 2000 (a leap year) and the default dates 01-07 and 31-12 do not.

    How to fix: compare the NIK with the KK/KTP-el; if the card itself is wrong the person must
    have it corrected at Disdukcapil.
    """
    dec = ds.cached(nik_columns)
    mask = dec["ok"] & ~dec["date_valid"]
    where = np.flatnonzero(mask.to_numpy())
    sub = dec.iloc[where]
    day_raw = sub["day_raw"].to_numpy(dtype=np.int64)
    day = sub["day"].to_numpy(dtype=np.int64)
    month = sub["month"].to_numpy(dtype=np.int64)
    year = sub["birth_year"].to_numpy(dtype=np.int64)
    bad_day = ~(((day_raw >= 1) & (day_raw <= 31)) | ((day_raw >= 41) & (day_raw <= 71)))
    bad_month = (month < 1) | (month > 12)
    dd, mm = zfill(day_raw, 2), zfill(month, 2)
    ddmmyy = (dd + mm + zfill(sub["yy"].to_numpy(dtype=np.int64), 2)).to_numpy()
    date_text = (zfill(day, 2) + "-" + mm + "-" + zfill(year, 4)).to_numpy()
    alasan = np.where(
        bad_day,
        "hari " + dd.to_numpy() + " bukan 01-31 (laki-laki) atau 41-71 (perempuan)",
        np.where(
            bad_month,
            "bulan " + mm.to_numpy() + " bukan 01-12",
            date_text + " tidak ada di kalender",
        ),
    )
    reason = np.where(
        bad_day,
        "day " + dd.to_numpy() + " is neither 01-31 (men) nor 41-71 (women)",
        np.where(
            bad_month, "month " + mm.to_numpy() + " is not 01-12", date_text + " does not exist"
        ),
    )
    return Hits(
        mask=mask,
        column="nik",
        params=sparse_params(dec.index, where, ddmmyy=ddmmyy, alasan=bilingual(alasan, reason)),
    )


@rule(
    "NIK006",
    "nik-serial-zero",
    severity="error",
    columns=("nik",),
    datasets=NIK_DATASETS,
    message={
        "id": "Nomor urut NIK 0000 tidak pernah diterbitkan (nomor urut mulai 0001)",
        "en": "NIK serial 0000 is never issued (serials start at 0001)",
    },
    summary={"id": "Nomor urut NIK 0000", "en": "NIK serial is 0000"},
)
def nik_serial_zero(ds, opts):
    """What it does: flags a 16-digit NIK whose serial (digits 13–16) is `0000`.

    Why it matters: the serial is assigned by the system starting at 0001 (domain.md §1.1, S1,
    S3), so 0000 is never issued; it is typical of padded or invented numbers. python-stdnum
    does not catch it (§1.7).

    Example: `3273011508950000` fires; `3273011508950010` (serial 0010) does not.

    How to fix: take the NIK from the KK or KTP-el; if it really ends in 0000, ask Disdukcapil.
    """
    dec = ds.cached(nik_columns)
    return Hits(mask=dec["serial_zero"], column="nik")


_SEX_ID = np.array(["", "laki-laki", "perempuan"], dtype=object)
_SEX_EN = np.array(["", "male", "female"], dtype=object)
_JK_ID = np.array(["", "LAKI-LAKI", "PEREMPUAN"], dtype=object)


@rule(
    "NIK007",
    "nik-sex-mismatch",
    severity="warning",
    columns=("nik", "jenis_kelamin"),
    datasets=NIK_DATASETS,
    message={
        "id": "NIK menandakan {nik_jk[id]} (tgl {tgl}), data tertulis {jk[id]}",
        "en": "NIK indicates {nik_jk[en]} (day {tgl}), record says {jk[en]}",
    },
    summary={"id": "Jenis kelamin berbeda dengan NIK", "en": "Sex differs from NIK"},
)
def nik_sex_mismatch(ds, opts):
    """What it does: when the NIK's date part is valid, flags a record whose `jenis_kelamin`
    contradicts the NIK: day > 40 (a woman) but recorded male, or day <= 31 (a man) but
    recorded female.

    Why it matters: Dukcapil adds 40 to the birth day of women (domain.md §1.1, S1–S4, confirmed
    by the Dirjen Dukcapil in S2). A contradiction is a classic data-entry error in either the
    sex column or the NIK, and makes matching with Dukcapil fail.

    Example: NIK `3273015508950001` (day 55) with `LAKI-LAKI` fires; the same NIK with
    `PEREMPUAN`, and `3273017112990001` (day 71 = 31st) for a woman, do not.

    How to fix: check the KK or KTP-el: correct `jenis_kelamin` if the NIK is right, or the NIK
    if it was mistyped.
    """
    dec = ds.cached(nik_columns)
    jk = ds.frame["jenis_kelamin"]
    sex = dec["sex"]
    mask = (dec["date_valid"] & jk.notna() & sex.notna() & (jk != sex)).fillna(False)
    where = np.flatnonzero(mask.to_numpy(bool))
    nik_sex = sex.iloc[where].to_numpy(dtype=np.int64)
    rec = jk.iloc[where].to_numpy(dtype=np.int64)
    params = sparse_params(
        dec.index,
        where,
        nik_jk=bilingual(_SEX_ID[nik_sex], _SEX_EN[nik_sex]),
        tgl=zfill(dec["day_raw"].iloc[where], 2).to_numpy(),
        jk=bilingual(_JK_ID[rec], _SEX_EN[rec]),
    )
    return Hits(mask=mask, column="jenis_kelamin", params=params)


@rule(
    "NIK008",
    "nik-birthdate-mismatch",
    severity="warning",
    columns=("nik", "tgl_lahir"),
    datasets=NIK_DATASETS,
    message={
        "id": "Tanggal lahir di NIK ({nik_tgl}) berbeda dengan tgl_lahir ({tgl})",
        "en": "Birth date in the NIK ({nik_tgl}) differs from tgl_lahir ({tgl})",
    },
    summary={"id": "Tanggal lahir berbeda dengan NIK", "en": "Birth date differs from NIK"},
)
def nik_birthdate_mismatch(ds, opts):
    """What it does: when the NIK's date part is valid, flags a record whose `tgl_lahir` differs
    from the NIK's day (minus 40 for women), month or two-digit year.

    Why it matters: the NIK is permanent and is not changed when a birth date is later
    corrected (domain.md §1.1, S1, S4), so a difference is a warning, not an error: either the
    record or the NIK was keyed wrong, or the date was corrected after the NIK was issued. It
    also weakens duplicate detection, which relies on birth dates.

    Example: NIK `3273011508950001` with `tgl_lahir` 16-08-1995 fires; with 15-08-1995 it does
    not, nor does a woman's `3273014107800001` with the default date 01-07-1980.

    How to fix: check the KK/KTP-el; correct `tgl_lahir` when it was mistyped. If the card shows
    the other date, note it for Disdukcapil rather than changing the NIK.
    """
    dec = ds.cached(nik_columns)
    tl = ds.frame["tgl_lahir"]
    y, m, d, known = ds.cached(birth_ymd)
    valid = dec["date_valid"].to_numpy(bool) & known
    dd = dec["day"].to_numpy(dtype=np.int64, na_value=0)
    mm = dec["month"].to_numpy(dtype=np.int64, na_value=0)
    yy = dec["yy"].to_numpy(dtype=np.int64, na_value=0)
    differs = (dd != d) | (mm != m) | (yy != y % 100)
    mask = pd.Series(valid & differs, index=dec.index)
    where = np.flatnonzero(mask.to_numpy())
    nik_tgl = (
        zfill(dd[where], 2) + "-" + zfill(mm[where], 2) + "-" + zfill(yy[where], 2)
    ).to_numpy()
    params = sparse_params(
        dec.index, where, nik_tgl=nik_tgl, tgl=fmt_date(tl.iloc[where]).to_numpy()
    )
    return Hits(mask=mask, column="tgl_lahir", params=params)


@rule(
    "NIK009",
    "nik-region-differs",
    severity="info",
    columns=("nik", "kode_wilayah"),
    datasets=NIK_DATASETS,
    message={
        "id": "NIK terdaftar di {nik_kab} ({nik_kode}), alamat di {kab} ({kode})",
        "en": "NIK registered in {nik_kab} ({nik_kode}), address in {kab} ({kode})",
    },
    summary={
        "id": "Kab/kota NIK berbeda dengan alamat",
        "en": "NIK kab/kota differs from address",
    },
)
def nik_region_differs(ds, opts):
    """What it does: flags a record whose NIK kab/kota (digits 1–4) differs from the kab/kota
    of its `kode_wilayah`. Historical NIK codes are compared through their 2025 successor
    (91.01 Merauke = 93.01), so the Papua re-coding alone never fires. Runs when the address
    code's kab/kota is known; a NIK with an unknown kab/kota (NIK003/NIK004) differs as well.

    Why it matters: the NIK shows where the person was *first* registered, not where they live
    now (domain.md §1.1, S5), so a difference is normal after moving. It is context for field
    officers (e.g. aid to people registered elsewhere, §5.3 duplicates after moving, S69).

    Example: NIK `3204011508950001` (Kabupaten Bandung) with `kode_wilayah` 32.73.01.1001
    (Kota Bandung) fires; NIK `9101011508950001` with a 93.01 code does not.

    How to fix: usually nothing; confirm the person really lives at the address and has a
    moving certificate (SKPWNI) if the household was recently registered here.
    """
    dec = ds.cached(nik_columns)
    reg = ds.cached(region_columns)
    regencies = refdata.regencies()
    nik_kab = dec["kab"]
    addr_kab = reg["kab"].to_numpy()
    known_addr = np.isin(addr_kab, regencies.index.to_numpy())
    nik_now = refdata.current_regency_of(nik_kab).to_numpy(dtype="float64", na_value=np.nan)
    mask = pd.Series(dec["ok"].to_numpy() & known_addr & (nik_now != addr_kab), index=dec.index)
    where = np.flatnonzero(mask.to_numpy())
    nik_codes = nik_kab.iloc[where].to_numpy(dtype=np.int64)
    names = pd.concat(
        [regencies, pd.Series({k: v[0] for k, v in refdata.HISTORICAL_REGENCIES.items()})]
    )
    names = names[~names.index.duplicated()]
    params = sparse_params(
        dec.index,
        where,
        nik_kab=names.reindex(nik_codes).fillna("?").to_numpy(dtype=object),
        nik_kode=dotted(nik_codes, 4).to_numpy(),
        kab=regencies.reindex(addr_kab[where]).to_numpy(dtype=object),
        kode=dotted(addr_kab[where], 4).to_numpy(),
    )
    return Hits(mask=mask, column="nik", params=params)
