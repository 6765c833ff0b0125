"""People across two monthly exports: the same NIK first, then the duplicate engine for the
people left over (a NIK corrected or re-issued between the months, domain.md §5.3).

The result is one table of pairs `old, new` (0-based positions in each file) with how they were
matched (`nik` or `linkage`) and the match probability (1.0 for the same NIK).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from siksval.idnum import clean_id
from siksval.linkage import link_frames

if TYPE_CHECKING:
    from siksval.dataset import Dataset

#: Columns the cross-NIK step reads when present (the duplicate engine's person fields).
LINK_COLUMNS: tuple[str, ...] = (
    "nik", "nama", "tgl_lahir", "jenis_kelamin", "nama_ibu_kandung", "tempat_lahir", "no_kk",
    "kode_wilayah", "hub_keluarga",
)
#: Default probability above which two records with different NIKs are one person.
DEFAULT_THRESHOLD = 0.85

PAIR_COLUMNS = ("old", "new", "how", "probability")


def nik_key(ds: Dataset) -> pd.Series:
    """The NIK without spaces, quotes and separators (NA when empty); `ds.cached(nik_key)`."""
    if "nik" not in ds.frame.columns:
        return pd.Series(pd.NA, index=ds.frame.index, dtype="string")
    return clean_id(ds.frame["nik"])


def link_people(old: pd.DataFrame, new: pd.DataFrame, threshold: float | None) -> pd.DataFrame:
    """Pairs `left, right, probability` of records (index labels of `old` / `new`) that are the
    same person under different NIKs. The one place the duplicate engine is called; it answers
    with 0-based positions into the frames it is given."""
    old, new = old.reset_index(names="_label"), new.reset_index(names="_label")
    people = [c for c in old.columns if c != "_label"]
    found = link_frames(old[people], new[people], threshold=threshold)
    found = found[corroborated(found)]
    return pd.DataFrame(
        {
            "left": old["_label"].to_numpy()[found["left"].to_numpy(np.int64)],
            "right": new["_label"].to_numpy()[found["right"].to_numpy(np.int64)],
            "probability": found["probability"].to_numpy(np.float64),
        }
    )


#: Evidence levels of `link_frames` that tie a pair to last month's record beyond the name:
#: the same birth date, the same family card, the same desa or kecamatan.
CORROBORATION: dict[str, tuple[str, ...]] = {
    "tgl_lahir": ("exact", "same default date"),
    "no_kk": ("same",),
    "kode_wilayah": ("same desa", "same kecamatan"),
}


def corroborated(pairs: pd.DataFrame) -> np.ndarray:
    """True for pairs with at least one CORROBORATION level (True for all when the engine
    reports none of these fields).

    The duplicate engine scores a pair of one registry; across two months only the few people
    whose NIK changed have a counterpart among the leftovers, and a common name with a birth
    date one part off, in another family and region, is then more likely two people (2 x 100k
    synthetic records: the one wrong link of 141 had none of these, the 140 right ones all)."""
    present = [c for c in CORROBORATION if c in pairs.columns]
    if not present:
        return np.ones(len(pairs), dtype=bool)
    ok = np.zeros(len(pairs), dtype=bool)
    for col in present:
        ok |= pairs[col].isin(CORROBORATION[col]).to_numpy(dtype=bool)
    return ok


def match_people(old: Dataset, new: Dataset, threshold: float | None = None) -> pd.DataFrame:
    """One row per person found in both files: `old`, `new` (positions), `how`, `probability`.

    Step 1 pairs records with the same NIK (the k-th record of a NIK in OLD with the k-th in
    NEW, so a NIK shared by two people pairs them in file order). Step 2 sends the records left
    on both sides to the duplicate engine and keeps each record's best partner above the
    threshold (one to one).
    """
    ko = old.cached(nik_key)
    kn = new.cached(nik_key)
    left = pd.DataFrame({"k": ko, "o": np.arange(len(ko))}).dropna(subset=["k"])
    right = pd.DataFrame({"k": kn, "n": np.arange(len(kn))}).dropna(subset=["k"])
    left["i"] = left.groupby("k", sort=False).cumcount()
    right["i"] = right.groupby("k", sort=False).cumcount()
    same = left.merge(right, on=["k", "i"], how="inner")
    pairs = pd.DataFrame(
        {
            "old": same["o"].to_numpy(np.int64),
            "new": same["n"].to_numpy(np.int64),
            "how": "nik",
            "probability": 1.0,
        }
    )
    rest_old = not_in(len(old), pairs["old"].to_numpy())
    rest_new = not_in(len(new), pairs["new"].to_numpy())
    if len(rest_old) and len(rest_new):
        linked = link_people(_person_frame(old, rest_old), _person_frame(new, rest_new), threshold)
        linked = one_to_one(linked, threshold)
        if len(linked):
            extra = pd.DataFrame(
                {
                    "old": linked["left"].to_numpy(np.int64),
                    "new": linked["right"].to_numpy(np.int64),
                    "how": "linkage",
                    "probability": linked["probability"].to_numpy(np.float64),
                }
            )
            pairs = pd.concat([pairs, extra], ignore_index=True)
    return pairs.sort_values("new", kind="stable").reset_index(drop=True)


def not_in(n: int, taken: np.ndarray) -> np.ndarray:
    """Positions 0..n-1 that are not in `taken` (ascending)."""
    free = np.ones(n, dtype=bool)
    free[np.asarray(taken, dtype=np.int64)] = False
    return np.flatnonzero(free)


def _person_frame(ds: Dataset, positions: np.ndarray) -> pd.DataFrame:
    cols = [c for c in LINK_COLUMNS if c in ds.frame.columns]
    out = ds.frame[cols].iloc[positions].copy()
    out.index = pd.Index(positions, name="pos")
    return out


def one_to_one(linked: pd.DataFrame, threshold: float | None) -> pd.DataFrame:
    """Each record with at most one partner: best probability first (ties: file order)."""
    if linked is None or len(linked) == 0:
        return pd.DataFrame({"left": [], "right": [], "probability": []})
    cut = DEFAULT_THRESHOLD if threshold is None else threshold
    out = linked[linked["probability"] >= cut]
    out = out.sort_values(["probability", "left", "right"], ascending=[False, True, True],
                          kind="stable")
    out = out.drop_duplicates("left").drop_duplicates("right")
    return out[["left", "right", "probability"]].reset_index(drop=True)
