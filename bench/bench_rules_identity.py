"""Benchmark: time the NIK, KK, DEM, WIL and HH rule families on N synthetic DTKS rows.

    python bench/bench_rules_identity.py [--rows 1000000] [--repeat 3]

    python bench/bench_rules_identity.py --source numpy   # no siksval.synth needed

Prints, per repeat, the time of `siksval.check` with only these families selected minus the
time of a baseline check (schema only), plus per-rule times measured on the same Dataset.
Data: `--source synth` (default) renders `siksval synth` output (SIKS-NG headers, 44 columns,
every defect injected 200 times); `--source numpy` generates a lean 9-column frame here
(valid NIK/KK from real kecamatan codes, real desa codes, 1–7 members per household, ~1 %
defects).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import siksval
from siksval import refdata
from siksval.api import load_input
from siksval.config import Config
from siksval.rules import load_rules

FAMILIES = ["NIK", "KK", "DEM", "WIL", "HH"]
AS_OF = "2026-10-31"


def synthetic(n: int, seed: int = 7) -> pd.DataFrame:
    """n person rows in households of 1-7 members, with a sprinkle of defects."""
    rng = np.random.default_rng(seed)
    villages = refdata.villages().index.to_numpy()
    sizes = rng.integers(1, 8, size=n)
    hh_of_row = np.repeat(np.arange(len(sizes)), sizes)[:n]
    n_hh = hh_of_row[-1] + 1
    desa = villages[rng.integers(0, len(villages), size=n_hh)][hh_of_row]
    kec = desa // 10000
    first = np.r_[True, hh_of_row[1:] != hh_of_row[:-1]]
    hub = np.where(first, 1, rng.choice([2, 3, 3, 3, 5, 6, 8], size=n))
    head_year = rng.integers(1950, 1995, size=n_hh)[hh_of_row]
    year = np.where(
        hub == 1,
        head_year,
        np.where(np.isin(hub, [3, 5]), head_year + 25, head_year - rng.integers(-3, 3, size=n)),
    )
    year = np.where(hub == 6, head_year - 28, year)
    month = rng.integers(1, 13, size=n)
    day = rng.integers(1, 29, size=n)
    female = rng.random(n) < 0.5
    serial = rng.integers(1, 10000, size=n)
    dd = np.where(female, day + 40, day)
    nik = (
        pd.Series(kec).astype(str)
        + pd.Series(dd).astype(str).str.zfill(2)
        + pd.Series(month).astype(str).str.zfill(2)
        + pd.Series(year % 100).astype(str).str.zfill(2)
        + pd.Series(serial).astype(str).str.zfill(4)
    )
    kk_serial = pd.Series(rng.integers(1, 10000, size=n_hh)[hh_of_row]).astype(str).str.zfill(4)
    kk = pd.Series(kec).astype(str) + "120115" + kk_serial
    tgl = (
        pd.Series(day).astype(str).str.zfill(2)
        + "-"
        + pd.Series(month).astype(str).str.zfill(2)
        + "-"
        + pd.Series(year).astype(str)
    )
    # ~2 % defects spread over the families
    bad = rng.random(n) < 0.004
    nik = nik.where(~bad, nik.str.slice(0, 15))
    bad = rng.random(n) < 0.004
    tgl = tgl.where(~bad, "01-01-1899")
    kode = pd.Series(desa).astype(str)
    bad = rng.random(n) < 0.004
    kode = kode.where(~bad, kode.str.slice(0, 6) + "0001")
    return pd.DataFrame(
        {
            "nik": nik,
            "no_kk": kk,
            "nama": "WARGA",
            "tgl_lahir": tgl,
            "jenis_kelamin": np.where(female, "P", "L"),
            "hub_keluarga": hub.astype(str),
            "status_kawin": np.where(hub <= 2, "2", "1"),
            "kode_wilayah": kode,
            "kecamatan": refdata.districts().reindex(kec).to_numpy(),
        }
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--source", choices=("synth", "numpy"), default="synth")
    args = ap.parse_args()
    if args.source == "synth":
        from siksval.synth import generate_dtks, render

        t = time.perf_counter()
        res = generate_dtks(n_rows=args.rows, seed=1, defects="all=200", as_of=AS_OF)
        df = render(res)
        print(f"generated with siksval.synth in {time.perf_counter() - t:.1f} s")
    else:
        df = synthetic(args.rows)
    print(f"{len(df):,} rows, {df.shape[1]} columns")
    added = []
    for i in range(args.repeat):
        t0 = time.perf_counter()
        siksval.check(df, dataset="dtks", as_of=AS_OF, select=["SCH"])
        t1 = time.perf_counter()
        rep = siksval.check(df, dataset="dtks", as_of=AS_OF, select=["SCH", *FAMILIES])
        t2 = time.perf_counter()
        added.append((t2 - t1) - (t1 - t0))
        print(
            f"run {i + 1}: baseline {t1 - t0:.2f} s, with families {t2 - t1:.2f} s, "
            f"added {added[-1]:.2f} s, findings {len(rep.findings_raw):,}"
        )
    print(f"median added time of NIK+KK+DEM+WIL+HH: {statistics.median(added):.2f} s")

    # Per-rule times on one Dataset (decodings cached by the first rule that needs them).
    ds = load_input(
        df, dataset="dtks", as_of=pd.Timestamp(AS_OF).date(), config=Config(), sheet=None
    ).dataset
    for code, r in load_rules().items():
        if r.fn is None or not code.startswith(tuple(FAMILIES)):
            continue
        t = time.perf_counter()
        r.fn(ds, dict(r.info.options))
        print(f"  {code}: {time.perf_counter() - t:.3f} s")


if __name__ == "__main__":
    main()
