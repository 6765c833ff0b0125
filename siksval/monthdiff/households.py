"""Households across two months: the same KK number first, then, for a KK that disappeared,
the new KK that holds most of its people (a move to another kecamatan or a "pecah KK" issues a
new number, domain.md §1.2, S15).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from siksval.dataset import Dataset

HOUSEHOLD_PAIR_COLUMNS = ("old", "new", "how")


def household_keys(ds: Dataset) -> pd.Index:
    """The distinct cleaned KK numbers of a file; position = the household id (`ds.hh_codes`)."""
    return ds._hh_factorized[1]


def household_sizes(ds: Dataset) -> np.ndarray:
    """Number of records per household id."""
    codes = ds.hh_codes
    return np.bincount(codes[codes >= 0], minlength=len(household_keys(ds)))


def household_first(ds: Dataset) -> np.ndarray:
    """Position of the first record of each household id."""
    codes = ds.hh_codes
    pos = np.flatnonzero(codes >= 0)
    out = np.full(len(household_keys(ds)), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(out, codes[pos], pos)
    return out


def household_max(ds: Dataset, values: pd.Series) -> np.ndarray:
    """Largest value per household id (NaN when no member has one)."""
    codes = ds.hh_codes
    v = values.to_numpy(dtype="float64", na_value=np.nan)
    out = np.full(len(household_keys(ds)), np.nan)
    ok = (codes >= 0) & np.isfinite(v)
    if ok.any():
        np.fmax.at(out, codes[ok], v[ok])
    return out


def household_any(ds: Dataset, mask: np.ndarray) -> np.ndarray:
    """True for household ids where any member's mask is True."""
    codes = ds.hh_codes
    sel = (codes >= 0) & np.asarray(mask, dtype=bool)
    return np.bincount(codes[sel], minlength=len(household_keys(ds))) > 0


def match_households(old: Dataset, new: Dataset, people: pd.DataFrame) -> pd.DataFrame:
    """Pairs of household ids `old, new` with `how` = `kk` (same number) or `members` (the KK
    changed; most of the old household's people are in the new one).

    A household whose number vanished is matched to the new number (absent from OLD) that holds
    the most of its matched people, at least half of the smaller household; each household is
    matched at most once (largest overlap first).
    """
    ko, kn = household_keys(old), household_keys(new)
    pos = kn.get_indexer(ko)
    same = pd.DataFrame({"old": np.flatnonzero(pos >= 0), "new": pos[pos >= 0], "how": "kk"})
    old_free = np.ones(len(ko), bool)
    old_free[same["old"].to_numpy()] = False
    new_free = np.ones(len(kn), bool)
    new_free[same["new"].to_numpy()] = False
    ho = old.hh_codes[people["old"].to_numpy()]
    hn = new.hh_codes[people["new"].to_numpy()]
    ok = (ho >= 0) & (hn >= 0)
    ok[ok] = old_free[ho[ok]] & new_free[hn[ok]]
    if not ok.any():
        return same.reset_index(drop=True)
    overlap = (
        pd.DataFrame({"old": ho[ok], "new": hn[ok]}).value_counts().rename("n").reset_index()
    )
    smaller = np.minimum(household_sizes(old)[overlap["old"]], household_sizes(new)[overlap["new"]])
    overlap = overlap[overlap["n"].to_numpy() * 2 >= smaller]
    overlap = overlap.sort_values(["n", "new", "old"], ascending=[False, True, True], kind="stable")
    overlap = overlap.drop_duplicates("old").drop_duplicates("new")
    moved = pd.DataFrame({"old": overlap["old"].to_numpy(), "new": overlap["new"].to_numpy(),
                          "how": "members"})
    return pd.concat([same, moved], ignore_index=True)
