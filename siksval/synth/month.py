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
* ``nik_changed``: a member's NIK corrected (keyed serial fixed);
* ``household_moved_kk``: the family moved to another kecamatan of the same kab/kota and got a
  new KK number (domain.md §1.2, S15); members keep their NIKs;
* ``household_split``: "pecah KK": an adult child leaves with a KK of their own (same desa);
* ``desil_jump``: re-ranked by three deciles (no aid before or after: 3..7 -> 6..10);
* ``aid_started_elg``: BPNT starts for a household with an inclusion indicator (car,
  electricity >= 1300 VA or a state employee; the ELG rules fire in month N+1);
* ``aid_stopped_poor``: every program ends for a desil 1-2 household (EXC001 fires);
* ``members_replaced``: the KK number now holds other people (new names, NIKs, birth dates).

Every change keeps the file clean (no ``check`` rule fires) when month N was clean, except the
two kinds in ``FIRES_IN_CHECK``. ``EXPECTED_CHG`` names the ``siksval diff`` finding each
suspicious kind must raise (the other kinds raise none). The changes table has
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
    "household_moved_kk",
    "household_split",
    "desil_jump",
    "aid_started_elg",
    "aid_stopped_poor",
    "members_replaced",
)
#: The kinds that make a `check` rule fire in month N+1 (by design).
FIRES_IN_CHECK = ("aid_started_elg", "aid_stopped_poor")
#: The `siksval diff` finding each suspicious kind raises (every other kind raises none).
EXPECTED_CHG = {
    "revived": "CHG001",
    "desil_jump": "CHG002",
    "aid_started_elg": "CHG003",
    "nik_changed": "CHG004",
    "members_replaced": "CHG005",
    "aid_stopped_poor": "CHG006",
}
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
    moves_last: list[tuple[int, int]] = []  # (last row of the block, row moved there)

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

    kk_set = set(kk)

    def new_kk(kec: str, day: int) -> str:
        dm = int(ddmmyy(np.array([day]))[0])
        out = next(
            f"{kec}{dm:06d}{s:04d}" for s in range(1, 10000) if f"{kec}{dm:06d}{s:04d}" not in kk_set
        )
        kk_set.add(out)
        return out

    for h in pick("household_moved_kk", np.ones(H, bool)):
        kode = f.at[int(starts[h]), "kode_wilayah"]
        other = t.desa[(t.desa["kab"] == kode[:4]) & (t.desa["kec"] != kode[:6])]
        if not len(other):
            continue
        d = other.iloc[int(rng.integers(0, len(other)))]
        r = rows_of(h)
        kk_old = f.at[int(starts[h]), "no_kk"]
        kk_new = new_kk(d["kec"], today - int(rng.integers(5, 25)))
        names_new = regions.names_for(pd.Series([d["kode"]])).iloc[0]
        f.loc[r, "kode_wilayah"] = d["kode"]
        for col in ("kecamatan", "desa_kelurahan"):
            f.loc[r, col] = names_new[col]
        f.loc[r, "no_kk"] = kk_new
        rec("household_moved_kk", int(starts[h]), "no_kk", kk_old, kk_new)

    ok = has((role == 3) & (age >= 19) & (age < 60) & (status == 1)) & (sizes >= 3)
    for h in pick("household_split", ok):
        r = rows_of(h)
        r = int(rng.choice(r[(role[r] == 3) & (age[r] >= 19) & (age[r] < 60) & (status[r] == 1)]))
        kk_old = f.at[r, "no_kk"]
        kk_new = new_kk(f.at[r, "kode_wilayah"][:6], today - int(rng.integers(5, 25)))
        f.loc[r, "no_kk"] = kk_new
        f.loc[r, "hub_keluarga"] = 1
        moves_last.append((int(starts[h] + sizes[h] - 1), r))
        rec("household_split", r, "no_kk", kk_old, kk_new)

    for h in pick("desil_jump", ~aid & (desil >= 3) & (desil <= 7)):
        f.loc[rows_of(h), "desil"] = desil[h] + 3
        rec("desil_jump", int(starts[h]), "desil", desil[h], desil[h] + 3)

    car = f["ada_mobil"].fillna(False).to_numpy(bool)
    va = f["daya_listrik"].to_numpy(dtype="float64", na_value=0)
    ok = ~aid & ~dead_h & (has(car) | has(va >= 1300) | has(state))
    for h in pick("aid_started_elg", ok):
        f.loc[rows_of(h), "bpnt"] = True
        rec("aid_started_elg", int(starts[h]), "bpnt", False, True)

    for h in pick("aid_stopped_poor", aid & (desil >= 1) & (desil <= 2)):
        for p in (*codes.PROGRAMS, "pip"):
            f.loc[rows_of(h), p] = False
        rec("aid_stopped_poor", int(starts[h]), "", True, False)

    for h in pick("members_replaced", np.ones(H, bool)):
        r = rows_of(h)
        pre = f.at[int(starts[h]), "kode_wilayah"][:2]
        grp = names.PROVINCE_GROUPS.get(pre, [("MELAYU", 1.0)])[0][0]
        shift = int(rng.integers(30, 300))
        born = birth[r] - shift
        sex = f.loc[r, "jenis_kelamin"].to_numpy(dtype="float64", na_value=1).astype(int)
        years = (born.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970)
        fresh_names = names.sample_names(
            rng, np.full(len(r), grp, dtype=object), sex, years, titles=False
        )
        renamed = dict(zip(f.loc[r, "nama"], fresh_names, strict=False))
        mothers = [
            renamed.get(m)
            or names.sample_names(rng, np.array([grp], dtype=object), np.array([2]),
                                  np.array([y - 25]), titles=False)[0]
            for m, y in zip(f.loc[r, "nama_ibu_kandung"], years, strict=True)
        ]
        dm = ddmmyy(born, sex == 2)
        old_head = f.at[int(starts[h]), "nik"]
        new_niks = []
        for old, d in zip(f.loc[r, "nik"], dm, strict=True):
            stem = f"{old[:6]}{int(d):06d}"
            nik = next(f"{stem}{s:04d}" for s in range(1, 10000) if f"{stem}{s:04d}" not in niks)
            niks.add(nik)
            new_niks.append(nik)
        f.loc[r, "nik"] = new_niks
        f.loc[r, "nama"] = fresh_names
        f.loc[r, "nama_ibu_kandung"] = mothers
        f.loc[r, "tgl_lahir"] = pd.to_datetime(born.astype("datetime64[D]"))
        rec("members_replaced", int(starts[h]), "nik", old_head, new_niks[0], nik_before=old_head)

    # ------------------------------------------------------------ assemble month N+1
    f["_before"] = np.arange(n)
    if moves_last:  # a split-off member becomes the last record of its old household's block
        perm = np.arange(n)
        for last, r in moves_last:
            perm[r:last] = perm[r + 1 : last + 1]
            perm[last] = r
        f = f.iloc[perm].reset_index(drop=True)
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
