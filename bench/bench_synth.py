"""Benchmark: time synthetic DTKS generation (and optionally writing) for N rows.

    python bench/bench_synth.py --rows 1000000 --repeat 3 [--write csv|parquet] [--defects all=50]

Prints wall-clock and CPU seconds per run and their medians. The machine is shared, so CPU time
is the steadier figure; record medians in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from siksval.synth import generate_dtks, write_result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--defects", default=None)
    ap.add_argument("--write", choices=["csv", "parquet", "none"], default="none")
    a = ap.parse_args()
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cpus, "
        f"load {os.getloadavg()[0]:.1f}"
    )
    walls, cpus, wwalls = [], [], []
    for i in range(a.repeat):
        t, c = time.perf_counter(), time.process_time()
        res = generate_dtks(n_rows=a.rows, seed=100 + i, defects=a.defects, as_of="2026-10-31")
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
        msg = f"run {i + 1}: generate {walls[-1]:.1f} s wall, {cpus[-1]:.1f} s cpu"
        if a.write != "none":
            with tempfile.TemporaryDirectory() as d:
                t = time.perf_counter()
                p = write_result(res, Path(d) / f"x.{a.write}")
                wwalls.append(time.perf_counter() - t)
                msg += f"; write {a.write} {wwalls[-1]:.1f} s ({p.stat().st_size / 1e6:.0f} MB)"
        print(msg, flush=True)
        del res
    print(
        f"median: generate {statistics.median(walls):.1f} s wall, "
        f"{statistics.median(cpus):.1f} s cpu"
        + (f"; write {statistics.median(wwalls):.1f} s" if wwalls else "")
    )


if __name__ == "__main__":
    main()
