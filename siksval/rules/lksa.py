"""LKS: child-care institutions (LKSA) and the children in them (rules.md, family LKS).

Two datasets meet here: `lksa` (one row per institution) and `lksa_anak` (one row per child).
LKS001-LKS003 and LKS006/LKS008 report on the child's record in the `lksa_anak` file;
LKS004, LKS005 and LKS007 report on the institution's record in the `lksa` file. Record
numbers are always those of the file the finding belongs to (its `source`).

Cross-file rules read the other inputs of the run from `ds.others`: `lksa` / `lksa_anak` when
both files are checked together (`siksval check anak.xlsx lksa.xlsx`), `against` for the DTKS
file of `--against` (a `dtks` input of the same run is used when no `--against` is given).
Without the other file such a rule is listed as skipped with the reason, never silently passed.

"Active" child: `status` = AKTIF, or `status` empty / the column absent (a children's roster
without a status column lists the children in care); KELUAR and REUNIFIKASI are not active.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from siksval.dataset import Dataset, clean_id
from siksval.rules import Hits, Skip, rule

#: Validity of an LKSA accreditation by grade, in years (BALKS; domain.md §4.1, S75-S77).
ACCREDITATION_YEARS = {"A": 5, "B": 3, "C": 2}


# ---------------------------------------------------------------------------------------------
# shared helpers
# ---------------------------------------------------------------------------------------------


def lksa_key(values: pd.Series) -> pd.Series:
    """An LKSA id as a join key: upper case, without spaces, `.`/`-` separators or a leading `'`.

    `LKSA-001`, `lksa 001` and `LKSA.001` are one institution; `/` is kept because registration
    numbers such as `064/4193/PPSKS/05/2014` use it as a meaningful separator.
    """
    return clean_id(values).str.upper()


def nik_key(values: pd.Series) -> pd.Series:
    """A NIK as a join key: cleaned like NIK001 does, NA unless 16 digits and not all zeros.

    Malformed or placeholder NIKs (`0000000000000000`) must not tie unrelated children
    together; they are reported by the NIK rules instead.
    """
    s = clean_id(values)
    usable = s.str.fullmatch(r"\d{16}").fillna(False) & (s != "0" * 16).fillna(False)
    return s.where(usable.astype(bool))


def nik_keys(ds: Dataset) -> pd.Series:
    """`nik_key` of the dataset's `nik` column, computed once per run (`ds.cached(nik_keys)`)."""
    return nik_key(ds.frame["nik"])


def active_children(ds: Dataset) -> pd.Series:
    """True on children in care: status AKTIF or empty, or no status column at all."""
    if "status" not in ds.frame.columns:
        return pd.Series(True, index=ds.frame.index)
    status = ds.frame["status"]
    return (status.isna() | (status == "AKTIF")).astype(bool)


def isin(values: pd.Series, wanted: pd.Series) -> np.ndarray:
    """`values.isin(wanted)` for text keys as a bool array; NA never matches.

    pyarrow's hash kernel: pandas' isin on arrow strings walks a Python list and costs seconds
    on a DTKS file of a million members (bench/bench_rules_lksa.py).
    """
    value_set = pa.array(wanted.dropna().unique().astype(str), type=pa.string())
    hits = pc.is_in(pa.array(values.astype("string").array, type=pa.string()), value_set=value_set)
    return np.asarray(hits.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)


def _iso(values: pd.Series) -> pd.Series:
    """Dates as ISO text for message parameters (None when missing)."""
    d = pd.to_datetime(values, errors="coerce")
    return d.dt.strftime("%Y-%m-%d").astype(object).where(d.notna(), None)


def _other(ds: Dataset, *names: str) -> Dataset | None:
    for name in names:
        other = ds.others.get(name)
        if other is not None:
            return other
    return None


def _findings(
    ds: Dataset,
    idx: np.ndarray,
    *,
    column: str | None,
    value: Any,
    params: list[dict[str, Any]],
    rows: list[list[int]] | None = None,
) -> pd.DataFrame:
    """A ready findings frame for records `idx` (positions) of `ds`."""
    row = ds.row.to_numpy()[idx]
    frame = ds.frame

    def key(col: str) -> list[Any]:
        if col not in frame.columns:
            return [None] * len(idx)
        vals = frame[col].iloc[idx].tolist()
        return [None if pd.isna(v) else v for v in vals]

    # object Series: pandas would otherwise infer a string dtype and turn None into NaN.
    return pd.DataFrame(
        {
            "row": row.astype("int64"),
            "rows": pd.Series(rows if rows is not None else [[int(r)] for r in row], dtype=object),
            "column": pd.Series([column] * len(idx), dtype=object),
            "value": pd.Series(list(value), dtype=object),
            "no_kk": pd.Series(key("no_kk"), dtype=object),
            "nik": pd.Series(key("nik"), dtype=object),
            "params": pd.Series(params, dtype=object),
        }
    )


# ---------------------------------------------------------------------------------------------
# children (lksa_anak)
# ---------------------------------------------------------------------------------------------


@rule(
    "LKS001",
    "child-adult",
    severity="warning",
    columns=("tgl_lahir",),
    level="row",
    datasets=("lksa_anak",),
    options={"adult_age": 18},
    message={
        "id": "Anak berstatus aktif berusia {age} tahun pada {as_of} (batas usia anak: di bawah {adult_age} tahun)",
        "en": "Active child is {age} years old on {as_of} (children are under {adult_age})",
    },
    summary={"id": "Anak aktif sudah dewasa (18+)", "en": "Active child is an adult (18+)"},
)
def child_adult(ds: Dataset, opts: dict[str, Any]) -> Hits:
    """What it does: flags a child whose status is active (AKTIF, or no status given) and who is
    `adult_age` (18) or older at the reference date (`--as-of`).

    Why it matters: a person under 18 is a child; the PPKS child categories end at 17 (anak
    telantar 6-17) and adults with the same needs are other PPKS (penyandang disabilitas 18+,
    korban tindak kekerasan 18+) served by other programs (domain.md §4.3, S85). An adult still
    listed as an active LKSA child keeps drawing PROGRESA/ATENSI child assistance (S82-S84) or
    the record was never closed when the young person left care.

    Example: a child born 2007-05-01 with status AKTIF, checked with `--as-of 2026-10-31`
    (age 19), fires; born 2008-11-01 (17 until the next day) does not.

    How to fix: if the young person has left the LKSA, set status KELUAR or REUNIFIKASI with the
    date; if they stay (e.g. finishing school), move them to the program for adults; if the
    birth date is wrong, correct it from the KK/akta kelahiran.
    """
    limit = int(opts["adult_age"])
    age = ds.age
    mask = active_children(ds) & (age >= limit).fillna(False).astype(bool)
    params = pd.DataFrame(
        {"age": age.astype("Int64"), "as_of": ds.as_of.isoformat(), "adult_age": limit},
        index=ds.frame.index,
    )
    return Hits(mask=mask, column="tgl_lahir", params=params)


@rule(
    "LKS002",
    "child-in-several-lksa",
    severity="error",
    columns=("nik", "id_lksa"),
    level="cluster",
    datasets=("lksa_anak",),
    message={
        "id": "NIK anak yang sama aktif di {n_lksa} LKSA sekaligus ({lksa})",
        "en": "The same child NIK is active in {n_lksa} LKSA at once ({lksa})",
    },
    summary={
        "id": "Satu anak aktif di lebih dari satu LKSA",
        "en": "One child active in several LKSA",
    },
)
def child_in_several_lksa(ds: Dataset, opts: dict[str, Any]) -> pd.DataFrame:
    """What it does: groups the active children by NIK and reports every NIK that is active in
    more than one LKSA (different `id_lksa`): one finding per NIK, `rows` = all its active
    records. NIKs that are not 16 digits are left to NIK001/NIK002. A child repeated at the
    same LKSA is a duplicate record (DUP rules), not this rule.

    Why it matters: a child lives in one institution; the same NIK active in two LKSA means a
    double registration, and with it double child assistance (PROGRESA/ATENSI is channelled per
    child through the LKSA, S82-S84). Kemensos counts children in LKSA and in families
    separately (S82), so each double entry inflates the national figures.

    Example: NIK 3273014506120001 with status AKTIF at LKSA-001 (record 4) and at LKSA-007
    (record 19) gives one finding with rows [4, 19]; the same NIK with status KELUAR at
    LKSA-001 and AKTIF at LKSA-007 (a move) does not fire.

    How to fix: ask both institutions where the child lives now; set the other record to KELUAR
    with its exit date; if two different children share the NIK, correct the wrong one from
    the KK.
    """
    key = ds.cached(nik_keys)
    home = lksa_key(ds.frame["id_lksa"])
    use = (active_children(ds) & key.notna() & home.notna()).to_numpy()
    if not use.any():
        return pd.DataFrame()
    pos = np.flatnonzero(use)
    sub = pd.DataFrame({"key": key.to_numpy()[use], "home": home.to_numpy()[use], "pos": pos})
    n_homes = sub.groupby("key", sort=False)["home"].transform("nunique")
    sub = sub[n_homes.to_numpy() > 1]
    if sub.empty:
        return pd.DataFrame()
    rows_of = ds.row.to_numpy()
    grouped = sub.groupby("key", sort=False)
    first = grouped["pos"].min().sort_values()
    members = grouped["pos"].agg(list).reindex(first.index)
    labels = ds.frame["id_lksa"].to_numpy(dtype=object)
    homes = [sorted({str(labels[p]) for p in ps}) for ps in members]
    idx = first.to_numpy()
    params = [
        {"nik": ds.frame["nik"].iloc[i], "n_lksa": len(h), "lksa": ", ".join(h)}
        for i, h in zip(idx, homes, strict=True)
    ]
    return _findings(
        ds,
        idx,
        column="nik",
        value=ds.frame["nik"].iloc[idx].to_numpy(dtype=object),
        params=params,
        rows=[[int(rows_of[p]) for p in sorted(ps)] for ps in members],
    )


@rule(
    "LKS003",
    "category-age-mismatch",
    severity="warning",
    columns=("kategori", "tgl_lahir"),
    level="row",
    datasets=("lksa_anak",),
    options={"balita_age": 5, "adult_age": 18, "active_only": False},
    message={
        "id": "Kategori {kategori} tidak sesuai usia {age} tahun (kategori ini untuk usia di bawah {limit} tahun)",
        "en": "Category {kategori} does not fit age {age} (the category is for ages under {limit})",
    },
    summary={"id": "Kategori PPKS tidak sesuai usia", "en": "PPKS category does not fit the age"},
)
def category_age_mismatch(ds: Dataset, opts: dict[str, Any]) -> Hits:
    """What it does: flags category BALITA (anak balita telantar, under `balita_age` = 5) for a
    child aged 5 or more, and any child category for a person aged `adult_age` (18) or more,
    ages taken at the reference date. With option `active_only = true` only active children
    are checked (default: every record, as rules.md states it).

    Why it matters: the PPKS categories carry their age windows (Permensos 8/2012 as listed in
    the ATENSI slides: balita telantar 0-<5, anak telantar 6-17, anak dengan disabilitas vs
    penyandang disabilitas 18+; domain.md §4.3, S85). PROGRESA/ATENSI services and budgets are
    planned per category (S82, S84), so a stale BALITA label misplaces the child.

    Example: category BALITA, born 2020-06-01, `--as-of 2026-10-31` (age 6) fires; born
    2021-11-01 (4, turning 5 the next day) does not. Category ANAK JALANAN at age 18 fires.

    How to fix: re-assess the child and update the category (e.g. BALITA -> ANAK TERLANTAR);
    an adult belongs to an adult PPKS category and program; check the birth date first.
    """
    kategori = ds.frame["kategori"]
    age = ds.age
    balita_age, adult_age = int(opts["balita_age"]), int(opts["adult_age"])
    too_old_balita = ((kategori == "BALITA") & (age >= balita_age)).fillna(False).astype(bool)
    adult = (kategori.notna() & (age >= adult_age)).fillna(False).astype(bool)
    mask = too_old_balita | adult
    if opts.get("active_only"):
        mask &= active_children(ds)
    limit = pd.Series(np.where(adult, adult_age, balita_age), index=ds.frame.index)
    params = pd.DataFrame(
        {"kategori": kategori, "age": age.astype("Int64"), "limit": limit}, index=ds.frame.index
    )
    return Hits(mask=mask, column="kategori", params=params)


@rule(
    "LKS006",
    "child-also-in-family",
    severity="warning",
    columns=("nik",),
    level="row",
    datasets=("lksa_anak",),
    message={
        "id": "Anak aktif di LKSA juga tercatat tinggal bersama keluarga di DTKS (KK {no_kk}, baris {dtks_rows} di {dtks_file})",
        "en": "Active LKSA child is also listed as living with a family in DTKS (KK {no_kk}, record(s) {dtks_rows} of {dtks_file})",
    },
    summary={
        "id": "Anak LKSA juga tinggal bersama keluarga di DTKS",
        "en": "LKSA child also living with a family in DTKS",
    },
)
def child_also_in_family(ds: Dataset, opts: dict[str, Any]) -> pd.DataFrame:
    """What it does: needs a DTKS file (`--against dtks.csv`, or a `dtks` file checked in the
    same run). Flags an active child whose NIK appears in DTKS as a household member living
    with the family: `status_keberadaan` 1 (TINGGAL BERSAMA), or empty, or the DTKS file has no
    such column (a DTKS member row means "lives here" unless it says otherwise). Members marked
    MENINGGAL, PINDAH, etc. do not count. The finding is on the child's record; the DTKS KK and
    record numbers are in the message.

    Why it matters: Kemensos counts children in LKSA and children in families separately
    (2019: 106,406 in LKSA, 76,698 in families; S82) and pays child assistance through either
    channel (S82-S84). A child counted in both is double-counted and may be double-paid, or
    one of the two records is out of date (domain.md §4.4).

    Example: child NIK 3273014506120001, status AKTIF at LKSA-001; the DTKS file has the same
    NIK as ANAK in KK 3273010101100001 with status_keberadaan TINGGAL BERSAMA -> fires. With
    status_keberadaan PINDAH in DTKS, or status KELUAR in the LKSA file, it does not.

    How to fix: verify where the child lives. If in the LKSA, have the desa operator update the
    family's DTKS record (status PINDAH) in SIKS-NG; if back with the family, close the LKSA
    record (KELUAR/REUNIFIKASI).
    """
    dtks = _other(ds, "against", "dtks")
    if dtks is None:
        raise Skip(
            "needs a DTKS file: give --against dtks.csv",
            "perlu berkas DTKS: berikan --against dtks.csv",
        )
    if "nik" not in dtks.frame.columns:
        raise Skip("the DTKS file has no nik column", "berkas DTKS tidak punya kolom nik")
    key = ds.cached(nik_keys)
    use = (active_children(ds) & key.notna()).to_numpy()
    child = pd.DataFrame({"key": key.to_numpy()[use], "pos": np.flatnonzero(use)})
    # Only DTKS members whose NIK is a child's matter: filter before grouping, so a DTKS file
    # of millions of rows costs one vectorized isin, not a list per family member.
    fam_key = dtks.cached(nik_keys)
    living = isin(fam_key, child["key"])
    if "status_keberadaan" in dtks.frame.columns:
        st = dtks.frame["status_keberadaan"]
        living = living & (st.isna() | (st == 1)).to_numpy(dtype=bool)
    if not living.any():
        return pd.DataFrame()
    fam = pd.DataFrame(
        {
            "key": fam_key.to_numpy()[living],
            "dtks_row": dtks.row.to_numpy()[living],
            "fam_kk": (
                dtks.frame["no_kk"][living].to_numpy(dtype=object)
                if "no_kk" in dtks.frame.columns
                else None
            ),
        }
    )
    fam_by_nik = fam.groupby("key", sort=False).agg(
        dtks_rows=("dtks_row", list), fam_kk=("fam_kk", "first")
    )
    hit = child.merge(fam_by_nik, left_on="key", right_index=True, how="inner").sort_values("pos")
    if hit.empty:
        return pd.DataFrame()
    idx = hit["pos"].to_numpy()
    label = dtks.source_label or "DTKS"
    params = [
        {
            "nik": nik,
            "no_kk": None if kk is None or pd.isna(kk) else kk,
            "dtks_rows": ", ".join(str(r) for r in rows),
            "dtks_file": label,
        }
        for nik, kk, rows in zip(
            ds.frame["nik"].iloc[idx].to_numpy(dtype=object),
            hit["fam_kk"],
            hit["dtks_rows"],
            strict=True,
        )
    ]
    return _findings(
        ds, idx, column="nik", value=ds.frame["nik"].iloc[idx].to_numpy(dtype=object), params=params
    )


@rule(
    "LKS008",
    "child-lksa-unknown",
    severity="error",
    columns=("id_lksa",),
    level="row",
    datasets=("lksa_anak",),
    message={
        "id": "id_lksa {id_lksa} tidak ada di berkas LKSA {lksa_file}",
        "en": "id_lksa {id_lksa} is not in the LKSA file {lksa_file}",
    },
    summary={"id": "LKSA anak tidak terdaftar", "en": "Child's LKSA is not registered"},
)
def child_lksa_unknown(ds: Dataset, opts: dict[str, Any]) -> Hits:
    """What it does: needs an `lksa` file in the same run (`siksval check anak.xlsx
    lksa.xlsx`). Flags a child whose `id_lksa` is not the id of any institution in that file
    (ids compared in upper case, ignoring spaces and `.`/`-`). An empty `id_lksa` is SCH004's.

    Why it matters: an LKSA may operate only when registered with and licensed by the kab/kota
    Dinas Sosial (Permensos 30/HUK/2011 SNPA; S73, S74), and child assistance is channelled
    through registered LKSA (S83). A child attached to an unknown institution is either a
    keying error in the id or care by an unregistered institution.

    Example: the LKSA file lists LKSA-001 and LKSA-002; a child with id_lksa LKSA-009 fires;
    `lksa 001` does not (same id once normalised).

    How to fix: correct the id from the institution's registration letter, or register the
    institution (and add it to the LKSA file) before entering its children.
    """
    lksa = _other(ds, "lksa")
    if lksa is None:
        raise Skip(
            "needs an LKSA file in the same run: siksval check anak.csv lksa.csv",
            "perlu berkas LKSA dalam pemeriksaan yang sama: siksval check anak.csv lksa.csv",
        )
    known = lksa_key(lksa.frame["id_lksa"])
    key = lksa_key(ds.frame["id_lksa"])
    mask = pd.Series(
        key.notna().to_numpy(dtype=bool) & ~isin(key, pd.Series(known)), index=key.index
    )
    params = pd.DataFrame(
        {"id_lksa": ds.frame["id_lksa"], "lksa_file": lksa.source_label or "LKSA"},
        index=ds.frame.index,
    )
    return Hits(mask=mask, column="id_lksa", params=params)


# ---------------------------------------------------------------------------------------------
# institutions (lksa)
# ---------------------------------------------------------------------------------------------


@rule(
    "LKS004",
    "accreditation-expired",
    severity="warning",
    columns=("akreditasi", "tgl_akreditasi"),
    level="row",
    datasets=("lksa",),
    options={"valid_years_a": 5, "valid_years_b": 3, "valid_years_c": 2},
    message={
        "id": "Akreditasi {akreditasi} tanggal {tgl_akreditasi} berlaku {years} tahun, habis {expired} (sebelum {as_of})",
        "en": "Accreditation {akreditasi} of {tgl_akreditasi} is valid {years} years, expired {expired} (before {as_of})",
    },
    summary={"id": "Akreditasi LKSA kedaluwarsa", "en": "LKSA accreditation expired"},
)
def accreditation_expired(ds: Dataset, opts: dict[str, Any]) -> Hits:
    """What it does: for grades A, B and C, adds the grade's validity (`valid_years_a` 5,
    `valid_years_b` 3, `valid_years_c` 2 years) to `tgl_akreditasi` and flags the institution
    when that expiry date is before the reference date (`--as-of`). Expiring on the reference
    date itself is still valid. BELUM (not accredited) or an empty date does not fire.

    Why it matters: BALKS (Kemensos) accreditation is valid 5 years for A, 3 for B, 2 for C
    (UU 11/2009, Permensos 107/HUK/2009; domain.md §4.1, S75-S77). Most LKSA hold B or C
    (S78), so grades lapse quickly; an expired grade no longer vouches for the standard of care.

    Example: grade B granted 2023-01-15 expires 2026-01-15; with `--as-of 2026-10-31` it fires.
    Grade A granted 2022-01-15 (expires 2027-01-15) does not.

    How to fix: ask the institution for its latest BALKS certificate and update grade and
    date; if it has lapsed, have the institution apply for re-accreditation.
    """
    grade = ds.frame["akreditasi"]
    granted = pd.to_datetime(ds.frame["tgl_akreditasi"], errors="coerce")
    years = pd.Series(pd.NA, index=ds.frame.index, dtype="Int64")
    for g in ACCREDITATION_YEARS:
        years = years.mask(
            (grade == g).fillna(False).astype(bool), int(opts[f"valid_years_{g.lower()}"])
        )
    expiry = pd.Series(pd.NaT, index=ds.frame.index, dtype=granted.dtype)
    for n in years.dropna().unique():
        sel = (years == n).fillna(False).astype(bool)
        # DateOffset keeps the calendar day (29 Feb -> 28 Feb), as a certificate reads.
        expiry[sel] = granted[sel] + pd.DateOffset(years=int(n))
    mask = (expiry < ds.as_of_ts).fillna(False).astype(bool)
    params = pd.DataFrame(
        {
            "akreditasi": grade,
            "tgl_akreditasi": _iso(granted),
            "years": years,
            "expired": _iso(expiry),
            "as_of": ds.as_of.isoformat(),
        },
        index=ds.frame.index,
    )
    return Hits(mask=mask, column="tgl_akreditasi", params=params)


@rule(
    "LKS005",
    "permit-expired",
    severity="error",
    columns=(),
    level="row",
    datasets=("lksa",),
    options={"permit_years": 5},
    message={
        "id": "Izin operasional berlaku sampai {expiry}, sudah habis pada {as_of}{basis}",
        "en": "Operational permit valid until {expiry}, expired by {as_of}{basis}",
    },
    summary={"id": "Izin operasional LKSA habis", "en": "LKSA operational permit expired"},
)
def permit_expired(ds: Dataset, opts: dict[str, Any]) -> pd.DataFrame:
    """What it does: flags an institution whose `izin_berlaku_sampai` (permit valid until) is
    before the reference date (`--as-of`). When that date is empty but the permit's issue date
    `tgl_izin` is given, the expiry is `tgl_izin` + `permit_years` (5). Skipped when the file
    has neither column.

    Why it matters: an LKSA may operate only with a written operational permit from the
    kab/kota Dinas Sosial, renewed every 5 years (Permensos 30/HUK/2011 SNPA; up to three
    warnings, then revocation; domain.md §4.1, S73, S74). Children and assistance placed with
    an unlicensed institution are outside supervision.

    Example: izin_berlaku_sampai 2026-06-30 with `--as-of 2026-10-31` fires;
    2026-10-31 itself does not (valid through that day). No expiry but tgl_izin 2021-03-01
    (+5 y = 2026-03-01) fires.

    How to fix: ask the institution for its renewed permit and enter the new expiry date; if
    it was not renewed, report it to the kab/kota Dinas Sosial.
    """
    frame = ds.frame
    has_until = "izin_berlaku_sampai" in frame.columns
    has_issued = "tgl_izin" in frame.columns
    if not (has_until or has_issued):
        raise Skip(
            "column izin_berlaku_sampai (or tgl_izin) not present",
            "kolom izin_berlaku_sampai (atau tgl_izin) tidak ada",
        )
    nat = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[s]")
    until = pd.to_datetime(frame["izin_berlaku_sampai"], errors="coerce") if has_until else nat
    issued = pd.to_datetime(frame["tgl_izin"], errors="coerce") if has_issued else nat
    derived = issued + pd.DateOffset(years=int(opts["permit_years"]))
    from_issue = until.isna() & derived.notna()
    expiry = until.where(~from_issue, derived)
    mask = (expiry < ds.as_of_ts).fillna(False).to_numpy(dtype=bool)
    idx = np.flatnonzero(mask)
    if not len(idx):
        return pd.DataFrame()
    by_issue = from_issue.to_numpy()[idx]
    issued_iso = _iso(issued).to_numpy()[idx]
    params = [
        {
            "expiry": e,
            "as_of": ds.as_of.isoformat(),
            "basis": f" (tgl_izin {i} + {int(opts['permit_years'])})" if b else "",
        }
        for e, i, b in zip(_iso(expiry).to_numpy()[idx], issued_iso, by_issue, strict=True)
    ]
    column = np.where(by_issue, "tgl_izin", "izin_berlaku_sampai")
    value = np.where(by_issue, issued_iso, _iso(until).to_numpy()[idx])
    out = _findings(ds, idx, column=None, value=value, params=params)
    out["column"] = pd.Series(column, dtype=object)
    return out


@rule(
    "LKS007",
    "lksa-over-capacity",
    severity="warning",
    columns=("kapasitas",),
    level="row",
    datasets=("lksa",),
    message={
        "id": "{active} anak aktif, melebihi daya tampung {kapasitas} (menurut {anak_file})",
        "en": "{active} active children exceed the capacity of {kapasitas} (per {anak_file})",
    },
    summary={"id": "LKSA melebihi daya tampung", "en": "LKSA over capacity"},
)
def lksa_over_capacity(ds: Dataset, opts: dict[str, Any]) -> Hits:
    """What it does: needs the children's file (`lksa_anak`) in the same run. Counts the
    active children per `id_lksa` and flags the institution whose count exceeds its
    `kapasitas`. The finding belongs to the LKSA file (the institution's record): capacity is
    the institution's attribute, and its own record is what the dinsos officer corrects or
    follows up; the children's records stay untouched.

    Why it matters: the national care standard (SNPA, Permensos 30/HUK/2011) ties the permit
    to the institution's capacity to care (S73, S74); more children than places means crowded
    care, or children recorded at an LKSA they have left (KELUAR not entered), which also
    inflates the LKSA child count Kemensos plans PROGRESA/ATENSI with (S82, S84).

    Example: LKSA-001 with kapasitas 30 and 31 AKTIF children in the children's file fires;
    30 active and 5 KELUAR do not.

    How to fix: close the records of children who have left (KELUAR/REUNIFIKASI); if the
    children are really there, update the capacity after a dinsos visit or place children
    elsewhere.
    """
    anak = _other(ds, "lksa_anak")
    if anak is None:
        raise Skip(
            "needs the children's file (lksa_anak) in the same run: siksval check lksa.csv anak.csv",
            "perlu berkas anak LKSA dalam pemeriksaan yang sama: siksval check lksa.csv anak.csv",
        )
    home = lksa_key(anak.frame["id_lksa"])[active_children(anak)]
    counts = home.dropna().value_counts()
    active = lksa_key(ds.frame["id_lksa"]).map(counts).fillna(0).astype("int64")
    capacity = ds.frame["kapasitas"]
    mask = (active > capacity).fillna(False).astype(bool)
    params = pd.DataFrame(
        {"active": active, "kapasitas": capacity, "anak_file": anak.source_label or "lksa_anak"},
        index=ds.frame.index,
    )
    return Hits(mask=mask, column="kapasitas", params=params)


__all__ = [
    "ACCREDITATION_YEARS",
    "active_children",
    "isin",
    "lksa_key",
    "nik_key",
    "nik_keys",
]
