"""Derive the next monthly DTKS export from a synthetic one, with a table of known changes
(for ``siksval diff``; DTKS is updated monthly, domain.md §6.2, S25, S62).

Changes, each in its own household (``change`` column of the changes table):

* ``household_added`` / ``household_removed``: a family registered / dropped;
* ``person_added`` (a newborn, status ART BARU) / ``person_removed`` (a member who moved out);
* ``household_moved``: the family moved to another desa of the same kecamatan (the KK stays,
  kode_wilayah and desa name change);
* ``desil_changed``: re-ranked by one decile, staying consistent with its programs;
* ``aid_started`` (BPNT starts for a poor household) / ``aid_stopped`` (all programs end);
* ``died`` (status MENINGGAL, household without aid) / ``revived`` (a member recorded as
  deceased is alive after all: MENINGGAL -> TINGGAL BERSAMA);
* ``nik_changed``: a member's NIK corrected (keyed serial fixed).

Every change keeps the file clean (no rule fires) when month N was clean. The changes table has
columns ``change, no_kk, nik, nik_before, row_before, row_after, column, before, after``
(rows 1-based; NA where the record does not exist in that month).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import codes, names, regions
from .dtks import STRING_COLS, YEAR, day_number, ddmmyy, type_frame
from .result import SynthResult

CHANGES = (
    "household_added",
    "household_removed",
    "person_added",
    "person_removed",
    "household_moved",
    "desil_changed",
    "aid_started",
    "aid_stopped",
    "died",
    "revived",
    "nik_changed",
)
CHANGE_COLUMNS = [
    "change",
    "no_kk",
    "nik",
    "nik_before",
    "row_before",
    "row_after",
    "column",
    "before",
    "after",
]


@dataclass
class MonthResult:
    """Month N+1 (``result``) and the changes from month N (``changes``)."""

    result: SynthResult
    changes: pd.DataFrame


def _add_month(d: dt.date) -> dt.date:
    y, m = (d.year + (d.month == 12), d.month % 12 + 1)
    day = min(d.day, 28)
    return dt.date(y, m, day)


def next_month(
    prev: SynthResult,
    *,
    seed: int | None = None,
    changes: dict[str, int] | int | None = None,
    as_of: dt.date | str | None = None,
) -> MonthResult:
    """Derive month N+1 from ``prev`` (a DTKS result). ``changes``: counts per change kind
    (default: about 0.5 % of households each, at least 1), or one int for every kind.
    ``as_of``: reference date of the new month (default: one month after ``prev.as_of``).
    """
    from . import generate_dtks

    if prev.dataset != "dtks":
        raise ValueError("next_month needs a DTKS result")
    ref = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    ref = ref or _add_month(prev.as_of)
    today = day_number(ref)
    rng = np.random.default_rng([prev.seed if seed is None else seed, 99])
    f = prev.frame.copy()
    for c in STRING_COLS:
        if c in f:
            f[c] = f[c].astype(object)
    n = len(f)
    kk = f["no_kk"].to_numpy()
    start_flag = np.r_[True, kk[1:] != kk[:-1]]
    hh = np.cumsum(start_flag) - 1
    starts = np.flatnonzero(start_flag)
    sizes = np.diff(np.r_[starts, n])
    H = len(starts)
    default = max(1, round(0.005 * H))
    if changes is None:
        want = dict.fromkeys(CHANGES, default)
    elif isinstance(changes, int):
        want = dict.fromkeys(CHANGES, changes)
    else:
        want = {k: int(v) for k, v in changes.items()}
    unknown = set(want) - set(CHANGES)
    if unknown:
        raise ValueError(f"unknown change kinds: {sorted(unknown)}")

    role = f["hub_keluarga"].to_numpy(dtype="float64", na_value=0).astype(int)
    birth = f["tgl_lahir"].to_numpy().astype("datetime64[D]").astype(np.int64)
    age = (today - birth) / YEAR
    prog = f[list(codes.PROGRAMS)].fillna(False).to_numpy(bool).any(axis=1)
    aid = np.bincount(hh, weights=prog, minlength=H) > 0
    desil = f["desil"].to_numpy(dtype="float64", na_value=0)[starts].astype(int)
    status = f["status_keberadaan"].to_numpy(dtype="float64", na_value=1).astype(int)
    dead_h = np.bincount(hh, weights=status == 2, minlength=H) > 0
    unpadan_h = (
        np.bincount(hh, weights=~f["padan_dukcapil"].fillna(True).to_numpy(bool), minlength=H) > 0
    )
    used = np.zeros(H, bool)
    log: list[dict] = []
    drop = np.zeros(n, bool)
    inserts: list[tuple[int, pd.DataFrame]] = []  # (insert after row, rows)
    niks = set(f["nik"].tolist())

    def has(mask_rows):
        return np.bincount(hh, weights=mask_rows, minlength=H) > 0

    def pick(kind, ok):
        k = want.get(kind, 0)
        cand = np.flatnonzero(ok & ~used)
        chosen = rng.choice(cand, min(k, len(cand)), replace=False) if k and len(cand) else []
        used[chosen] = True
        return [int(h) for h in np.sort(chosen)]

    def rows_of(h):
        return np.arange(starts[h], starts[h] + sizes[h])

    def rec(kind, r_before, column="", before=None, after=None, nik_before=None, new=None):
        log.append(
            {
                "change": kind,
                "_before": r_before,
                "_new": new,
                "column": column,
                "before": before,
                "after": after,
                "nik_before": nik_before,
            }
        )

    # ------------------------------------------------------------ removals
    for h in pick("household_removed", np.ones(H, bool)):
        drop[rows_of(h)] = True
        rec("household_removed", int(starts[h]))
    ok = has((role == 3) & (age >= 19) & (age < 60)) & (sizes >= 3)
    for h in pick("person_removed", ok):
        r = rows_of(h)
        r = int(rng.choice(r[(role[r] == 3) & (age[r] >= 19) & (age[r] < 60)]))
        drop[r] = True
        rec("person_removed", r)

    # ------------------------------------------------------------ additions
    ok = has((role == 2) & (age >= 20) & (age < 40)) & (sizes < 8)
    for h in pick("person_added", ok):
        r = rows_of(h)
        mom = int(r[role[r] == 2][0])
        new = f.iloc[[int(starts[h])]].copy()
        day = today - int(rng.integers(10, 25))
        sex = int(rng.integers(1, 3))
        pre = f"{f.at[int(starts[h]), 'kode_wilayah'][:6]}"
        dm = int(ddmmyy(np.array([day]), np.array([sex == 2]))[0])
        nik = next(
            f"{pre}{dm:06d}{s:04d}" for s in range(1, 10000) if f"{pre}{dm:06d}{s:04d}" not in niks
        )
        niks.add(nik)
        grp = names.PROVINCE_GROUPS.get(pre[:2], [("MELAYU", 1.0)])[0][0]
        fam = f.at[int(starts[h]), "nama"].rsplit(" ", 1)[-1] if grp in names.SURNAME_GROUPS else ""
        nama = names.sample_names(
            rng,
            np.array([grp], dtype=object),
            np.array([sex]),
            np.array([ref.year]),
            surname=np.array([fam], dtype=object),
        )[0]
        new = new.assign(
            nik=nik,
            nama=nama,
            tgl_lahir=pd.Timestamp(np.datetime64(day, "D")),
            jenis_kelamin=sex,
            nama_ibu_kandung=f.at[mom, "nama"],
            hub_keluarga=3,
            status_kawin=1,
            pekerjaan=codes.PEKERJAAN[1],
            kedudukan_kerja=pd.NA,
            status_keberadaan=5,
            padan_dukcapil=True,
        )
        inserts.append((int(r[-1]), new))
        rec("person_added", None, new=(int(r[-1]), 0))

    k_new = want.get("household_added", 0)
    fresh = None
    if k_new:
        fresh = generate_dtks(n_households=k_new, seed=int(rng.integers(1 << 30)), as_of=ref).frame
        clash = fresh["nik"].isin(niks) | fresh["no_kk"].isin(set(kk))
        bad_kk = set(fresh.loc[clash, "no_kk"])
        fresh = fresh[~fresh["no_kk"].isin(bad_kk)].reset_index(drop=True)
        for c in STRING_COLS:
            fresh[c] = fresh[c].astype(object)

    # ------------------------------------------------------------ edits in place
    t = regions.tables()
    for h in pick("household_moved", np.ones(H, bool)):
        kode = f.at[int(starts[h]), "kode_wilayah"]
        sib = t.desa[(t.desa["kec"] == kode[:6]) & (t.desa["kode"] != kode)]
        if not len(sib):
            continue
        d = sib.iloc[int(rng.integers(0, len(sib)))]
        r = rows_of(h)
        f.loc[r, "kode_wilayah"] = d["kode"]
        f.loc[r, "desa_kelurahan"] = d["nama"].upper()
        rec("household_moved", int(starts[h]), "kode_wilayah", kode, d["kode"])

    for h in pick("desil_changed", np.ones(H, bool)):
        d0 = desil[h]
        if aid[h]:
            d1 = {1: 2, 2: 1, 3: 4, 4: 3}.get(d0, d0)
        else:
            d1 = {3: 4, 4: 3, 10: 9}.get(d0, d0 + 1 if d0 >= 5 else d0)
        if d1 == d0:
            continue
        f.loc[rows_of(h), "desil"] = d1
        rec("desil_changed", int(starts[h]), "desil", d0, d1)

    state = f["pekerjaan"].isin([codes.PEKERJAAN[c] for c in codes.STATE_JOBS]).to_numpy().copy()
    state |= (f["kedudukan_kerja"] == 5).fillna(False).to_numpy(bool)
    ok = ~aid & (desil >= 3) & (desil <= 4) & ~dead_h & ~unpadan_h & ~has(state)
    ok &= ~(f["ada_mobil"].fillna(False).to_numpy(bool)[starts])
    ok &= f["daya_listrik"].to_numpy(dtype="float64", na_value=0)[starts] <= 900
    for h in pick("aid_started", ok):
        f.loc[rows_of(h), "bpnt"] = True
        rec("aid_started", int(starts[h]), "bpnt", False, True)

    lantai = f["jenis_lantai"].to_numpy(dtype="float64", na_value=0)[starts]
    dinding = f["jenis_dinding"].to_numpy(dtype="float64", na_value=0)[starts]
    fas = f["fasilitas_bab"].to_numpy(dtype="float64", na_value=0)[starts]
    daya = f["daya_listrik"].to_numpy(dtype="float64", na_value=0)[starts]
    crit = (
        np.isin(lantai, (5, 7, 8, 9)).astype(int) + (dinding != 1) + (fas != 1) + (daya == 450) + 1
    )  # count the head as not working: the safe side
    for h in pick("aid_stopped", aid & (desil >= 3) & (crit <= 3)):
        for p in (*codes.PROGRAMS, "pip"):
            f.loc[rows_of(h), p] = False
        rec("aid_stopped", int(starts[h]), "", True, False)

    ok = ~aid & has((role != 1) & (status == 1) & (age >= 50))
    for h in pick("died", ok):
        r = rows_of(h)
        r = int(rng.choice(r[(role[r] != 1) & (status[r] == 1) & (age[r] >= 50)]))
        f.loc[r, "status_keberadaan"] = 2
        rec("died", r, "status_keberadaan", 1, 2)

    for h in pick("revived", has(status == 2)):
        r = rows_of(h)
        r = int(r[status[r] == 2][0])
        f.loc[r, "status_keberadaan"] = 1
        rec("revived", r, "status_keberadaan", 2, 1)

    for h in pick("nik_changed", np.ones(H, bool)):
        r = int(rng.choice(rows_of(h)))
        old = f.at[r, "nik"]
        new_nik = next(
            old[:12] + f"{s:04d}" for s in range(9999, 0, -1) if old[:12] + f"{s:04d}" not in niks
        )
        niks.add(new_nik)
        f.loc[r, "nik"] = new_nik
        rec("nik_changed", r, "nik", old, new_nik, nik_before=old)

    # ------------------------------------------------------------ assemble month N+1
    f["_before"] = np.arange(n)
    f["_new"] = None
    parts = []
    ins = {}
    for after, new in inserts:
        ins.setdefault(after, []).append(new.assign(_before=-1, _new=[(after, 0)]))
    cut = 0
    for after in sorted(ins):
        parts.append(f.iloc[cut : after + 1])
        parts.extend(ins[after])
        cut = after + 1
    parts.append(f.iloc[cut:])
    if fresh is not None and len(fresh):
        parts.append(fresh.assign(_before=-1, _new=[("hh", i) for i in range(len(fresh))]))
    out = pd.concat(parts, ignore_index=True)
    out = out[~out["_before"].isin(np.flatnonzero(drop))].reset_index(drop=True)
    after_of = dict(zip(out["_before"], out.index, strict=True))
    new_row = {v: i for i, v in enumerate(out["_new"]) if v is not None}

    rows = []
    for e in log:
        b = e["_before"]
        a = after_of.get(b) if b is not None else new_row.get(e["_new"])
        ref_row = out.iloc[a] if a is not None else f.iloc[b]
        rows.append(
            {
                "change": e["change"],
                "no_kk": ref_row["no_kk"],
                "nik": ref_row["nik"],
                "nik_before": e["nik_before"],
                "row_before": None if b is None else b + 1,
                "row_after": None if a is None else a + 1,
                "column": e["column"],
                "before": e["before"],
                "after": e["after"],
            }
        )
    if fresh is not None and len(fresh):
        for kk_new, g in out[out["_before"] == -1].groupby("no_kk", sort=False):
            if g["_new"].iat[0][0] != "hh":
                continue
            rows.append(
                {
                    "change": "household_added",
                    "no_kk": kk_new,
                    "nik": g["nik"].iat[0],
                    "nik_before": None,
                    "row_before": None,
                    "row_after": g.index[0] + 1,
                    "column": "",
                    "before": None,
                    "after": None,
                }
            )
    ch = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    ch["row_before"] = ch["row_before"].astype("Int64")
    ch["row_after"] = ch["row_after"].astype("Int64")
    out = type_frame(out.drop(columns=["_before", "_new"]))
    from . import _no_near, _no_overrides
    from .result import empty_truth

    res = SynthResult(
        "dtks",
        out,
        empty_truth(),
        _no_overrides(),
        _no_near(),
        ref,
        prev.seed if seed is None else seed,
    )
    return MonthResult(
        res, ch.sort_values(["change", "row_before"], kind="stable").reset_index(drop=True)
    )
