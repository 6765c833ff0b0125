"""DEM rules (DEM001–DEM003): birth dates and ages at the reference date (``--as-of``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from siksval.rules import Hits, rule
from siksval.rules._evidence import as_of_text, bilingual, fmt_date, sparse_params

_MARRIED = {
    2: ("status_kawin KAWIN", "married"),
    3: ("status_kawin CERAI HIDUP", "divorced"),
    4: ("status_kawin CERAI MATI", "widowed"),
}


@rule(
    "DEM001",
    "birthdate-in-future",
    severity="error",
    columns=("tgl_lahir",),
    datasets=("dtks", "lksa_anak"),
    message={
        "id": "Tanggal lahir {tgl} jatuh setelah tanggal acuan {as_of}",
        "en": "Birth date {tgl} is after the reference date {as_of}",
    },
    summary={"id": "Tanggal lahir di masa depan", "en": "Birth date in the future"},
)
def birthdate_in_future(ds, opts):
    """What it does: flags a `tgl_lahir` later than the reference date (`--as-of`, default today).

    Why it matters: nobody is born after the export; such dates come from keying errors, from a
    two-digit year read in the wrong century (`01/07/30` as 2030), or from date cells shifted
    by spreadsheet conversions (domain.md §5.5, mixed date formats, S96).

    Example: with reference date 2026-10-31, `tgl_lahir` 2027-01-05 fires; 2026-10-31 does not.

    How to fix: correct the birth date from the KK or KTP-el (the NIK's digits 7–12 also carry
    it).
    """
    tl = pd.to_datetime(ds.frame["tgl_lahir"])
    mask = (tl > ds.as_of_ts).fillna(False)
    where = np.flatnonzero(mask.to_numpy())
    params = sparse_params(
        tl.index,
        where,
        tgl=fmt_date(tl.iloc[where]).to_numpy(),
        as_of=as_of_text(ds),
    )
    return Hits(mask=mask, column="tgl_lahir", params=params)


@rule(
    "DEM002",
    "age-implausible",
    severity="error",
    columns=("tgl_lahir",),
    datasets=("dtks", "lksa_anak"),
    options={"max_age": 115},
    message={
        "id": "Umur {umur} tahun pada {as_of} melebihi batas {max_age} tahun",
        "en": "Age {umur} at {as_of} is above the limit of {max_age} years",
    },
    summary={"id": "Umur tidak masuk akal", "en": "Implausible age"},
)
def age_implausible(ds, opts):
    """What it does: flags a person older than `max_age` years (default 115) at the reference
    date.

    Why it matters: nobody alive in Indonesia is documented far beyond 115; such ages come
    from a wrong century (`1899` for `1999`), from placeholder dates (`01-01-1900`), or from
    people who died but were never removed, a known inclusion error (BPK found 1.69 M deceased
    persons still active in DTKS; domain.md §3.1, S35).

    Example: with reference date 2026-10-31 and the default limit, born 1910-10-30 (116) fires;
    born 1911-10-31 (115) does not.

    How to fix: correct the birth date from the KK/KTP-el; if the person has died, set
    `status_keberadaan` to MENINGGAL and process the removal.
    """
    max_age = int(opts.get("max_age", 115))
    age = ds.age
    mask = (age > max_age).fillna(False)
    where = np.flatnonzero(mask.to_numpy())
    params = sparse_params(
        age.index,
        where,
        umur=age.iloc[where].astype("int64").to_numpy(),
        as_of=as_of_text(ds),
        max_age=max_age,
    )
    return Hits(mask=mask, column="tgl_lahir", params=params)


@rule(
    "DEM003",
    "married-minor",
    severity="warning",
    columns=("tgl_lahir", "hub_keluarga"),
    options={"min_marriage_age": 16},
    message={
        "id": "Umur {umur} tahun (di bawah {min_age}) tetapi tercatat {status[id]}",
        "en": "Aged {umur} (under {min_age}) but recorded as {status[en]}",
    },
    summary={"id": "Anak tercatat kawin", "en": "Minor recorded as married"},
)
def married_minor(ds, opts):
    """What it does: flags a person younger than `min_marriage_age` (default 16) at the
    reference date whose `status_kawin` is married, divorced or widowed (2, 3, 4), or whose
    `hub_keluarga` is spouse (2 ISTRI/SUAMI). Births after the reference date are DEM001's.

    Why it matters: child marriage does occur, but a married 5-year-old is a birth date or a
    status keyed wrong, or members mixed up between rows; the status codes are Regsosek 408/409
    (domain.md §2.5, S20). Wrong ages also distort age-targeted programs (PKH components).

    Example: a 12-year-old with `status_kawin` KAWIN, or a 14-year-old ISTRI, fires; a
    16-year-old KAWIN and a 12-year-old BELUM KAWIN ANAK do not.

    How to fix: check the birth date and status against the KK; correct whichever was keyed
    wrong. If a child marriage is real, refer the family to child protection services.
    """
    min_age = int(opts.get("min_marriage_age", 16))
    f = ds.frame
    age = ds.age
    young = ((age < min_age) & (age >= 0)).fillna(False).to_numpy(bool)
    spouse = (f["hub_keluarga"] == 2).fillna(False).to_numpy(bool)
    if "status_kawin" in f.columns:
        status = f["status_kawin"].astype("Int64").fillna(0).to_numpy(dtype=np.int64)
    else:
        status = np.zeros(len(f), dtype=np.int64)
    married = np.isin(status, list(_MARRIED))
    mask = pd.Series(young & (married | spouse), index=f.index)
    where = np.flatnonzero(mask.to_numpy())
    st = status[where]
    label_id = np.array(["hub_keluarga ISTRI/SUAMI"] * 5, dtype=object)
    label_en = np.array(["spouse of the head"] * 5, dtype=object)
    for code, (lid, len_) in _MARRIED.items():
        label_id[code], label_en[code] = lid, len_
    params = sparse_params(
        f.index,
        where,
        umur=age.iloc[where].astype("int64").to_numpy(),
        min_age=min_age,
        status=bilingual(label_id[st], label_en[st]),
    )
    # One column per rule: the marital status when the file has it, else the relation.
    column = "status_kawin" if "status_kawin" in f.columns else "hub_keluarga"
    return Hits(mask=mask, column=column, params=params)
