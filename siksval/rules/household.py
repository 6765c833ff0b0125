"""HH rules (HH001–HH004): household structure, one finding per household (``no_kk``).

Every rule works on whole columns with a group key (``ds.hh_codes``) and broadcasts household
aggregates back onto records with ``ds.per_household``; the backbone then reports one finding
per household (row = its first record, rows = all its records).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from siksval.idnum import birth_ymd, code_to_int, region_columns
from siksval.rules import Hits, rule
from siksval.rules._evidence import bilingual, fmt_date, region_text, sparse_params

HEAD, SPOUSE, CHILD, GRANDCHILD, PARENT = 1, 2, 3, 5, 6


def _head_counts(ds) -> pd.Series:
    """Number of heads (hub_keluarga = 1) in each record's household (computed once:
    ``ds.cached(_head_counts)``)."""
    head = (ds.frame["hub_keluarga"] == HEAD).fillna(False).astype("int64")
    return ds.per_household(head, "sum").astype("int64")


def _in_household(ds) -> np.ndarray:
    return ds.hh_codes >= 0


@rule(
    "HH001",
    "household-without-head",
    severity="error",
    columns=("no_kk", "hub_keluarga"),
    level="household",
    message={
        "id": "KK tanpa kepala keluarga: tidak ada anggota dengan hub_keluarga KEPALA KELUARGA "
        "({anggota} anggota)",
        "en": "Family without a head: no member has hub_keluarga KEPALA KELUARGA "
        "({anggota} members)",
    },
    summary={"id": "KK tanpa kepala keluarga", "en": "Household without head"},
)
def household_without_head(ds, opts):
    """What it does: flags a household (records sharing one `no_kk`) in which no member has
    `hub_keluarga` = 1 (KEPALA KELUARGA). One finding per household.

    Why it matters: every KK belongs to its head of family (domain.md §1.2, S14) and Regsosek
    records the relation of each member to that head (409, §2.5, S20). Without a head, the
    household's relations, PKH components and the head-based poverty criteria (EXC002) cannot
    be read; often the head's row was dropped or the family was split over two KK numbers.

    Example: a KK with only ISTRI and ANAK fires; a KK whose head is present, even listed last,
    does not.

    How to fix: add the missing head's record from the family card, or correct the member whose
    relation was keyed wrong.
    """
    heads = ds.cached(_head_counts)
    mask = pd.Series(_in_household(ds) & (heads.to_numpy() == 0), index=ds.frame.index)
    members = ds.per_household(pd.Series(1, index=ds.frame.index), "sum")
    where = np.flatnonzero(mask.to_numpy())
    params = sparse_params(ds.frame.index, where, anggota=members.iloc[where].to_numpy())
    return Hits(mask=mask, column="hub_keluarga", params=params)


@rule(
    "HH002",
    "household-several-heads",
    severity="error",
    columns=("no_kk", "hub_keluarga"),
    level="household",
    message={
        "id": "KK dengan {kepala} kepala keluarga (hub_keluarga KEPALA KELUARGA)",
        "en": "Family with {kepala} heads (hub_keluarga KEPALA KELUARGA)",
    },
    summary={"id": "KK dengan lebih dari satu kepala", "en": "Household with several heads"},
)
def household_several_heads(ds, opts):
    """What it does: flags a household in which more than one member has `hub_keluarga` = 1
    (KEPALA KELUARGA). One finding per household, listing all its records.

    Why it matters: a KK has exactly one head (domain.md §1.2, S14). Two heads usually mean two
    families merged under one KK number (e.g. after "pecah KK" the old number was kept, §1.2,
    S15), or a spouse keyed as head; either way aid and household size are computed wrongly.

    Example: a KK whose father and grandfather are both KEPALA KELUARGA fires; a KK with one
    head and an ORANG TUA does not.

    How to fix: check the family card; correct the relation, or split the records into their
    own KK numbers.
    """
    heads = ds.cached(_head_counts)
    is_head = (ds.frame["hub_keluarga"] == HEAD).fillna(False).to_numpy(bool)
    # The evidence records are the heads; the finding still lists every member.
    mask = pd.Series(_in_household(ds) & (heads.to_numpy() > 1) & is_head, index=ds.frame.index)
    where = np.flatnonzero(mask.to_numpy())
    params = sparse_params(ds.frame.index, where, kepala=heads.iloc[where].to_numpy())
    return Hits(mask=mask, column="hub_keluarga", params=params)


@rule(
    "HH003",
    "household-split-regions",
    severity="warning",
    columns=("no_kk", "kode_wilayah"),
    level="household",
    message={
        "id": "Anggota satu KK tercatat di {jumlah} kode wilayah berbeda (mis. {kode} dan {lain})",
        "en": "Members of one family carry {jumlah} different region codes (e.g. {kode} and "
        "{lain})",
    },
    summary={"id": "Anggota KK di wilayah berbeda", "en": "Household split over regions"},
)
def household_split_regions(ds, opts):
    """What it does: flags a household whose members carry different `kode_wilayah` values
    (compared after removing dots and spaces, so `32.73.01.1001` equals `3273011001`). Members
    with an empty code are ignored. One finding per household.

    Why it matters: a KK is issued per address; when the family moves to another kecamatan it
    gets a new KK number (domain.md §1.2, S15). Members in different desa under one KK point to
    a move that was not processed or to rows attached to the wrong family, which also
    breaks per-desa quotas and verification visits.

    Example: a KK with two members in 32.73.01.1001 and one in 32.73.01.1002 fires; a KK whose
    members write the same code dotted and plain does not.

    How to fix: verify where the family lives; correct the code, or move the members who live
    elsewhere to their own KK.
    """
    reg = ds.cached(region_columns)
    codes, uniques = pd.factorize(reg["clean"])
    c = pd.Series(np.where(codes >= 0, codes, np.nan), index=ds.frame.index)
    lo = ds.per_household(c, "min").to_numpy()
    hi = ds.per_household(c, "max").to_numpy()
    split = _in_household(ds) & ~np.isnan(lo) & (lo != hi)
    # Evidence: the members whose code differs from the one of the household's first member
    # with a code (file order). Decided inside the household only, so a run split by no_kk
    # (the dask engine) picks the same members.
    first = _first_in_household(ds.hh_codes, codes)
    mask = pd.Series(split & (codes >= 0) & (codes != first), index=c.index)
    where = np.flatnonzero(mask.to_numpy())
    in_split = np.flatnonzero(split)
    distinct = c.iloc[in_split].groupby(ds.hh_codes[in_split]).transform("nunique").to_numpy()
    other = pd.Series(np.asarray(uniques, dtype=object)[first[where]], dtype="string")
    count = pd.Series(distinct, index=c.index[in_split]).reindex(c.index[where]).to_numpy()
    params = sparse_params(
        c.index,
        where,
        jumlah=count,
        kode=region_text(reg["code"].to_numpy()[where], ds.frame["kode_wilayah"].iloc[where]),
        lain=region_text(code_to_int(other, 10), other),
    )
    return Hits(mask=mask, column="kode_wilayah", params=params)


def _first_in_household(hh: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Per record: the code of the first record (file order) of its household having one
    (-1 when none, or when the record has no household)."""
    valid = (codes >= 0) & (hh >= 0)
    first = np.full(int(hh.max()) + 1 if len(hh) else 0, -1, dtype=np.int64)
    keys, at = np.unique(hh[valid], return_index=True)
    first[keys] = codes[valid][at]
    return np.where(hh >= 0, first[np.maximum(hh, 0)] if len(first) else -1, -1)


# Role names by hub_keluarga code (only 3, 5 and 6 are ever reported).
_ROLE_ID = np.array(["", "", "", "Anak", "", "Cucu", "Orang tua/mertua"], dtype=object)
_ROLE_EN = np.array(["", "", "", "Child", "", "Grandchild", "Parent"], dtype=object)


def _ordinal(ds) -> np.ndarray:
    """Birth dates as YYYYMMDD floats (NaN when unknown): year differences stay
    birthday-exact."""
    y, m, d, known = ds.cached(birth_ymd)
    return np.where(known, y * 10000 + m * 100 + d, np.nan)


@rule(
    "HH004",
    "household-ages-implausible",
    severity="warning",
    columns=("no_kk", "hub_keluarga", "tgl_lahir"),
    level="household",
    options={"min_parent_gap_years": 10},
    message={
        "id": "{peran[id]} (baris {baris}) lahir {tgl}, {alasan[id]} kepala keluarga "
        "(lahir {tgl_kk})",
        "en": "{peran[en]} (record {baris}) born {tgl}, {alasan[en]} the head of family "
        "(born {tgl_kk})",
    },
    summary={"id": "Umur anggota KK tidak masuk akal", "en": "Implausible ages in household"},
)
def household_ages_implausible(ds, opts):
    """What it does: within a household with exactly one head, flags a child (`hub_keluarga` 3)
    or grandchild (5) born before the head or less than `min_parent_gap_years` (default 10)
    years after the head, and a parent or parent-in-law (6) born after the head. One finding per
    household, naming the first such member.

    Why it matters: relations are coded against the head of family (Regsosek 409, domain.md
    §2.5, S20; Dukcapil SHDK §2.7). A "child" older than the head, or a parent younger, shows
    swapped relations or birth dates, which distort PKH components and household
    deduplication.

    Example: head born 1980-05-01 with a child born 1985-01-01 (gap 4 years) fires; a child
    born 1990-05-01 (exactly 10 years) and a parent born 1955 do not.

    How to fix: check the family card; correct the relation code or the birth date that was
    keyed wrong.
    """
    gap = int(opts.get("min_parent_gap_years", 10))
    f = ds.frame
    hub = f["hub_keluarga"].astype("Int64").fillna(0).to_numpy(dtype=np.int64)
    born = _ordinal(ds)
    single_head = _in_household(ds) & (ds.cached(_head_counts).to_numpy() == 1)
    head_born = ds.per_household(
        pd.Series(np.where(hub == HEAD, born, np.nan), index=f.index), "max"
    ).to_numpy()
    ok = single_head & ~np.isnan(born) & ~np.isnan(head_born)
    descendant = np.isin(hub, (CHILD, GRANDCHILD))
    too_close = ok & descendant & (born < head_born + gap * 10000)
    parent_younger = ok & (hub == PARENT) & (born > head_born)
    mask = pd.Series(too_close | parent_younger, index=f.index)
    where = np.flatnonzero(mask.to_numpy())
    sub_hub = hub[where]
    diff = (born[where] - head_born[where]) // 10000  # completed years (YYYYMMDD arithmetic)
    before = born[where] < head_born[where]
    years = np.abs(diff).astype(np.int64).astype(str)
    alasan = np.where(
        sub_hub == PARENT,
        "setelah",
        np.where(before, "sebelum", np.char.add(np.char.add("hanya ", years), " tahun setelah")),
    )
    reason = np.where(
        sub_hub == PARENT,
        "after",
        np.where(before, "before", np.char.add(np.char.add("only ", years), " years after")),
    )
    head_dates = pd.to_datetime(
        pd.Series(head_born[where]).astype("Int64").astype("string"), format="%Y%m%d"
    )
    params = sparse_params(
        f.index,
        where,
        peran=bilingual(_ROLE_ID[sub_hub], _ROLE_EN[sub_hub]),
        baris=ds.row.to_numpy()[where],
        tgl=fmt_date(f["tgl_lahir"].iloc[where]).to_numpy(),
        alasan=bilingual(alasan, reason),
        tgl_kk=fmt_date(head_dates).to_numpy(),
    )
    return Hits(mask=mask, column="tgl_lahir", params=params)
