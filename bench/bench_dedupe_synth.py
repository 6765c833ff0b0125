"""Duplicate search on synthetic DTKS data: quality against the injected truth, and speed.

quality: `siksval synth` data with DUP001/DUP002/DUP003 (same NIK with spelling variants,
one NIK for two people, NIK keying error + spelling variant) plus near misses (twins, siblings
born the same year) — precision and recall of the DUP findings against the truth.
speed: the duplicate search alone (`ds.cached(duplicate_search)`) on a 1,000,000-row file
written by `python -m siksval synth bench/data/dtks_1m.parquet --rows 1000000 ...`, wall
time (median of runs) and peak RSS; the pyarrow read of the same file is the baseline.

Run: `PYTHONPATH=. python bench/bench_dedupe_synth.py quality [rows] [seed] [threshold]`
     `PYTHONPATH=. python bench/bench_dedupe_synth.py quality-file FILE TRUTH.csv`
     `PYTHONPATH=. python bench/bench_dedupe_synth.py speed bench/data/dtks_1m.parquet [runs]`
"""

from __future__ import annotations

import datetime as dt
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
import pandas as pd

import siksval
from siksval.synth import generate_dtks

DUP = ("DUP001", "DUP002", "DUP003")


def _sets(frame: pd.DataFrame, code_col: str = "code") -> dict[str, set[tuple[int, ...]]]:
    out: dict[str, set[tuple[int, ...]]] = {c: set() for c in DUP}
    for code, rows in zip(frame[code_col], frame["rows"], strict=True):
        if code in out:
            r = rows if isinstance(rows, list) else [int(x) for x in str(rows).split()]
            out[code].add(tuple(sorted(int(x) for x in r)))
    return out


EXTRA_KINDS = ("dob-typo", "day-month-swap", "title-degree", "muhammad-moved", "joined-name")


def _nik_for(nik: str, ymd: tuple[int, int, int], female: bool, prov: str | None = None) -> str:
    y, m, d = ymd
    day = d + 40 if female else d
    region = prov + nik[2:6] if prov else nik[:6]
    return f"{region}{day:02d}{m:02d}{y % 100:02d}0009"


def add_extra_duplicates(
    frame: pd.DataFrame, n: int, seed: int, exclude: set[int] = frozenset()
) -> tuple[pd.DataFrame, set]:
    """Append duplicates of kinds the generator does not inject, as a desa operator makes
    them: a new NIK each time (a second KTP-el recording, or a NIK re-derived from a birth
    date typed differently), in a new one-person KK, mother's name unchanged:
    dob-typo (one digit of the day), day-month-swap (01-05 vs 05-01, NIK follows), title-degree
    (`H.` / `, S.Pd` added), muhammad-moved (`MUHAMMAD X` -> `M. X` / `MOCH. X`, moved to another
    province), joined-name (`NUR HAYATI` -> `NURHAYATI`). Returns the frame and the truth
    clusters (1-based record numbers). `exclude`: 1-based records already in a truth cluster
    (a second duplicate of one of them would make a cluster of three the truth does not hold)."""
    rng = np.random.default_rng([seed, 99])
    f = frame
    adult = (f["tgl_lahir"].dt.year < 2000).fillna(False) & f["nik"].str.fullmatch(r"\d{16}").fillna(
        False
    )
    names = f["nama"].fillna("")
    kinds = {
        "dob-typo": adult & (f["tgl_lahir"].dt.day.between(1, 28)),
        "day-month-swap": adult & (f["tgl_lahir"].dt.day.between(1, 12))
        & (f["tgl_lahir"].dt.day != f["tgl_lahir"].dt.month),
        "title-degree": adult & ~names.str.contains(r"[.,]"),
        "muhammad-moved": adult & names.str.startswith("MUHAMMAD "),
        "joined-name": adult & names.str.fullmatch(r"[A-Z]{2,5} [A-Z]{4,}( [A-Z]+)?"),
    }
    used: set[int] = {r - 1 for r in exclude}
    new_rows, truth = [], set()
    base = len(f)
    for kind, ok in kinds.items():
        cand = np.flatnonzero(ok.to_numpy(bool))
        cand = cand[~np.isin(cand, list(used))]
        for src in rng.choice(cand, size=min(n, len(cand)), replace=False):
            used.add(int(src))
            r = f.iloc[int(src)].copy()
            d = r["tgl_lahir"]
            y, m, day = d.year, d.month, d.day
            female = r["jenis_kelamin"] == 2
            name = r["nama"]
            prov = None
            if kind == "dob-typo":
                day = day + 10 if day < 19 else day - 10
            elif kind == "day-month-swap":
                m, day = day, m
            elif kind == "title-degree":
                name = ("HJ. " if female else "H. ") + name + ", S.PD"
            elif kind == "muhammad-moved":
                name = ("M. " if rng.random() < 0.5 else "MOCH. ") + name.split(" ", 1)[1]
                prov = "31" if not str(r["nik"]).startswith("31") else "32"
            else:
                a, b = name.split(" ", 1)
                name = a + b
            r["nama"] = name
            r["tgl_lahir"] = pd.Timestamp(year=y, month=m, day=day)
            r["nik"] = _nik_for(str(r["nik"]), (y, m, day), female, prov)
            r["no_kk"] = str(r["no_kk"])[:12] + f"{9000 + len(new_rows):04d}"
            r["hub_keluarga"] = 1
            new_rows.append(r)
            truth.add((int(src) + 1, base + len(new_rows)))
    out = pd.concat([f, pd.DataFrame(new_rows)], ignore_index=True)
    return out, truth


def quality(rows: int = 50_000, seed: int = 11, n: int = 60, threshold: float | None = None) -> None:
    spec = f"DUP001={n},DUP002={n},DUP003={n},TWINS={n},SIBLINGS_SAME_YEAR={n}"
    res = generate_dtks(n_rows=rows, seed=seed, defects=spec, as_of="2026-11-01")
    truth = _sets(res.truth[res.truth["code"].isin(DUP)])
    in_truth = {r for clusters in truth.values() for c in clusters for r in c}
    frame, extra = add_extra_duplicates(res.frame, n // 3, seed, in_truth)
    truth["DUP003"] |= extra
    near = {tuple(sorted(int(x) for x in str(r).split())) for r in res.near_misses["rows"]}
    t = time.perf_counter()
    config = {"rules": {"DUP003": {"threshold": threshold}}} if threshold else None
    report = siksval.check(frame, dataset="dtks", as_of="2026-11-01", select=list(DUP),
                           config=config)
    wall = time.perf_counter() - t
    found = _sets(report.findings_raw)
    tp = fp = fn = 0
    for code in DUP:
        tp += len(found[code] & truth[code])
        fp += len(found[code] - truth[code])
        fn += len(truth[code] - found[code])
        print(f"{code}: truth={len(truth[code])} found={len(found[code])} "
              f"tp={len(found[code] & truth[code])}")
    per_kind = len(extra) // len(EXTRA_KINDS) if extra else 0
    ordered = sorted(extra, key=lambda x: x[1])
    for k, kind in enumerate(EXTRA_KINDS):
        part = set(ordered[k * per_kind : (k + 1) * per_kind])
        print(f"  extra {kind}: {len(part & found['DUP003'])} of {len(part)} found")
    near_hit = sum(1 for c in DUP for f in found[c] if any(set(x) <= set(f) for x in near))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    print(f"synth rows={rows} seed={seed} threshold={threshold or 'default'} clusters: "
          f"precision={p:.4f} recall={r:.4f} "
          f"near-misses reported={near_hit} of {len(near)} check_wall={wall:.2f}s")


def quality_file(path: str, truth_path: str) -> None:
    """Precision and recall of the DUP findings of `siksval check` on a written file."""
    truth_all = pd.read_csv(truth_path, dtype=str)
    truth = _sets(truth_all[truth_all["code"].isin(DUP)])
    t = time.perf_counter()
    report = siksval.check(path, dataset="dtks", as_of="2026-11-01", select=list(DUP))
    wall = time.perf_counter() - t
    found = _sets(report.findings_raw)
    tp = sum(len(found[c] & truth[c]) for c in DUP)
    fp = sum(len(found[c] - truth[c]) for c in DUP)
    fn = sum(len(truth[c] - found[c]) for c in DUP)
    for code in DUP:
        print(f"{code}: truth={len(truth[code])} found={len(found[code])} "
              f"tp={len(found[code] & truth[code])}")
    print(f"file={path} records={report.records} clusters: precision={tp / max(tp + fp, 1):.4f} "
          f"recall={tp / max(tp + fn, 1):.4f} check_wall={wall:.1f}s")


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def speed(path: str, runs: int = 3) -> None:
    """One subprocess per run so that each peak RSS is the run's own."""
    walls, peaks, base, total, cpus = [], [], [], [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "_speed_once", path], capture_output=True, text=True,
            check=True,
        ).stdout.split()
        walls.append(float(out[0]))
        peaks.append(float(out[1]))
        base.append(float(out[2]))
        total.append(float(out[3]))
        cpus.append(float(out[5]))
    n = int(out[4])
    w = statistics.median(walls)
    print(f"records={n} duplicate_search_wall_median={w:.2f}s rows/s={n / w:,.0f} "
          f"cpu_median={statistics.median(cpus):.2f}s "
          f"peak_rss_max={max(peaks):.0f}MB (process incl. loading) "
          f"load_wall_median={statistics.median(total):.2f}s "
          f"baseline_pyarrow_read_median={statistics.median(base):.2f}s runs={runs}")


def _speed_once(path: str) -> None:
    import pyarrow.parquet as pq

    from siksval.api import load_input
    from siksval.config import Config
    from siksval.rules.duplicates import duplicate_search

    t = time.perf_counter()
    pq.read_table(path)
    base = time.perf_counter() - t
    t = time.perf_counter()
    li = load_input(path, dataset="dtks", as_of=dt.date(2026, 11, 1), config=Config())
    load = time.perf_counter() - t
    ds = li.dataset
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t = time.perf_counter()
    ds.cached(duplicate_search)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    print(wall, _rss_mb(), base, load, len(ds), cpu)


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "quality"
    if mode == "quality":
        args = [int(a) for a in sys.argv[2:4]]
        thr = float(sys.argv[4]) if len(sys.argv) > 4 else None
        quality(*args, threshold=thr)
    elif mode == "quality-file":
        quality_file(sys.argv[2], sys.argv[3])
    elif mode == "speed":
        speed(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 3)
    else:
        _speed_once(sys.argv[2])
