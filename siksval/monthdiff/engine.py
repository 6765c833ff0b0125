"""`MonthDiff`: two monthly exports (OLD, NEW) matched once, person by person and household by
household; the counts and the CHG rules read from it.

Categories are exclusive per person: `added` (only in NEW), `removed` (only in OLD), `moved`
(the desa code changed), `changed` (same desa, and a tracked field changed: desil, a program
flag, status_keberadaan, NIK or KK number), else unchanged. Households: `added`, `removed`,
`changed` (KK number, desa, members or a member's tracked field changed).
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from siksval.dataset import AID_PROGRAMS
from siksval.idnum import region_columns
from siksval.monthdiff.households import (
    household_first,
    household_keys,
    household_max,
    household_sizes,
    match_households,
)
from siksval.monthdiff.matching import match_people, nik_key, not_in

if TYPE_CHECKING:
    from siksval.dataset import Dataset

#: Fields whose change makes a matched person `changed` (besides NIK and KK number).
TRACKED: tuple[str, ...] = ("desil", *AID_PROGRAMS, "pip", "status_keberadaan")
PEOPLE_KEYS = ("added", "removed", "moved", "changed")
HOUSEHOLD_KEYS = ("added", "removed", "changed")


def desa_key(ds: Dataset) -> pd.Series:
    """The record's desa code (kode_wilayah without separators; NA when empty), computed once
    per dataset."""
    return ds.cached(_desa_key)


def _desa_key(ds: Dataset) -> pd.Series:
    if "kode_wilayah" not in ds.frame.columns:
        return pd.Series(pd.NA, index=ds.frame.index, dtype="string")
    return ds.cached(region_columns)["clean"].astype("string")


def differs(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Element-wise "the values differ" where both missing counts as equal."""
    a = a.reset_index(drop=True)
    b = b.reset_index(drop=True)
    both_na = (a.isna() & b.isna()).to_numpy(bool)
    try:
        eq = (a == b).fillna(False).to_numpy(bool)
    except TypeError:  # incomparable dtypes (a column typed differently in the two files)
        eq = (a.astype("string") == b.astype("string")).fillna(False).to_numpy(bool)
    return ~eq & ~both_na


class MonthDiff:
    """OLD and NEW matched; every derived table is computed once on first use."""

    def __init__(self, old: Dataset, new: Dataset, *, threshold: float | None = None) -> None:
        self.old = old
        self.new = new
        self.threshold = threshold

    # -- people ----------------------------------------------------------------------------
    @cached_property
    def people(self) -> pd.DataFrame:
        """Matched people: old, new (positions), how (nik | linkage), probability, one bool
        column per compared field (`nik`, `no_kk`, `desa`, tracked fields present in both),
        `status` (moved | changed | same)."""
        pairs = match_people(self.old, self.new, self.threshold)
        o, n = pairs["old"].to_numpy(), pairs["new"].to_numpy()
        out = pairs.copy()
        out["nik"] = differs(self.old.cached(nik_key).iloc[o], self.new.cached(nik_key).iloc[n])
        out["no_kk"] = differs(self.old.hh_key.iloc[o], self.new.hh_key.iloc[n])
        out["desa"] = differs(desa_key(self.old).iloc[o], desa_key(self.new).iloc[n])
        for col in self.tracked:
            out[col] = differs(self.old.frame[col].iloc[o], self.new.frame[col].iloc[n])
        fields = ["nik", "no_kk", *self.tracked]
        changed = out[fields].to_numpy().any(axis=1) if len(out) else np.zeros(0, bool)
        out["status"] = np.where(out["desa"], "moved", np.where(changed, "changed", "same"))
        return out

    @cached_property
    def tracked(self) -> tuple[str, ...]:
        return tuple(
            c for c in TRACKED if c in self.old.frame.columns and c in self.new.frame.columns
        )

    @cached_property
    def people_added(self) -> np.ndarray:
        """Positions in NEW of people not found in OLD."""
        return not_in(len(self.new), self.people["new"].to_numpy())

    @cached_property
    def people_removed(self) -> np.ndarray:
        """Positions in OLD of people not found in NEW."""
        return not_in(len(self.old), self.people["old"].to_numpy())

    # -- households ------------------------------------------------------------------------
    @cached_property
    def households(self) -> pd.DataFrame:
        """Matched households: old, new (household ids), how (kk | members), old_size,
        new_size, both (people matched between the two), kk_changed, desa_changed,
        member_change, field_change, changed."""
        hh = match_households(self.old, self.new, self.people)
        o, n = hh["old"].to_numpy(), hh["new"].to_numpy()
        hh["old_size"] = household_sizes(self.old)[o]
        hh["new_size"] = household_sizes(self.new)[n]
        p = self.people
        link = pd.DataFrame(
            {
                "old": self.old.hh_codes[p["old"].to_numpy()],
                "new": self.new.hh_codes[p["new"].to_numpy()],
                "touched": (p["status"] != "same").to_numpy(),
            }
        )
        per = link.groupby(["old", "new"], sort=False)["touched"].agg(["size", "any"])
        joined = per.reindex(pd.MultiIndex.from_arrays([o, n]))
        hh["both"] = joined["size"].fillna(0).to_numpy(np.int64)
        hh["field_change"] = joined["any"].fillna(False).to_numpy(bool)
        hh["kk_changed"] = (hh["how"] == "members").to_numpy()
        fo, fn = household_first(self.old)[o], household_first(self.new)[n]
        hh["desa_changed"] = differs(desa_key(self.old).iloc[fo], desa_key(self.new).iloc[fn])
        hh["member_change"] = (hh["both"] < hh["old_size"]) | (hh["both"] < hh["new_size"])
        hh["changed"] = hh[["kk_changed", "desa_changed", "member_change", "field_change"]].any(
            axis=1
        )
        return hh

    @cached_property
    def households_added(self) -> np.ndarray:
        """Household ids in NEW without a household in OLD."""
        return not_in(len(household_keys(self.new)), self.households["new"].to_numpy())

    @cached_property
    def households_removed(self) -> np.ndarray:
        """Household ids in OLD without a household in NEW."""
        return not_in(len(household_keys(self.old)), self.households["old"].to_numpy())

    def household_desil(self, which: str) -> np.ndarray:
        ds = self.old if which == "old" else self.new
        if "desil" not in ds.frame.columns:
            return np.full(len(household_keys(ds)), np.nan)
        return ds.cached(_desil_by_household)

    def household_aid(self, which: str) -> np.ndarray:
        ds = self.old if which == "old" else self.new
        return ds.cached(_aid_by_household)

    # -- counts ----------------------------------------------------------------------------
    def counts(self) -> dict[str, Any]:
        """{"people": {added, removed, moved, changed}, "households": {added, removed, changed},
        "fields": {field: matched people whose field changed}}."""
        p, h = self.people, self.households
        fields = ["nik", "no_kk", "desa", *self.tracked]
        return {
            "people": {
                "added": len(self.people_added),
                "removed": len(self.people_removed),
                "moved": int((p["status"] == "moved").sum()),
                "changed": int((p["status"] == "changed").sum()),
            },
            "households": {
                "added": len(self.households_added),
                "removed": len(self.households_removed),
                "changed": int(h["changed"].sum()),
            },
            "fields": {f: int(p[f].sum()) for f in fields},
        }

    def per_desa(self) -> list[dict[str, Any]]:
        """The same counts per desa (kode_wilayah): people added, moved (into the desa) and
        changed, and households added and changed, under their NEW desa; removed ones under
        their OLD desa. Only desa with at least one change, in code order."""
        old, new = self.old, self.new
        p, h = self.people, self.households
        parts = []

        def add(ds: Dataset, positions: np.ndarray, group: str, kind: str) -> None:
            positions = np.asarray(positions, dtype=np.int64)
            if not len(positions):
                return
            parts.append(
                pd.DataFrame(
                    {
                        "desa": desa_key(ds).iloc[positions].to_numpy(dtype=object, na_value=""),
                        "name": ds.cached(_desa_names).iloc[positions].to_numpy(
                            dtype=object, na_value=""),
                        "col": f"{group}.{kind}",
                    }
                )
            )

        add(new, self.people_added, "people", "added")
        add(old, self.people_removed, "people", "removed")
        add(new, p.loc[p["status"] == "moved", "new"].to_numpy(), "people", "moved")
        add(new, p.loc[p["status"] == "changed", "new"].to_numpy(), "people", "changed")
        add(new, household_first(new)[self.households_added], "households", "added")
        add(old, household_first(old)[self.households_removed], "households", "removed")
        add(new, household_first(new)[h.loc[h["changed"], "new"].to_numpy()], "households",
            "changed")
        if not parts:
            return []
        long = pd.concat(parts, ignore_index=True)
        names = long[long["name"] != ""].drop_duplicates("desa").set_index("desa")["name"]
        table = long.groupby(["desa", "col"]).size().unstack(fill_value=0).sort_index()
        cols = [f"people.{k}" for k in PEOPLE_KEYS] + [f"households.{k}" for k in HOUSEHOLD_KEYS]
        table = table.reindex(columns=cols, fill_value=0)
        label = names.reindex(table.index).to_numpy(dtype=object)
        counts = table.to_numpy(dtype=np.int64).tolist()
        np_ = len(PEOPLE_KEYS)
        return [
            {
                "kode_wilayah": desa or None,
                "desa": name if isinstance(name, str) and name else None,
                "people": dict(zip(PEOPLE_KEYS, c[:np_], strict=True)),
                "households": dict(zip(HOUSEHOLD_KEYS, c[np_:], strict=True)),
            }
            for desa, name, c in zip(table.index.tolist(), label, counts, strict=True)
        ]


def _desa_names(ds: Dataset) -> pd.Series:
    if "desa_kelurahan" not in ds.frame.columns:
        return pd.Series(pd.NA, index=ds.frame.index, dtype="string")
    return ds.frame["desa_kelurahan"].astype("string")


def _desil_by_household(ds: Dataset) -> np.ndarray:
    return household_max(ds, ds.frame["desil"])


def _aid_by_household(ds: Dataset) -> np.ndarray:
    from siksval.monthdiff.households import household_any

    return household_any(ds, ds.receives_aid.to_numpy(dtype=bool))
