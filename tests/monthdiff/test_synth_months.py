"""`siksval diff` against synthetic months with known changes (siksval/synth/month.py): every
change kind is found in its category and nothing else is (precision and recall 1.0), and each
CHG rule fires exactly on the changes that must raise it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import siksval
from siksval.monthdiff.households import household_keys
from siksval.synth import generate_dtks, next_month
from siksval.synth.month import CHANGES, EXPECTED_CHG

SEEDS = (11, 12)


@pytest.fixture(scope="module", params=SEEDS)
def months(request):
    prev = generate_dtks(n_rows=4000, seed=request.param, as_of="2026-10-31")
    m = next_month(prev, changes=3)
    report = siksval.diff(prev.frame, m.result.frame, dataset="dtks", as_of=m.result.as_of)
    return prev.frame, m.result.frame, m.changes, report


def _rows_of(frame: pd.DataFrame, kks) -> set[int]:
    return set((np.flatnonzero(frame["no_kk"].isin(set(kks)).to_numpy()) + 1).tolist())


def _of(ch: pd.DataFrame, kind: str) -> pd.DataFrame:
    return ch[ch["change"] == kind]


def expected(old: pd.DataFrame, new: pd.DataFrame, ch: pd.DataFrame) -> dict[str, dict[str, set]]:
    """category -> {change kind -> the records / KKs that kind puts into the category}."""
    kk = {k: set(_of(ch, k)["no_kk"]) for k in CHANGES}
    after = {k: set(_of(ch, k)["row_after"].dropna().astype(int)) for k in CHANGES}
    before = {k: set(_of(ch, k)["row_before"].dropna().astype(int)) for k in CHANGES}
    nik_row = {n: i + 1 for i, n in enumerate(new["nik"])}
    flags = old[["pkh", "bpnt", "pbi_jk", "bst", "blt_dd", "pip"]].fillna(False).any(axis=1)

    def lost_aid(kind: str) -> set[int]:
        rows = _rows_of(old, kk[kind])
        return {nik_row[n] for n in old["nik"].iloc[[r - 1 for r in rows]][flags.iloc[
            [r - 1 for r in rows]].to_numpy()]}

    return {
        "households_added": {"household_added": kk["household_added"],
                             "household_split": kk["household_split"]},
        "households_removed": {"household_removed": kk["household_removed"]},
        "people_added": {
            "household_added": _rows_of(new, kk["household_added"]),
            "person_added": after["person_added"],
            "members_replaced": _rows_of(new, kk["members_replaced"]),
        },
        "people_removed": {
            "household_removed": _rows_of(old, kk["household_removed"]),
            "person_removed": before["person_removed"],
            "members_replaced": _rows_of(old, kk["members_replaced"]),
        },
        "people_moved": {k: _rows_of(new, kk[k]) for k in ("household_moved",
                                                           "household_moved_kk")},
        "people_changed": {
            **{k: _rows_of(new, kk[k]) for k in ("desil_changed", "desil_jump", "aid_started",
                                                 "aid_started_elg")},
            **{k: lost_aid(k) for k in ("aid_stopped", "aid_stopped_poor")},
            **{k: after[k] for k in ("died", "revived", "nik_changed", "household_split")},
        },
        "households_changed": {
            **{k: kk[k] for k in CHANGES if k not in (
                "household_added", "household_removed", "household_split")},
            "household_split": set(_of(ch, "household_split")["before"]),
        },
    }


def detected(report) -> dict[str, set]:
    md = report.month_diff
    p, h = md.people, md.households
    new_rows, old_rows = md.new.row.to_numpy(), md.old.row.to_numpy()
    keys_new, keys_old = household_keys(md.new), household_keys(md.old)
    return {
        "households_added": set(keys_new[md.households_added]),
        "households_removed": set(keys_old[md.households_removed]),
        "people_added": set(new_rows[md.people_added].tolist()),
        "people_removed": set(old_rows[md.people_removed].tolist()),
        "people_moved": set(new_rows[p.loc[p["status"] == "moved", "new"]].tolist()),
        "people_changed": set(new_rows[p.loc[p["status"] == "changed", "new"]].tolist()),
        "households_changed": set(keys_new[h.loc[h["changed"], "new"].to_numpy()]),
    }


@pytest.mark.parametrize("category", ["households_added", "households_removed", "people_added",
                                      "people_removed", "people_moved", "people_changed",
                                      "households_changed"])
def test_each_change_kind_found_exactly(months, category) -> None:
    old, new, ch, report = months
    want = expected(old, new, ch)[category]
    got = detected(report)[category]
    for kind, items in want.items():
        assert items, f"{kind} produced nothing to look for"
        missed = items - got
        assert not missed, f"recall < 1 for {kind} in {category}: missed {sorted(missed)[:5]}"
    extra = got - set().union(*want.values())
    assert not extra, f"precision < 1 in {category}: unexpected {sorted(extra)[:5]}"


def test_counts_agree_with_the_tables(months) -> None:
    _, _, _, report = months
    got = detected(report)
    c = report.sections["changes"]
    assert c["people"] == {k: len(got[f"people_{k}"]) for k in ("added", "removed", "moved",
                                                                 "changed")}
    assert c["households"] == {k: len(got[f"households_{k}"]) for k in ("added", "removed",
                                                                         "changed")}
    # per desa sums to the totals
    for group, keys in (("people", c["people"]), ("households", c["households"])):
        for k in keys:
            assert sum(d[group][k] for d in c["per_desa"]) == c[group][k], (group, k)


def test_chg_rules_fire_exactly_on_their_changes(months) -> None:
    old, new, ch, report = months
    f = report.findings_raw
    assert set(f["code"]) == set(EXPECTED_CHG.values())
    for kind, code in EXPECTED_CHG.items():
        rows = _of(ch, kind)
        got = f[f["code"] == code]
        if code in ("CHG001", "CHG004"):  # one finding per person
            want_new = set(rows["row_after"].astype(int))
            want_old = {(int(a), int(b)) for a, b in zip(rows["row_after"], rows["row_before"],
                                                         strict=True)}
            assert {(int(r), o[0]) for r, o in zip(got["row"], got["old_rows"],
                                                   strict=True)} == want_old, code
        else:  # one finding per household: row = its first NEW record, old_rows = OLD members
            want_new = {min(_rows_of(new, [k])) for k in rows["no_kk"]}
            kk_old = rows["before"] if kind == "household_moved_kk" else rows["no_kk"]
            assert {tuple(o) for o in got["old_rows"]} == {
                tuple(sorted(_rows_of(old, [k]))) for k in kk_old}, code
        assert set(got["row"].astype(int)) == want_new, f"{code} for {kind}"


def test_clean_changes_raise_no_finding() -> None:
    prev = generate_dtks(n_rows=2500, seed=21, as_of="2026-10-31")
    quiet = {k: 3 for k in CHANGES if k not in EXPECTED_CHG}
    m = next_month(prev, changes=quiet)
    report = siksval.diff(prev.frame, m.result.frame, dataset="dtks", as_of=m.result.as_of)
    assert report.findings_raw.empty, report.findings_raw[["code", "row"]]
    c = report.sections["changes"]
    assert c["people"]["moved"] > 0 and c["households"]["added"] > 0


def test_same_month_twice_has_no_change() -> None:
    prev = generate_dtks(n_rows=800, seed=5, as_of="2026-10-31")
    report = siksval.diff(prev.frame, prev.frame, dataset="dtks", as_of="2026-10-31")
    c = report.sections["changes"]
    assert c["people"] == {"added": 0, "removed": 0, "moved": 0, "changed": 0}
    assert c["households"] == {"added": 0, "removed": 0, "changed": 0}
    assert c["per_desa"] == [] and report.findings_raw.empty
    assert (report.month_diff.people["how"] == "nik").all()
