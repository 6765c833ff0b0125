"""KK rules (KK001–KK004): the family card number, one finding per distinct KK."""

from __future__ import annotations

import numpy as np

from siksval.idnum import kk_columns
from siksval.rules import Hits, rule
from siksval.rules._evidence import as_of_text, bilingual, sparse_params, zfill
from siksval.rules.nik import damaged_hits, malformed_hits, province_hits


@rule(
    "KK001",
    "kk-malformed",
    severity="error",
    columns=("no_kk",),
    level="household",
    message={
        "id": "No. KK harus 16 digit angka; setelah dibersihkan tertulis {length} karakter, "
        "{non_digits} di antaranya bukan angka",
        "en": "KK number must be 16 digits; after clean-up it has {length} characters, "
        "{non_digits} of them not digits",
    },
    summary={"id": "No. KK tidak 16 digit angka", "en": "KK number is not 16 digits"},
)
def kk_malformed(ds, opts):
    """What it does: after the same clean-up as NIK001 (spaces, leading apostrophe, `.`, `-`),
    flags a No. KK that is not exactly 16 digits; Excel damage is KK002's. One finding per
    household.

    Why it matters: the KK number has 16 digits (region, issuance date, family serial; domain.md
    §1.2, S14) and is the household key of DTKS. A malformed one breaks household grouping and
    Dukcapil matching; Sumsel struck recipients whose KK did not match (S36).

    Example: `327301120115003` (15 digits) fires for its household; `3273-0112-0115-0003` does not.

    How to fix: copy the number again from the family card, as text.
    """
    return malformed_hits(ds.cached(kk_columns), "no_kk")


@rule(
    "KK002",
    "kk-excel-damaged",
    severity="error",
    columns=("no_kk",),
    level="household",
    message={
        "id": "No. KK rusak oleh Excel: {jenis[id]}; digit terakhirnya hilang",
        "en": "KK number damaged by Excel: {jenis[en]}; its last digit is lost",
    },
    summary={"id": "No. KK rusak oleh Excel", "en": "KK number damaged by Excel"},
)
def kk_excel_damaged(ds, opts):
    """What it does: flags a No. KK with Excel number damage (scientific notation `3.27301E+15`,
    float tail `.0`, or a numeric xlsx cell >= 10^15), one finding per household.

    Why it matters: Excel keeps 15 significant digits, so the 16th digit is lost for good
    (domain.md §5.1, S86–S89); members of different families may then share one damaged key.

    Example: `3.27301E+15` or `3273011201150000.0` fire; the text `3273011201150000` does not.

    How to fix: re-enter the number from the family card into a Text-formatted column.
    """
    return damaged_hits(ds.cached(kk_columns), "no_kk")


@rule(
    "KK003",
    "kk-province-unknown",
    severity="error",
    columns=("no_kk",),
    level="household",
    message={
        "id": "Kode provinsi No. KK {prov} tidak ada dalam daftar Kemendagri",
        "en": "KK number province code {prov} is not a Kemendagri province",
    },
    summary={"id": "Kode provinsi No. KK tidak dikenal", "en": "KK province code unknown"},
)
def kk_province_unknown(ds, opts):
    """What it does: flags a 16-digit No. KK whose first two digits are no Kemendagri province
    code (valid: 11–19, 21, 31–36, 51–53, 61–65, 71–76, 81–82, 91–96), one finding per household.

    Why it matters: digits 1–6 are the Kemendagri code of the issuing kecamatan (domain.md §1.2,
    S14; province list §1.3, S16), so an unknown province means a mistyped number.

    Example: `9901011201150003` fires; `6571011201150003` (Kota Tarakan) does not.

    How to fix: check the family card and correct the number.
    """
    return province_hits(ds.cached(kk_columns), "no_kk")


@rule(
    "KK004",
    "kk-date-invalid",
    severity="warning",
    columns=("no_kk",),
    level="household",
    message={
        "id": "Tanggal terbit di No. KK ({ddmmyy}) {alasan[id]}",
        "en": "Issuance date in the KK number ({ddmmyy}) {alasan[en]}",
    },
    summary={"id": "Tanggal terbit No. KK tidak valid", "en": "KK issuance date invalid"},
)
def kk_date_invalid(ds, opts):
    """What it does: reads digits 7–12 of a 16-digit No. KK as the issuance date DDMMYY (no +40
    offset) and flags it when it is no calendar date or lies after the reference date
    (`--as-of`). The two-digit year is read in the 100 years ending 10 years after the reference
    date. One finding per household.

    Why it matters: the KK number is region + date of recording + family serial (domain.md §1.2,
    S14); an impossible or future date means the number was mistyped. The layout is the commonly
    published one and not seen in an official text (§1.2 [??]), hence a warning.

    Example: `3273013102150001` (31 Feb), `3273015508150001` (day 55: KK dates have no +40) and,
    at reference date 2026-10-31, `3273010112260001` (1 Dec 2026) fire; `3273011201150003`
    (12 Jan 2015) does not.

    How to fix: check the number on the family card; if the card itself carries it, nothing is
    wrong in the data.
    """
    dec = ds.cached(kk_columns)
    mask = dec["ok"] & (~dec["date_valid"] | dec["after_as_of"])
    where = np.flatnonzero(mask.to_numpy())
    sub = dec.iloc[where]
    ddmmyy = (zfill(sub["day"], 2) + zfill(sub["month"], 2) + zfill(sub["yy"], 2)).to_numpy()
    future = sub["after_as_of"].to_numpy(bool)
    as_of = as_of_text(ds)
    alasan = np.where(future, f"jatuh setelah tanggal acuan {as_of}", "bukan tanggal yang ada")
    reason = np.where(future, f"is after the reference date {as_of}", "is not a calendar date")
    return Hits(
        mask=mask,
        column="no_kk",
        params=sparse_params(dec.index, where, ddmmyy=ddmmyy, alasan=bilingual(alasan, reason)),
    )
