"""Benchmark: time each LKS rule on typed frames of N children, N/50 institutions and a DTKS
file of M members (the cross-file rules join against it).

    python bench/bench_rules_lksa.py [--children 100000] [--dtks 1000000] [--repeat 3]

The typed frames are built here with numpy (what the schema step would yield), so the figures
are the rules' own cost: no reading or parsing. About 5 % of the children's NIKs also appear
in the DTKS file. Prints the median of `--repeat` runs per rule, in seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from siksval.dataset import Dataset
from siksval.rules import load_rules

AS_OF = dt.date(2026, 10, 31)
CODES = [f"LKS00{i}" for i in range(1, 9)]


def frames(n_children: int, n_dtks: int, seed: int = 1) -> tuple[Dataset, Dataset, Dataset]:
    """Children, institutions and DTKS members as Datasets wired to each other."""
    rng = np.random.default_rng(seed)
    n_lksa = max(10, n_children // 50)
    nik_d = (3273010101000000 + rng.integers(0, 10**9, n_dtks)).astype(str)
    dtks = Dataset(
        "dtks",
        pd.DataFrame(
            {
                "nik": pd.Series(nik_d, dtype="str"),
                "no_kk": pd.Series(nik_d, dtype="str"),
                "status_keberadaan": pd.Series(rng.integers(1, 7, n_dtks), dtype="Int8"),
            }
        ),
        as_of=AS_OF,
    )
    shared = rng.random(n_children) < 0.05
    own = (3273014506000000 + rng.integers(0, 10**9, n_children)).astype(str)
    nik_a = np.where(shared, rng.choice(nik_d, n_children), own)
    anak = Dataset(
        "lksa_anak",
        pd.DataFrame(
            {
                "nik": pd.Series(nik_a, dtype="str"),
                "id_lksa": pd.Series(
                    [f"LKSA-{i:05d}" for i in rng.integers(0, n_lksa + 10, n_children)], dtype="str"
                ),
                "tgl_lahir": pd.Timestamp("2008-01-01")
                + pd.to_timedelta(rng.integers(0, 6500, n_children), unit="D"),
                "kategori": pd.Series(
                    rng.choice(["BALITA", "TERLANTAR", "ABH", "AMPFS"], n_children), dtype="str"
                ),
                "status": pd.Series(
                    rng.choice(["AKTIF", "KELUAR", "REUNIFIKASI"], n_children, p=[0.85, 0.1, 0.05]),
                    dtype="str",
                ),
            }
        ),
        as_of=AS_OF,
    )
    lksa = Dataset(
        "lksa",
        pd.DataFrame(
            {
                "id_lksa": pd.Series([f"LKSA-{i:05d}" for i in range(n_lksa)], dtype="str"),
                "akreditasi": pd.Series(rng.choice(["A", "B", "C", "BELUM"], n_lksa), dtype="str"),
                "tgl_akreditasi": pd.Timestamp("2018-01-01")
                + pd.to_timedelta(rng.integers(0, 3000, n_lksa), unit="D"),
                "izin_berlaku_sampai": pd.Timestamp("2024-01-01")
                + pd.to_timedelta(rng.integers(0, 3000, n_lksa), unit="D"),
                "kapasitas": pd.Series(rng.integers(10, 80, n_lksa), dtype="Int32"),
            }
        ),
        as_of=AS_OF,
    )
    anak.others = {"against": dtks, "lksa": lksa}
    lksa.others = {"lksa_anak": anak}
    return anak, lksa, dtks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--children", type=int, default=100_000)
    ap.add_argument("--dtks", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    registry = load_rules()
    times: dict[str, list[float]] = {c: [] for c in CODES}
    for _ in range(args.repeat):
        # Fresh Datasets each repeat: cached NIK keys must not hide the first computation.
        anak, lksa, _dtks = frames(args.children, args.dtks)
        for code in CODES:
            r = registry[code]
            ds = anak if "lksa_anak" in r.info.datasets else lksa
            t = time.perf_counter()
            r.fn(ds, dict(r.info.options))
            times[code].append(time.perf_counter() - t)
    print(
        f"children={args.children:,} lksa={max(10, args.children // 50):,} "
        f"dtks={args.dtks:,} repeat={args.repeat}"
    )
    for code in CODES:
        print(f"{code}  median {statistics.median(times[code]):.3f} s")
    print(
        f"total  median {statistics.median([sum(x) for x in zip(*times.values(), strict=True)]):.3f} s"
    )


if __name__ == "__main__":
    main()
